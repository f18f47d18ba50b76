"""Transactional outbox and its relay.

``publish(session, outbox, event)`` writes the event in the caller's
transaction: if that rolls back, the event never existed. The relay reads
committed, unsent rows in order, sends each to every service subscribed to its
type (the ``subscribers`` it is given) with the event id as the Dramatiq
message id, then marks them sent. A crash between send and mark sends again;
consumers' inboxes drop the repeat.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol

import msgspec
from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from shared.broker import EVENT_ACTOR, EVENTS_QUEUE
from shared.db import Database, in_chunks, upsert
from shared.events import Event, event_type, to_message
from shared.observability import bound_event, current_request_id
from shared.redelivery import Redelivery

log = logging.getLogger(__name__)


def publish(session: Session, outbox: Table, event: Event) -> None:
    """Record ``event`` for delivery, inside the caller's transaction."""
    publish_many(session, outbox, [event])


def publish_many(session: Session, outbox: Table, events: list[Event]) -> None:
    """Record many events in one statement (for set-based runs), each numbered
    in its entity's stream and stamped with the request that caused it."""
    if not events:
        return
    now = datetime.now(UTC)
    events = numbered(session, outbox.metadata.tables["event_sequence"], events)
    session.execute(
        insert(outbox),
        [
            dict(event_id=e.event_id, event_type=event_type(e), payload=to_message(e), created_at=now, attempts=0,
                 redeliveries=0)
            for e in events
        ],
    )


def numbered(session: Session, sequence: Table, events: list[Event]) -> list[Event]:
    """``events`` with their ``seq`` in their entity's stream and the current
    request id. The stream's counter row is taken with an upsert in the
    caller's transaction: a second transaction numbering the same entity
    waits for this one, so numbers follow the order of commits."""
    request_id = current_request_id()
    counts = Counter(key for e in events if (key := e.stream()) is not None)
    last: dict[str, int] = {}
    for chunk in in_chunks(counts, 1000):
        stmt = upsert(session, sequence).values([{"stream": k, "last_seq": counts[k]} for k in chunk])
        stmt = stmt.on_conflict_do_update(
            index_elements=[sequence.c.stream], set_={"last_seq": sequence.c.last_seq + stmt.excluded.last_seq}
        ).returning(sequence.c.stream, sequence.c.last_seq)
        last.update({row.stream: row.last_seq for row in session.execute(stmt)})
    given: dict[str, int] = {k: last[k] - counts[k] for k in counts}  # the number before this batch's first
    out = []
    for e in events:
        key = e.stream()
        changes: dict = {"request_id": e.request_id or request_id}
        if key is not None:
            given[key] += 1
            changes["seq"] = given[key]
        out.append(msgspec.structs.replace(e, **changes))
    return out


class EventSender(Protocol):
    def send(self, service: str, queue: str, actor: str, payload: dict, message_id: str) -> None: ...

    def confirmed(self, service: str, event_ids: list[str]) -> set[str]: ...

    def backlog(self, service: str) -> int: ...

    def forget(self, service: str, event_ids: list[str], older_than: float) -> None: ...


class Relay:
    """Moves committed outbox rows to the broker. One per service database.

    ``subscribers`` maps an event type to the services that consume it; an
    event of a type no one consumes is marked sent without a message."""

    def __init__(
        self,
        db: Database,
        outbox: Table,
        sender: EventSender,
        *,
        subscribers: Mapping[str, Sequence[str]],
        batch_size: int = 200,
        after_send: Callable[[list[str]], None] | None = None,
        redeliver_after: float = 60.0,
    ):
        self.db = db
        self.outbox = outbox
        self.sender = sender
        self.batch_size = batch_size
        self.subscribers = subscribers
        self.after_send = after_send  # a test hook: runs between send and mark
        self.redelivery = Redelivery(db, outbox, sender, subscribers, after=redeliver_after)
        self.check_every = min(max(redeliver_after / 4, 0.5), 5.0)  # seconds between confirmation checks
        self._stop = threading.Event()

    def pending(self) -> int:
        with self.db.read_session() as s:
            return len(s.execute(select(self.outbox.c.id).where(self.outbox.c.sent_at.is_(None))).all())

    def run_once(self) -> int:
        """Send one batch; returns how many events were sent and marked.

        On PostgreSQL the batch is claimed with FOR UPDATE SKIP LOCKED, so
        several relays can share one outbox. On SQLite (one relay per file)
        the batch is read without taking the write lock, which is taken only
        for the short mark, so the service's writers never wait on Redis.
        """
        o = self.outbox
        q = select(o.c.id, o.c.event_id, o.c.event_type, o.c.payload).where(o.c.sent_at.is_(None))
        q = q.order_by(o.c.id).limit(self.batch_size)
        if self.db.sqlite:
            with self.db.read_session() as s:
                rows = s.execute(q).all()
            if rows:
                self._send(rows)
                with self.db.transaction() as s:
                    self._mark(s, rows)
            return len(rows)
        with self.db.transaction() as s:
            rows = s.execute(q.with_for_update(skip_locked=True)).all()
            if rows:
                self._send(rows)
                self._mark(s, rows)
            return len(rows)

    def _send(self, rows) -> None:
        for row in rows:
            with bound_event(row.event_id, row.event_type, row.payload.get("request_id")):
                for service in self.subscribers.get(row.event_type, ()):
                    self.sender.send(service, EVENTS_QUEUE, EVENT_ACTOR, row.payload, row.event_id)
                log.debug("sent to %s", ", ".join(self.subscribers.get(row.event_type, ())) or "no one")
        if self.after_send:
            self.after_send([r.event_id for r in rows])

    def _mark(self, session, rows) -> None:
        """Sent; an event no one subscribes to is confirmed as well."""
        o, now = self.outbox, datetime.now(UTC)
        heard = [r.id for r in rows if self.subscribers.get(r.event_type)]
        unheard = [r.id for r in rows if not self.subscribers.get(r.event_type)]
        if heard:
            session.execute(update(o).where(o.c.id.in_(heard)).values(
                sent_at=now, due_at=self.redelivery.first_due(now)))
        if unheard:
            session.execute(update(o).where(o.c.id.in_(unheard)).values(sent_at=now, confirmed_at=now))

    def drain(self) -> int:
        total = 0
        while n := self.run_once():
            total += n
        return total

    def run_forever(self, interval: float = 0.2) -> None:
        """Poll until stopped; back off while the broker is unreachable. Every
        ``check_every`` seconds, confirm or send again what was sent (``Redelivery``)."""
        delay = interval
        next_check = time.monotonic() + self.check_every
        while not self._stop.is_set():
            try:
                if time.monotonic() >= next_check:
                    self.redelivery.run_until_done()
                    next_check = time.monotonic() + self.check_every
                sent = self.run_once()
                delay = interval
                if sent:
                    continue
            except Exception as exc:  # Redis down, database busy: wait and try again
                log.warning("relay: %s; retrying in %.1fs", exc, delay)
                self._record_error(str(exc))
                delay = min(delay * 2, 5.0)
            self._stop.wait(delay)

    def _record_error(self, message: str) -> None:
        try:
            with self.db.transaction() as s:
                first = s.execute(
                    select(self.outbox.c.id).where(self.outbox.c.sent_at.is_(None)).order_by(self.outbox.c.id).limit(1)
                ).scalar()
                if first is not None:
                    s.execute(
                        update(self.outbox)
                        .where(self.outbox.c.id == first)
                        .values(attempts=self.outbox.c.attempts + 1, last_error=message[:2000])
                    )
        except Exception:  # the database itself may be the problem
            log.debug("relay: could not record error", exc_info=True)

    def stop(self) -> None:
        self._stop.set()


def start_relay_thread(relay: Relay, interval: float) -> threading.Thread:
    t = threading.Thread(target=relay.run_forever, args=(interval,), name="outbox-relay", daemon=True)
    t.start()
    return t


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, step: float = 0.05) -> bool:
    """Poll ``predicate`` until true or ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
