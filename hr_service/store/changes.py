"""A worker's changes from a date (D-11) and corrections (D-12): transfers,
probation decisions, grade corrections, reinstatement. ``rules.changes``
decides; this module loads, saves, keeps the worker's history
(``worker_change``) and publishes ``worker.changed`` in the same transaction.
A change reaching back into paid months asks the next pay run to make good
the difference (``hr_service.pay.recheck_paid_months``)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hr_service.recruitment.rules import transfer_free_on
from hr_service.recruitment.tables import Community
from hr_service.rules import changes as rule
from hr_service.rules.changes import ChangeKind, ProbationRule
from hr_service.states import WORKER, WorkerStatus
from hr_service.store.history import latest_on, recheck, record_change, snapshot
from hr_service.store.policies import POLICIES
from hr_service.store.rolls import check_room
from hr_service.store.workers import facts, leaving
from hr_service.tables import GradeChange, Worker, WorkerChange
from shared.auth import Principal, require_jurisdiction
from shared.db import in_jurisdiction
from shared.errors import Invalid, Problem, Refusal, refuse_future
from shared.paging import fetch_page
from shared.policy import Policies


class Correction(NamedTuple):
    row: GradeChange
    superseded: list[int]
    rechecked: bool


def refused(decided: Any) -> None:
    if isinstance(decided, Refusal):
        raise decided.problem()


def destination(session: Session, principal: Principal, code: str) -> Community:
    """The community a worker is moved to, locked: 422 if unknown, 403 outside the officer's jurisdiction."""
    c = session.execute(select(Community).where(Community.code == code).with_for_update()).scalar_one_or_none()
    if c is None:
        raise Invalid("unknown_community", f"There is no community '{code}'.", f"没有社区“{code}”。",
                      field="community_code", clause="D-11")
    require_jurisdiction(principal, c.jurisdiction, field="community_code")  # its street when it has one (D-17)
    return c


def transfer(
    session: Session, principal: Principal, worker: Worker, *, community_code: str, effective_on: date,
    reason: str, now: datetime, today: date, policies: Policies = POLICIES,
) -> WorkerChange:
    """D-11 move ``worker`` to another community from ``effective_on`` (not
    after today): the officer's jurisdiction covers both ends, D-4's
    no-transfer period has passed, and the destination has room on that date
    and on every day since (S4-1, S4-3, D-9). The jurisdiction follows the
    community: its street when it has one, else its district (D-17)."""
    refuse_future(effective_on, today, "effective_on", clause="D-11")
    dest = destination(session, principal, community_code)
    try:
        free_on: date | None = transfer_free_on(
            worker.hired_on, policies.in_force(session, "recruitment", worker.jurisdiction, effective_on))
    except Problem:
        free_on = None
    refused(rule.transfer(facts(worker), community_code=worker.community_code, to_code=dest.code,
                          effective_on=effective_on, free_on=free_on,
                          latest_on=latest_on(session, worker.id, (ChangeKind.transfer,))))
    check_room(session, policies, dest.code, effective_on, moving_worker=worker.id, until=today)
    before = snapshot(worker)
    worker.community_code, worker.jurisdiction = dest.code, dest.jurisdiction  # its street when it has one (D-17)
    return record_change(session, worker, ChangeKind.transfer, effective_on, before, reason=reason,
                         clause="D-11", actor=principal.sub, now=now)


def probation_rule(session: Session, jurisdiction: str, on: date, policies: Policies = POLICIES) -> ProbationRule:
    """D-4's probation policy in force for ``jurisdiction`` on ``on``."""
    return policies.in_force(session, "probation", jurisdiction, on, or_first=True)


def probation_extensions(session: Session, worker_id: int) -> int:
    return session.execute(select(func.count()).select_from(WorkerChange).where(
        WorkerChange.worker_id == worker_id, WorkerChange.kind == ChangeKind.probation_extended.value)).scalar_one()


def decide_probation(
    session: Session, principal: Principal, worker: Worker, *, decision: str, effective_on: date,
    until: date | None, reason: str, now: datetime, today: date, policies: Policies = POLICIES,
) -> WorkerChange:
    """D-4 the probation ends in a decision: confirm, extend once, or end the
    employment (the worker leaves: ``worker.left`` as well as ``worker.changed``)."""
    refuse_future(effective_on, today, "effective_on", clause="D-4")
    probation = probation_rule(session, worker.jurisdiction, effective_on, policies)
    outcome = rule.probation_decision(
        facts(worker), probation_ends_on=worker.probation_ends_on, decision=decision, effective_on=effective_on,
        until=until, extended=probation_extensions(session, worker.id), rule=probation)
    if isinstance(outcome, Refusal):
        raise outcome.problem()
    if outcome.left_on is not None:
        return leaving(session, worker, left_on=outcome.left_on, reason=reason, actor=principal.sub, now=now,
                       kind=outcome.kind, clause="D-4")
    before = snapshot(worker)
    if outcome.status != worker.status:
        worker.status = WORKER.move(worker.status, outcome.status)
    worker.probation_ends_on = outcome.probation_ends_on
    return record_change(session, worker, outcome.kind, effective_on, before, reason=reason, clause="D-4",
                         actor=principal.sub, now=now)


def probations_ending(session: Session, principal: Principal, today: date, within_days: int, limit: int,
                      offset: int) -> tuple[list[Worker], int]:
    """Workers on probation in the officer's jurisdiction whose probation ends
    within ``within_days`` of today, or has ended undecided, soonest first (D-4)."""
    q = select(Worker).where(
        in_jurisdiction(Worker.jurisdiction, principal.jurisdiction), Worker.status == WorkerStatus.probation,
        Worker.probation_ends_on.is_not(None), Worker.probation_ends_on <= today + timedelta(days=within_days))
    page, total = fetch_page(session, q, [Worker.probation_ends_on, Worker.id], limit, offset)
    return list(page.scalars()), total


def correct_grade(
    session: Session, principal: Principal, worker: Worker, *, post: str, grade: int, effective_on: date,
    reason: str, now: datetime, today: date, policies: Policies = POLICIES,
) -> Correction:
    """D-12 set the worker's post and grade from ``effective_on``, with a reason.
    The grade-history rows effective on or after that date are superseded by
    the correction (kept, marked); the step bookkeeping is read again from
    what stands; the paid months from the date are made good by the next pay run."""
    refuse_future(effective_on, today, "effective_on", clause="D-12")
    try:
        scale = policies.in_force(session, "pay_scale", worker.jurisdiction, effective_on, or_first=True)
    except Problem as exc:
        scale = Refusal.of(exc)
    refused(rule.grade_correction(facts(worker), post=post, grade=grade, effective_on=effective_on, scale=scale))
    before = snapshot(worker)
    row = GradeChange(worker_id=worker.id, effective_on=effective_on, post=post, grade=grade,
                      from_post=worker.post, from_grade=worker.grade, kind="correction",
                      reason=f"{reason} (correction, D-12)", clause="D-12", actor=principal.sub, recorded_at=now)
    session.add(row)
    session.flush()
    session.execute(update(GradeChange).where(
        GradeChange.worker_id == worker.id, GradeChange.effective_on >= effective_on, GradeChange.id != row.id,
        GradeChange.superseded_by.is_(None)).values(superseded_by=row.id))
    worker.post, worker.grade, worker.grade_since = post, grade, effective_on
    worker.last_step_on = session.execute(select(func.max(GradeChange.effective_on)).where(
        GradeChange.worker_id == worker.id, GradeChange.kind == "step", GradeChange.superseded_by.is_(None))).scalar()
    record_change(session, worker, ChangeKind.grade_correction, effective_on, before, reason=reason, clause="D-12",
                  actor=principal.sub, now=now)
    rechecks = recheck(session, worker, effective_on, reason=f"grade corrected from {effective_on}: {reason}",
                       clause="D-12", source=f"grade_change:{row.id}", actor=principal.sub, now=now)
    superseded = list(session.execute(select(GradeChange.id).where(
        GradeChange.superseded_by == row.id).order_by(GradeChange.id)).scalars())
    return Correction(row, superseded, rechecks > 0)


def reinstate(
    session: Session, principal: Principal, worker: Worker, *, reason: str, now: datetime, today: date,
    policies: Policies = POLICIES,
) -> WorkerChange:
    """D-11 undo a leaving: back on the rolls from the day after the recorded
    last day, on probation again if it had not ended by then; the community
    needs room on that day (S4-1, D-9)."""
    back_on = rule.reinstatement(facts(worker))
    if isinstance(back_on, Refusal):
        raise back_on.problem()
    if worker.community_code is not None:
        check_room(session, policies, worker.community_code, back_on, moving_worker=worker.id,
                   until=max(back_on, today))
    before = snapshot(worker)
    on_probation = worker.probation_ends_on is not None and worker.probation_ends_on >= back_on
    worker.status = WORKER.move(worker.status, WorkerStatus.probation if on_probation else WorkerStatus.active)
    worker.left_on, worker.left_reason = None, None
    return record_change(session, worker, ChangeKind.reinstated, back_on, before, reason=reason, clause="D-11",
                         actor=principal.sub, now=now)

