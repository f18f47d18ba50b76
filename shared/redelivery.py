"""The relay's safety net: an event a subscriber has not confirmed within a
bound is sent to it again (docs/events.md, "Nothing lost").

A consuming worker confirms an event once it is settled in its inbox
(applied, a repeat skipped, kept until its turn, or stored as failed) by
adding its id to a sorted set in its own namespace, never by touching the
publisher's database. The relay checks its sent, unconfirmed rows older than
``after`` seconds against each subscriber's set: confirmed by all, the row is
marked ``confirmed_at``; otherwise the event is sent again to those that have
not confirmed, ``redeliveries`` goes up and the next wait doubles (up to 64
times the bound). ``due_at`` says when a row is next asked about, so each
pass reads only rows that are due, and a backlog is worked through batch by
batch. A subscriber with events still waiting in its queue is only
behind, not missing anything: it is asked again once its queue has drained.
The consumers' inboxes keep the repeats harmless.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table, select, update

from shared.broker import EVENT_ACTOR, EVENTS_QUEUE
from shared.db import Database
from shared.observability import bound_event

log = logging.getLogger(__name__)

KEEP_CONFIRMATIONS = 7 * 24 * 3600  # seconds: a confirmation no relay asked about is dropped after this
MAX_DOUBLINGS = 6


class Redelivery:
    def __init__(self, db: Database, outbox: Table, sender, subscribers: Mapping[str, Sequence[str]], *,
                 after: float, batch_size: int = 500):
        self.db = db
        self.outbox = outbox
        self.sender = sender
        self.subscribers = subscribers
        self.after = after
        self.batch_size = batch_size
        self.last_batch = 0  # rows the last pass read

    def first_due(self, sent_at: datetime) -> datetime:
        return sent_at + timedelta(seconds=self.after)

    def run_until_done(self) -> None:
        """Check batch after batch while full ones come back (a backlog of due rows)."""
        while True:
            self.run_once()
            if self.last_batch < self.batch_size:
                return

    def run_once(self, now: datetime | None = None) -> tuple[int, int]:
        """Check one batch of due, unconfirmed rows: returns (confirmed now, sent again)."""
        now = now or datetime.now(UTC)
        o = self.outbox
        q = (select(o.c.id, o.c.event_id, o.c.event_type, o.c.payload, o.c.redeliveries)
             .where(o.c.confirmed_at.is_(None), o.c.due_at <= now)
             .order_by(o.c.due_at).limit(self.batch_size))
        self.last_batch = 0
        if self.db.sqlite:  # one relay per file: read, talk to Redis, then the short write
            with self.db.read_session() as s:
                rows = s.execute(q).all()
            if not rows:
                return 0, 0
            done, again = self._check(rows, now)
            with self.db.transaction() as s:
                self._record(s, rows, done, again, now)
        else:  # several relays share the outbox: each checks the rows it has claimed
            with self.db.transaction() as s:
                rows = s.execute(q.with_for_update(skip_locked=True)).all()
                if not rows:
                    return 0, 0
                done, again = self._check(rows, now)
                self._record(s, rows, done, again, now)
        # only once recorded: a confirmation forgotten before then would have the event sent again
        self._forget([r for r in rows if r.id in done])
        self.last_batch = len(rows)
        return len(done), len(again)

    def _audience(self, row) -> Sequence[str]:
        return self.subscribers.get(row.event_type, ())

    def _check(self, rows, now: datetime) -> tuple[set[int], list[int]]:
        """Ask each subscriber which rows it confirmed; send again the due ones it has not.
        Returns (the ids of the rows confirmed by all, those sent again)."""
        missing: dict[int, list[str]] = {r.id: [] for r in rows}
        for service in {svc for r in rows for svc in self._audience(r)}:
            mine = [r for r in rows if service in self._audience(r)]
            confirmed = self.sender.confirmed(service, [r.event_id for r in mine])
            for r in mine:
                if r.event_id not in confirmed:
                    missing[r.id].append(service)
        behind = {svc for svc in set().union(*missing.values()) if self.sender.backlog(svc)}
        again = []
        for r in rows:
            lost = [svc for svc in missing[r.id] if svc not in behind]
            if lost:
                with bound_event(r.event_id, r.event_type, r.payload.get("request_id")):
                    log.warning("event %s not confirmed by %s: sent again (redelivery %d)",
                                r.event_id, ", ".join(lost), r.redeliveries + 1)
                    for service in lost:
                        self.sender.send(service, EVENTS_QUEUE, EVENT_ACTOR, r.payload, r.event_id)
                again.append(r.id)
        return {r.id for r in rows if not missing[r.id]}, again

    def _forget(self, rows) -> None:
        """Drop the recorded confirmations from Redis, and any older than ``KEEP_CONFIRMATIONS``."""
        for service in {svc for r in rows for svc in self._audience(r)}:
            ids = [r.event_id for r in rows if service in self._audience(r)]
            self.sender.forget(service, ids, older_than=time.time() - KEEP_CONFIRMATIONS)

    def _record(self, session, rows, done: set[int], again: list[int], now: datetime) -> None:
        """Confirmed rows are done; a row sent again waits twice as long as before; a row whose
        subscriber is only behind is asked about again after one more bound."""
        o = self.outbox
        if done:
            session.execute(update(o).where(o.c.id.in_(sorted(done))).values(confirmed_at=now))
        for r in rows:
            if r.id in again:
                wait = self.after * 2 ** min(r.redeliveries + 1, MAX_DOUBLINGS)
                session.execute(update(o).where(o.c.id == r.id).values(
                    sent_at=now, due_at=now + timedelta(seconds=wait), redeliveries=o.c.redeliveries + 1,
                    last_error="not confirmed; sent again"))
        waiting = [r.id for r in rows if r.id not in done and r.id not in again]
        if waiting:
            session.execute(update(o).where(o.c.id.in_(waiting)).values(due_at=now + timedelta(seconds=self.after)))
