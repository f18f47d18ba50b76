"""Inbox: each consumer records (event id, handler) in the same transaction as
its effect, so a repeated delivery has no second effect."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from shared.audit import acting
from shared.db import Database
from shared.events import event_type, from_message

log = logging.getLogger(__name__)

class WorkerNotYetKnown(LookupError):
    """An event about a worker whose ``worker.hired`` has not been applied
    here yet. The handler fails, its inbox claim rolls back with it, and the
    message is delivered again later (retried, then kept in ``failed_job``)."""

    def __init__(self, worker_id: int, event: str):
        super().__init__(f"{event} for worker {worker_id}, who is not known here yet")
        self.worker_id = worker_id


Handler = Callable[[Session, Any], None]
"""A handler of one event type (it is given only the events it subscribed to)."""


def claim(session: Session, inbox: Table, key: str, handler: str) -> bool:
    """Mark (key, handler) processed; False if it already was."""
    seen = session.execute(
        select(inbox.c.event_id).where(inbox.c.event_id == key, inbox.c.handler == handler)
    ).first()
    if seen:
        return False
    session.execute(insert(inbox).values(event_id=key, handler=handler, processed_at=datetime.now(UTC)))
    return True


def consume(db: Database, inbox: Table, payload: dict, handlers: dict[str, list[Handler]]) -> int:
    """Apply every handler registered for the event, each once. Returns how many ran now.

    Each handler has its own transaction: a failure in one rolls back only its
    effect, and a retry skips those already done. On PostgreSQL a concurrent
    duplicate blocks on the inbox key and then fails the unique check, which
    the retry turns into a skip.
    """
    event = from_message(payload)
    ran = 0
    for handler in handlers.get(event_type(event), []):
        name = f"{handler.__module__}.{handler.__qualname__}"[-80:]
        with acting(f"event:{event_type(event)}"), db.transaction() as s:  # D-18: the event is the actor
            if not claim(s, inbox, event.event_id, name):
                log.info("skip repeat %s for %s", event.event_id, name)
                continue
            handler(s, event)
            ran += 1
    return ran
