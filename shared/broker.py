"""Dramatiq on Redis: one namespace per service, a few retries, failed jobs kept.

Each service's worker consumes two queues in its own namespace
(``workforce.<service>``): ``events`` (from other services' relays) and
``jobs`` (from the scheduler). A message that exhausts its retries is stored
in that service's ``failed_job`` table; ``workforce jobs redrive`` sends it
again.
"""
from __future__ import annotations

import logging
import threading
import traceback
from datetime import UTC, datetime
from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.message import Message
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from sqlalchemy import Table, insert, select, update

from shared.db import Database

log = logging.getLogger(__name__)

EVENTS_QUEUE = "events"
JOBS_QUEUE = "jobs"
EVENT_ACTOR = "handle_event"
JOB_ACTOR = "run_job"


def namespace(service: str) -> str:
    return f"workforce.{service}"


class FailedJobs(dramatiq.Middleware):
    """Stores a message in ``failed_job`` once Retries has given up on it."""

    def __init__(self, db: Database, table: Table):
        self.db = db
        self.table = table

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is None or not message.failed:
            return
        error = "".join(traceback.format_exception_only(type(exception), exception)).strip()
        with self.db.transaction() as s:
            s.execute(
                insert(self.table).values(
                    message_id=message.message_id,
                    queue_name=message.queue_name,
                    actor_name=message.actor_name,
                    message=_json_safe(message.asdict()),
                    error=error[:4000],
                    failed_at=datetime.now(UTC),
                )
            )
        log.error("message %s failed for good: %s", message.message_id, error)


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}


def make_broker(
    redis_url: str,
    service: str,
    *,
    max_retries: int = 3,
    failed_jobs: FailedJobs | None = None,
    min_backoff_ms: int = 500,
) -> RedisBroker:
    """A Redis broker in the service's namespace, with small retries."""
    # "after" hooks run in reverse order: FailedJobs sits before Retries so
    # that it sees the message after Retries has decided to give up.
    middleware: list[dramatiq.Middleware] = [] if failed_jobs is None else [failed_jobs]
    middleware += [
        AgeLimit(),
        TimeLimit(time_limit=10 * 60 * 1000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(max_retries=max_retries, min_backoff=min_backoff_ms, max_backoff=60_000),
    ]
    return RedisBroker(url=redis_url, namespace=namespace(service), middleware=middleware)


class Sender:
    """Sends event and job messages into each target service's namespace."""

    def __init__(self, redis_url: str):
        self.redis_url = redis_url
        self._brokers: dict[str, RedisBroker] = {}
        self._lock = threading.Lock()

    def broker(self, service: str) -> RedisBroker:
        with self._lock:
            if service not in self._brokers:
                # bounded socket waits: a hung Redis must not hold the relay forever
                client = redis.Redis.from_url(self.redis_url, socket_timeout=5, socket_connect_timeout=2)
                self._brokers[service] = RedisBroker(client=client, namespace=namespace(service), middleware=[])
            return self._brokers[service]

    def send(self, service: str, queue: str, actor: str, payload: dict, message_id: str) -> None:
        msg = Message(queue_name=queue, actor_name=actor, args=(payload,), kwargs={}, options={}, message_id=message_id)
        self.broker(service).enqueue(msg)

    def close(self) -> None:
        for b in self._brokers.values():
            b.close()
            b.client.close()


def redrive(db: Database, table: Table, sender: Sender, service: str, ids: list[int] | None = None) -> int:
    """Send stored failed messages again (all not yet re-driven, or those ``ids``)."""
    with db.transaction() as s:
        q = select(table).where(table.c.redriven_at.is_(None)).order_by(table.c.id)
        if ids:
            q = q.where(table.c.id.in_(ids))
        rows = s.execute(q).mappings().all()
        for row in rows:
            m = row["message"]
            sender.send(service, m["queue_name"], m["actor_name"], m["args"][0], m["message_id"])
        if rows:
            s.execute(
                update(table)
                .where(table.c.id.in_([r["id"] for r in rows]))
                .values(redriven_at=datetime.now(UTC))
            )
    return len(rows)
