"""Enrolments once made: reading them (D-8), cancelling a place (the seat
goes to the head of the waitlist), and closing a leaver's open places."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Principal
from shared.db import in_chunks
from shared.errors import NotFound
from training_service import rules
from training_service.states import ENROLMENT, EnrolmentStatus, SessionStatus
from training_service.store.catalogue import lock_session
from training_service.store.common import is_worker
from training_service.store.seats import fill_seats
from training_service.tables import CourseSession, Enrolment, Programme, RosterWorker


def get_enrolment(s: Session, enrolment_id: int, principal: Principal) -> tuple[Enrolment, CourseSession]:
    """An enrolment the caller may see: their own, or one in a session or of a
    worker they cover; another's answers 404 (D-8)."""
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFound("enrolment", "报名记录", enrolment_id)
    sess = s.get(CourseSession, e.session_id)
    worker = s.get(RosterWorker, e.worker_id)
    if is_worker(principal):
        ok = e.worker_id == principal.worker_id
    else:
        ok = principal.covers(sess.jurisdiction) or (worker is not None and principal.covers(worker.jurisdiction))
    if not ok:
        raise NotFound("enrolment", "报名记录", enrolment_id)
    return e, sess


def cancel_enrolment(s: Session, enrolment_id: int, principal: Principal | None, reason: str | None, by: str,
                     now: datetime) -> tuple[Enrolment, list[Enrolment]]:
    """Cancel a place (by the worker or a coordinator) if ``rules.cancellation``
    allows; a freed seat goes to the head of the waitlist in the same transaction."""
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFound("enrolment", "报名记录", enrolment_id)
    if principal is not None:
        get_enrolment(s, enrolment_id, principal)
    sess = lock_session(s, e.session_id)
    s.refresh(e)
    refusal = rules.cancellation(e.id, e.status, sess.status)
    if refusal:
        raise refusal.problem()
    was_seated = e.status == EnrolmentStatus.enrolled
    e.status = ENROLMENT.move(e.status, EnrolmentStatus.cancelled)
    e.cancelled_at, e.cancelled_by, e.cancel_reason = now, by, (reason or None)
    s.flush()
    return e, (fill_seats(s, sess, now) if was_seated else [])


def close_open_enrolments(s: Session, worker_id: int, reason: str, now: datetime) -> list[Enrolment]:
    """Cancel a leaver's open places in sessions still running; their seats go
    to the waitlists."""
    open_ = list(s.execute(
        select(Enrolment).join(CourseSession, CourseSession.id == Enrolment.session_id).where(
            Enrolment.worker_id == worker_id, Enrolment.status.in_(rules.OPEN_STATUSES),
            CourseSession.status == SessionStatus.scheduled,
        ).order_by(Enrolment.session_id)
    ).scalars())
    for e in open_:
        sess = lock_session(s, e.session_id)
        s.refresh(e)
        if not ENROLMENT.can(e.status, EnrolmentStatus.cancelled):
            continue
        was_seated = e.status == EnrolmentStatus.enrolled
        e.status = ENROLMENT.move(e.status, EnrolmentStatus.cancelled)
        e.cancelled_at, e.cancelled_by, e.cancel_reason = now, "system", reason
        s.flush()
        if was_seated:
            fill_seats(s, sess, now)
    return open_


def session_enrolments(s: Session, session_id: int, statuses: Iterable[str] | None = None
                       ) -> list[tuple[Enrolment, RosterWorker | None]]:
    q = (select(Enrolment, RosterWorker).outerjoin(RosterWorker, RosterWorker.worker_id == Enrolment.worker_id)
         .where(Enrolment.session_id == session_id))
    if statuses:
        q = q.where(Enrolment.status.in_(list(statuses)))
    return [(r[0], r[1]) for r in s.execute(q.order_by(Enrolment.id)).all()]


class EnrolmentView(NamedTuple):
    enrolment: Enrolment
    session: CourseSession
    programme: Programme
    worker: RosterWorker | None


def enrolment_views(s: Session, *, worker_id: int | None = None, session_id: int | None = None,
                    enrolment_ids: list[int] | None = None, status: str | None = None) -> list[EnrolmentView]:
    q = (select(Enrolment, CourseSession, Programme, RosterWorker)
         .join(CourseSession, CourseSession.id == Enrolment.session_id)
         .join(Programme, Programme.id == CourseSession.programme_id)
         .outerjoin(RosterWorker, RosterWorker.worker_id == Enrolment.worker_id))
    if worker_id is not None:
        q = q.where(Enrolment.worker_id == worker_id)
    if session_id is not None:
        q = q.where(Enrolment.session_id == session_id)
    if enrolment_ids is not None:
        q = q.where(Enrolment.id.in_(enrolment_ids))
    if status:
        q = q.where(Enrolment.status == status)
    return [EnrolmentView(*r) for r in s.execute(q.order_by(CourseSession.starts_at, Enrolment.id)).all()]


def waitlist_positions(s: Session, views: list[EnrolmentView]) -> dict[int, int]:
    """Each waiting enrolment's place on its session's waitlist (1 is next, in
    id order), read from those sessions' waitlists at once."""
    waiting = {v.enrolment.id: v.enrolment.session_id for v in views
               if v.enrolment.status == EnrolmentStatus.waitlisted}
    out: dict[int, int] = {}
    ahead: dict[int, int] = defaultdict(int)
    for chunk in in_chunks(waiting.values()):
        for eid, sid in s.execute(
            select(Enrolment.id, Enrolment.session_id)
            .where(Enrolment.session_id.in_(chunk), Enrolment.status == EnrolmentStatus.waitlisted)
            .order_by(Enrolment.session_id, Enrolment.id)
        ):
            ahead[sid] += 1
            if eid in waiting:
                out[eid] = ahead[sid]
    return out
