"""What HR's worker events do to the roster beyond a hire: a leaver gives up
their open places; ``worker.changed`` (D-11) moves the entry to the post,
community, jurisdiction, status and probation the worker has from the
change's date, so that eligibility, the D-6 obligations and who sees the
worker follow the change."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from shared.events import WorkerChanged
from shared.inbox import WorkerNotYetKnown
from training_service.states import RosterStatus
from training_service.store.enrolments import close_open_enrolments
from training_service.store.roster import lock_worker, record_hire, record_leaving
from training_service.tables import RosterWorker


def leave(s: Session, w: RosterWorker, left_on: date, reason: str, at: datetime) -> None:
    """The entry has left on ``left_on``; its open places are cancelled and
    the freed seats go to the heads of the waitlists."""
    record_leaving(w, left_on, at)
    s.flush()
    close_open_enrolments(s, w.worker_id, "worker left" + (f": {reason}" if reason else ""), at)


def apply_worker_change(s: Session, event: WorkerChanged) -> bool:
    """worker.changed: the entry as the worker stands from ``effective_on``.
    A status ``left`` closes it as worker.left does; any other status on an
    entry that had left re-opens it (reinstatement). True if applied; False
    for a change no newer than the last applied. Raises
    ``WorkerNotYetKnown`` for a worker not on the roster yet."""
    w = lock_worker(s, event.worker_id)
    if w is None:
        raise WorkerNotYetKnown(event.worker_id, "worker.changed")
    if not event.newer_than(w.last_change_id):
        return False
    w.post, w.jurisdiction, w.community_code = event.post, event.jurisdiction, event.community_code
    if event.probation_ends_on is not None:  # a change that does not say keeps the probation known
        w.probation_ends_on = event.probation_ends_on
    w.last_change_id, w.source, w.updated_at = event.change_id, "event", event.occurred_at
    if event.status == RosterStatus.left:
        leave(s, w, event.effective_on, event.reason or event.kind, event.occurred_at)
    elif w.status == RosterStatus.left:
        record_hire(w)
    s.flush()
    return True
