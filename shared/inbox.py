"""Inbox: each consumer records (event id, handler) in the same transaction as
its effect, so a repeated delivery has no second effect.

Events of one entity (``Event.stream()``, numbered by the publisher in
``seq``) are applied in their order: the consumer holds the last number it
applied per stream (``event_stream``); an event that comes before its
predecessor is kept in ``parked_event`` and applied as soon as the gap
closes; one already applied is skipped (docs/events.md, "Order per entity").
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from shared.audit import acting
from shared.db import Database, upsert
from shared.events import Event, event_type, from_message, to_message
from shared.observability import bound_event

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


def claim(session: Session, inbox: Table, key: str, handler: str, kind: str | None = None) -> bool:
    """Mark (key, handler) processed; False if it already was. ``kind``: the event type."""
    seen = session.execute(
        select(inbox.c.event_id).where(inbox.c.event_id == key, inbox.c.handler == handler)
    ).first()
    if seen:
        return False
    session.execute(insert(inbox).values(event_id=key, handler=handler, processed_at=datetime.now(UTC),
                                         event_type=kind))
    return True


def consume(db: Database, inbox: Table, payload: dict, handlers: dict[str, list[Handler]]) -> int:
    """Apply every handler registered for the event, each once. Returns how many ran now.

    An event without a stream: each handler has its own transaction, so a
    failure in one rolls back only its effect and a retry skips those already
    done. An event of a stream: all its handlers in one transaction with the
    stream's position, in the stream's order. On PostgreSQL a concurrent
    duplicate blocks on the inbox key (or the stream's row) and then skips.
    """
    event = from_message(payload)
    kind = event_type(event)
    with bound_event(event.event_id, kind, event.request_id):
        if event.seq is None or event.stream() is None:
            return _apply_each(db, inbox, event, handlers.get(kind, []))
        return _apply_in_order(db, inbox, event, handlers)


def _handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"[-80:]


def _apply_each(db: Database, inbox: Table, event: Event, handlers: list[Handler]) -> int:
    ran = 0
    kind = event_type(event)
    for handler in handlers:
        name = _handler_name(handler)
        with acting(f"event:{kind}"), db.transaction() as s:  # D-18: the event is the actor
            if not claim(s, inbox, event.event_id, name, kind):
                log.info("skip repeat %s for %s", event.event_id, name)
                continue
            handler(s, event)
            log.info("applied by %s", name)
            ran += 1
    return ran


def _apply_all(session: Session, inbox: Table, event: Event, handlers: dict[str, list[Handler]]) -> int:
    kind, ran = event_type(event), 0
    with acting(f"event:{kind}"):  # D-18: the event is the actor
        for handler in handlers.get(kind, []):
            name = _handler_name(handler)
            if claim(session, inbox, event.event_id, name, kind):
                handler(session, event)
                log.info("applied by %s (#%s of %s)", name, event.seq, event.stream())
                ran += 1
    return ran


def _apply_in_order(db: Database, inbox: Table, event: Event, handlers: dict[str, list[Handler]]) -> int:
    tables = inbox.metadata.tables
    streams, parked = tables["event_stream"], tables["parked_event"]
    key, seq = event.stream(), event.seq
    assert key is not None and seq is not None
    with db.transaction() as s:
        last = _position(s, streams, key)
        if seq > last + 1:
            s.execute(upsert(s, parked).values(
                stream=key, seq=seq, event_id=event.event_id, payload=to_message(event), parked_at=datetime.now(UTC),
            ).on_conflict_do_nothing(index_elements=[parked.c.stream, parked.c.seq]))
            log.info("%s is #%d of %s, which stands at #%d: kept until the ones before it arrive",
                     event.event_id, seq, key, last)
            return 0
        ran = 0
        if seq <= last:
            log.info("skip %s: #%d of %s, already applied (at #%d)", event.event_id, seq, key, last)
        else:
            ran = _apply_all(s, inbox, event, handlers)
            _advance(s, streams, key, seq)
            last = seq
        waiting = s.execute(select(parked.c.seq).where(parked.c.stream == key, parked.c.seq == last + 1)).first()
    return ran + (_drain(db, inbox, key, handlers) if waiting else 0)


def _drain(db: Database, inbox: Table, key: str, handlers: dict[str, list[Handler]]) -> int:
    """Apply the parked successors of ``key``'s position, one transaction each."""
    tables = inbox.metadata.tables
    streams, parked = tables["event_stream"], tables["parked_event"]
    ran = 0
    while True:
        with db.transaction() as s:
            last = _position(s, streams, key)
            s.execute(delete(parked).where(parked.c.stream == key, parked.c.seq <= last))
            row = s.execute(select(parked.c.payload).where(parked.c.stream == key, parked.c.seq == last + 1)).first()
            if row is None:
                return ran
            event = from_message(row.payload)
            with bound_event(event.event_id, event_type(event), event.request_id):
                log.info("applying %s (#%d of %s), kept until now", event.event_id, last + 1, key)
                ran += _apply_all(s, inbox, event, handlers)
            _advance(s, streams, key, last + 1)
            s.execute(delete(parked).where(parked.c.stream == key, parked.c.seq == last + 1))


def _position(session: Session, streams: Table, key: str) -> int:
    """The last number applied in ``key``'s stream (0: none yet), its row locked on PostgreSQL."""
    q = select(streams.c.last_seq).where(streams.c.stream == key).with_for_update()
    last = session.execute(q).scalar()
    if last is None:
        session.execute(upsert(session, streams).values(stream=key, last_seq=0, updated_at=datetime.now(UTC))
                        .on_conflict_do_nothing(index_elements=[streams.c.stream]))
        last = session.execute(q).scalar_one()
    return last


def _advance(session: Session, streams: Table, key: str, seq: int) -> None:
    session.execute(update(streams).where(streams.c.stream == key).values(last_seq=seq, updated_at=datetime.now(UTC)))
