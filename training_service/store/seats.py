"""Seats and the waitlist of a session: seats held and waiting counted, and a
freed seat given to the head of the waitlist at once, first come first served."""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from training_service.states import ENROLMENT, EnrolmentStatus
from training_service.tables import CourseSession, Enrolment


class Counts(NamedTuple):
    enrolled: int
    waitlisted: int


def counts(s: Session, session_ids: list[int]) -> dict[int, Counts]:
    """Seats held (enrolled, completed, not completed) and waitlist length per session."""
    out = {i: Counts(0, 0) for i in session_ids}
    if not session_ids:
        return out
    rows = s.execute(
        select(Enrolment.session_id, Enrolment.status, func.count())
        .where(Enrolment.session_id.in_(session_ids), Enrolment.status != EnrolmentStatus.cancelled)
        .group_by(Enrolment.session_id, Enrolment.status)
    ).all()
    acc: dict[int, list[int]] = {i: [0, 0] for i in session_ids}
    for sid, status, n in rows:
        acc[sid][1 if status == EnrolmentStatus.waitlisted else 0] += n
    return {i: Counts(*v) for i, v in acc.items()}


def seated_count(s: Session, session_id: int) -> int:
    """Workers seated now (enrolled) in a session."""
    return s.execute(select(func.count()).select_from(Enrolment).where(
        Enrolment.session_id == session_id, Enrolment.status == EnrolmentStatus.enrolled)).scalar_one()


def fill_seats(s: Session, sess: CourseSession, now: datetime) -> list[Enrolment]:
    """Free seats go to the head of the waitlist at once, in order."""
    free = sess.capacity - seated_count(s, sess.id)
    if free <= 0:
        return []
    heads = list(s.execute(select(Enrolment).where(
        Enrolment.session_id == sess.id, Enrolment.status == EnrolmentStatus.waitlisted)
        .order_by(Enrolment.id).limit(free)).scalars())
    for e in heads:
        e.status = ENROLMENT.move(e.status, EnrolmentStatus.enrolled)
        e.seated_at, e.promoted = now, True
    s.flush()
    return heads
