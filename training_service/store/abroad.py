"""Places abroad (S2-3 每一年选派优秀社区工作者"出境学"): the yearly selection
list, within the places of the jurisdiction whose policy is in force."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.auth import Principal, require_jurisdiction
from shared.db import get_within
from shared.db import in_jurisdiction as in_scope
from shared.errors import Conflict, NotFound
from shared.policy import Policies
from training_service import rules
from training_service.states import RosterStatus
from training_service.store.common import is_worker
from training_service.store.roster import lock_worker
from training_service.tables import AbroadSelection, CourseSession, Enrolment, Programme, infra


def is_selected_abroad(s: Session, worker_id: int, year: int) -> bool:
    return s.execute(select(AbroadSelection.id).where(
        AbroadSelection.worker_id == worker_id, AbroadSelection.year == year)).first() is not None


def select_abroad(s: Session, policies: Policies, principal: Principal, year: int, worker_id: int, note: str | None,
                  now: datetime) -> AbroadSelection:
    """Put a worker on the year's selection list for study abroad, within the
    yearly places of the jurisdiction whose policy is in force (S2-3)."""
    w = lock_worker(s, worker_id)
    if w is None or not principal.may_see(w.jurisdiction, w.worker_id):
        raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
    require_jurisdiction(principal, w.jurisdiction, field="worker_id")
    refusal = rules.selectable(worker_id, w.status == RosterStatus.active)
    if refusal:
        raise refusal.problem()
    version = policies.version_in_force(s, "abroad_places", w.jurisdiction, date(year, 12, 31))
    # the policy row that sets the places is the lock that serialises selections against it
    s.execute(select(infra.policy_version.c.id).where(infra.policy_version.c.id == version.id).with_for_update())
    places: rules.AbroadRule = policies.typed(version)
    taken = s.execute(select(func.count()).select_from(AbroadSelection).where(
        AbroadSelection.year == year, in_scope(AbroadSelection.jurisdiction, version.jurisdiction))).scalar_one()
    refusal = rules.abroad_refusal(worker_id, year, is_selected_abroad(s, worker_id, year), places.places_per_year,
                                   taken, version.jurisdiction)
    if refusal:
        raise refusal.problem()
    sel = AbroadSelection(year=year, worker_id=worker_id, jurisdiction=w.jurisdiction, note=note,
                          selected_by=principal.sub, selected_at=now)
    s.add(sel)
    s.flush()
    return sel


def list_abroad(s: Session, principal: Principal, year: int | None) -> list[AbroadSelection]:
    q = select(AbroadSelection).where(in_scope(AbroadSelection.jurisdiction, principal.jurisdiction))
    if is_worker(principal):
        q = select(AbroadSelection).where(AbroadSelection.worker_id == principal.worker_id)
    if year is not None:
        q = q.where(AbroadSelection.year == year)
    return list(s.execute(q.order_by(AbroadSelection.year, AbroadSelection.id)).scalars())


def remove_abroad(s: Session, principal: Principal, selection_id: int) -> None:
    """Take a worker off the list, unless they hold a place abroad that year."""
    sel = get_within(s, AbroadSelection, selection_id, principal, "selection", "选派记录")
    held = s.execute(
        select(Enrolment.id).join(CourseSession, CourseSession.id == Enrolment.session_id)
        .join(Programme, Programme.id == CourseSession.programme_id).where(
            Enrolment.worker_id == sel.worker_id, Enrolment.status.in_(rules.HELD_STATUSES),
            Programme.location == "abroad", CourseSession.starts_at >= datetime(sel.year, 1, 1),
            CourseSession.starts_at < datetime(sel.year + 1, 1, 1))
    ).first()
    if held:
        raise Conflict("selection_in_use", "The worker holds a place abroad this year; cancel it first.",
                       "该社区工作者已报名本年度出境学习，请先取消报名。", field="selection_id", clause="S2-3")
    s.delete(sel)

