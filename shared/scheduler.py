"""The scheduler: exactly one instance (a Redis lease), sending each due job
to its service once per (job, period). The consumer's inbox makes a repeat
send harmless, so a restart or a second day's check never runs a job twice.

Each service declares its own jobs; the caller hands the scheduler the whole
schedule, each service's jobs under its name.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import msgspec
import redis

from shared.broker import JOB_ACTOR, JOBS_QUEUE, Sender

log = logging.getLogger(__name__)

LOCK_KEY = "workforce:scheduler:lease"


class ScheduledJob(msgspec.Struct, frozen=True):
    """A job of a service: its name, the clause it serves, and when it is due."""

    job: str
    clause: str
    period_of: Callable[[date], str | None]  # the period due on a day, or None


def on_july_first(day: date) -> str | None:
    return day.isoformat() if (day.month, day.day) == (7, 1) else None


def daily(day: date) -> str | None:
    return day.isoformat()


def monthly(day: date) -> str | None:
    return f"{day:%Y-%m}" if day.day == 1 else None


Schedule = Mapping[str, Sequence[ScheduledJob]]
"""Each service's jobs, under the service's name."""


def due_jobs(day: date, schedule: Schedule) -> list[tuple[str, ScheduledJob, str]]:
    """(service, job, period) for each job due on ``day``."""
    return [(service, j, p) for service, jobs in schedule.items() for j in jobs if (p := j.period_of(day)) is not None]


class Scheduler:
    def __init__(self, redis_url: str, today: Callable[[], date], *, schedule: Schedule, lease_seconds: int = 30):
        self.client = redis.Redis.from_url(redis_url)
        self.sender = Sender(redis_url)
        self.today = today
        self.schedule = schedule
        self.lease_ms = lease_seconds * 1000
        self.identity = str(uuid.uuid4())
        self._stop = threading.Event()
        self.sent: set[tuple[str, str]] = set()

    def hold_lease(self) -> bool:
        """Take or renew the lease; False if another scheduler holds it."""
        if self.client.set(LOCK_KEY, self.identity, nx=True, px=self.lease_ms):
            return True
        if self.client.get(LOCK_KEY) == self.identity.encode():
            self.client.pexpire(LOCK_KEY, self.lease_ms)
            return True
        return False

    def tick(self) -> list[str]:
        if not self.hold_lease():
            return []
        sent = []
        for service, job, period in due_jobs(self.today(), self.schedule):
            if (job.job, period) in self.sent:
                continue
            self.sender.send(service, JOBS_QUEUE, JOB_ACTOR, {"job": job.job, "period": period},
                             f"job:{job.job}:{period}")
            self.sent.add((job.job, period))
            sent.append(f"{service}:{job.job}:{period}")
            log.info("scheduled %s %s for %s", service, job.job, period)
        return sent

    def run_forever(self, interval: float = 10.0) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except redis.RedisError as exc:
                log.warning("scheduler: %s", exc)
            self._stop.wait(interval)
        self.release()

    def release(self) -> None:
        try:
            if self.client.get(LOCK_KEY) == self.identity.encode():
                self.client.delete(LOCK_KEY)
        except redis.RedisError:
            pass

    def stop(self) -> None:
        self._stop.set()
