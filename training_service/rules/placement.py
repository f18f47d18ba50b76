"""Taking and giving up a place: first come first served, one place per
session, no two overlapping sessions, the audience of ``audience.eligibility``."""
from __future__ import annotations

from datetime import datetime

import msgspec

from shared.errors import Refusal
from training_service.rules.audience import Candidate, Offer, eligibility
from training_service.rules.catalogue import overlaps, session_open
from training_service.rules.policies import TierEligibility
from training_service.states import ENROLMENT, EnrolmentStatus, SessionStatus


class Held(msgspec.Struct, frozen=True):
    """A place a worker holds or waits for, with its session's times."""

    session_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    enrolment_id: int | None = None


class Slot(msgspec.Struct, frozen=True):
    """The session asked for: its state, times and seats."""

    session_id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seated: int


def placement(worker: Candidate, slot: Slot, offer: Offer, tiers: TierEligibility, selected_abroad: bool,
              held: list[Held]) -> EnrolmentStatus | Refusal:
    """Where ``worker`` goes in ``slot``: a seat while one is free, else the end
    of the waitlist; or why not, in this order: the session is not open (409),
    the worker already holds a place in it (409), is not eligible (422, see
    ``eligibility``), or holds a place in an overlapping session (409, the
    earliest named)."""
    closed = session_open(slot.session_id, slot.status)
    if closed:
        return closed
    here = [h for h in held if h.session_id == slot.session_id]
    if here:
        return Refusal("already_enrolled",
                       f"Worker {worker.worker_id} already holds a place in session {slot.session_id} "
                       f"({here[0].status}).",
                       "该社区工作者已报名该班次。",
                       field="worker_id", status=409, extra={"enrolment_id": here[0].enrolment_id})
    refusal = eligibility(worker, offer, tiers, selected_abroad)
    if refusal:
        return refusal
    clash = min((h for h in held if overlaps(h.starts_at, h.ends_at, slot.starts_at, slot.ends_at)),
                key=lambda h: h.starts_at, default=None)
    if clash is not None:
        return Refusal("overlapping_session",
                       f"Worker {worker.worker_id} already holds session {clash.session_id} "
                       f"({clash.starts_at:%Y-%m-%d %H:%M} to {clash.ends_at:%Y-%m-%d %H:%M}), "
                       "which overlaps this one.",
                       f"该社区工作者已报名的班次 {clash.session_id} 与本班次时间重叠。",
                       field="session_id", status=409, extra={"overlapping_session_id": clash.session_id})
    return EnrolmentStatus.enrolled if slot.seated < slot.capacity else EnrolmentStatus.waitlisted


def cancellation(enrolment_id: int, status: str, session_status: str) -> Refusal | None:
    """A seated or waiting place in a scheduled session may be cancelled; a
    finished place, or any place in a closed or cancelled session, may not (409)."""
    if session_status == SessionStatus.scheduled and ENROLMENT.can(status, EnrolmentStatus.cancelled):
        return None
    return Refusal("not_cancellable",
                   f"Enrolment {enrolment_id} is {status} in a {session_status} session; it cannot be cancelled.",
                   "该报名记录已不能取消。", field="enrolment_id", status=409)
