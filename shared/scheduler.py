"""The scheduler: exactly one instance (a Redis lease), sending each due job
to its service once per (job, period). The consumer's inbox makes a repeat
send harmless, so a restart or a second day's check never runs a job twice.
"""
from __future__ import annotations

import logging
import threading
import uuid
from datetime import date
from typing import Callable

import msgspec
import redis

from shared.broker import JOB_ACTOR, JOBS_QUEUE, Sender

log = logging.getLogger(__name__)

LOCK_KEY = "workforce:scheduler:lease"


class ScheduledJob(msgspec.Struct, frozen=True):
    service: str
    job: str
    clause: str
    period_of: Callable[[date], str | None]  # the period due on a day, or None


def on_july_first(day: date) -> str | None:
    return day.isoformat() if (day.month, day.day) == (7, 1) else None


def daily(day: date) -> str | None:
    return day.isoformat()


def monthly(day: date) -> str | None:
    return f"{day:%Y-%m}" if day.day == 1 else None


SCHEDULE: list[ScheduledJob] = [
    ScheduledJob("hr", "step_increment", "S4-10", on_july_first),
    ScheduledJob("hr", "draft_pay_run", "S0-2", monthly),
    ScheduledJob("certs", "registration_check", "D-5", daily),
]


def due_jobs(day: date, schedule: list[ScheduledJob] = SCHEDULE) -> list[tuple[ScheduledJob, str]]:
    return [(j, p) for j in schedule if (p := j.period_of(day)) is not None]


class Scheduler:
    def __init__(self, redis_url: str, today: Callable[[], date], *, schedule: list[ScheduledJob] = SCHEDULE,
                 lease_seconds: int = 30):
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
        for job, period in due_jobs(self.today(), self.schedule):
            if (job.job, period) in self.sent:
                continue
            self.sender.send(job.service, JOBS_QUEUE, JOB_ACTOR, {"job": job.job, "period": period},
                             f"job:{job.job}:{period}")
            self.sent.add((job.job, period))
            sent.append(f"{job.service}:{job.job}:{period}")
            log.info("scheduled %s %s for %s", job.service, job.job, period)
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
