"""Workers on the rolls: who may see or change a record (D-8), post changes
(D-2), leaving (D-11), the grade history, the list, the titles from other
services (D-7). The decisions are ``rules.workers``'; this module loads and saves."""
from __future__ import annotations

from datetime import date, datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service.rules import workers as rule
from hr_service.rules.changes import ChangeKind
from hr_service.rules.workers import Refusal, WorkerFacts
from hr_service.states import WORKER, WorkerStatus
from hr_service.store.history import recheck, record_change, snapshot
from hr_service.store.policies import POLICIES
from hr_service.tables import GradeChange, Worker, WorkerChange, WorkerDesignation, infra
from shared.auth import Principal, Role, ensure_visible, require_jurisdiction
from shared.db import in_jurisdiction
from shared.errors import NotFound, Problem
from shared.events import WorkerLeft
from shared.outbox import publish
from shared.paging import fetch_page
from shared.policy import Policies


def facts(worker: Worker) -> WorkerFacts:
    """The record as ``rules.workers`` reads it."""
    return WorkerFacts(worker.id, worker.status, worker.hired_on, worker.post, worker.grade, worker.left_on)


def worker_or_404(session: Session, worker_id: int) -> Worker:
    w = session.get(Worker, worker_id)
    if w is None:
        raise NotFound("worker", "社区工作者", worker_id)
    return w


def visible_worker(session: Session, principal: Principal, worker_id: int) -> Worker:
    """The worker, or 404 when there is none or it is another person's record
    (D-8); a community secretary sees their own community's workers (D-17)."""
    w = worker_or_404(session, worker_id)
    ensure_visible(principal, w.jurisdiction, w.id, "worker", "社区工作者", worker_id, w.community_code)
    return w


def writable_worker(session: Session, principal: Principal, worker_id: int) -> Worker:
    """The worker for a change: 404 if not visible, 403 if outside the officer's jurisdiction."""
    w = visible_worker(session, principal, worker_id)
    require_jurisdiction(principal, w.jurisdiction)
    return w


def grade_history(session: Session, worker_id: int) -> list[GradeChange]:
    return list(session.execute(
        select(GradeChange).where(GradeChange.worker_id == worker_id).order_by(GradeChange.id)
    ).scalars())


def latest_change(session: Session, worker_id: int) -> GradeChange | None:
    """The grade-history row in force last: the latest effective date, not superseded by a correction (D-12)."""
    return session.execute(
        select(GradeChange).where(GradeChange.worker_id == worker_id, GradeChange.superseded_by.is_(None))
        .order_by(GradeChange.effective_on.desc(), GradeChange.id.desc()).limit(1)
    ).scalar()


def change_post(
    session: Session, worker: Worker, *, post: str, effective_on: date, reason: str, actor: str, now: datetime,
    grade: int | None = None, policies: Policies = POLICIES,
) -> GradeChange:
    """Move a worker to another post from ``effective_on`` as ``rules.workers.post_change``
    decides under the pay scale in force that day (D-2): the grade kept, the
    nearest of the new band, or the one given; the history is append-only (409)."""
    latest = latest_change(session, worker.id)
    try:
        scale = policies.in_force(session, "pay_scale", worker.jurisdiction, effective_on, or_first=True)
    except Problem as exc:
        scale = Refusal.of(exc)
    move = rule.post_change(facts(worker), post=post, effective_on=effective_on, grade=grade,
                            latest_on=latest.effective_on if latest else None, scale=scale, actor=actor)
    if isinstance(move, Refusal):
        raise move.problem()
    change = GradeChange(
        worker_id=worker.id, effective_on=effective_on, post=move.post, grade=move.grade, from_post=worker.post,
        from_grade=worker.grade, kind="post_change", reason=f"{reason}; {worker.post}→{post}, {move.how} (D-2)",
        clause="D-2", actor=actor, recorded_at=now,
    )
    session.add(change)
    before = snapshot(worker)
    worker.post, worker.grade, worker.grade_since = move.post, move.grade, effective_on
    session.flush()
    record_change(session, worker, ChangeKind.post_change, effective_on, before, reason=reason, clause="D-11",
                  actor=actor, now=now)
    recheck(session, worker, effective_on, reason=f"post changed from {effective_on}: {reason}", clause="D-12",
            source=f"grade_change:{change.id}", actor=actor, now=now)
    return change


def leave(session: Session, worker: Worker, *, left_on: date, reason: str, actor: str, now: datetime) -> Worker:
    """Take a worker off the rolls (``left_on`` is the last day on them, D-11); publishes worker.left."""
    leaving(session, worker, left_on=left_on, reason=reason, actor=actor, now=now)
    return worker


def leaving(session: Session, worker: Worker, *, left_on: date, reason: str, actor: str, now: datetime,
            kind: ChangeKind = ChangeKind.left, clause: str = "D-11") -> WorkerChange:
    """``leave``, returning the history row. Publishes ``worker.left``, and
    ``worker.changed`` too when the leaving is a decision of another kind (a
    probation ended, D-4)."""
    refusal = rule.leaving(facts(worker), left_on)
    if refusal is not None:
        raise refusal.problem()
    before = snapshot(worker)
    worker.status = WORKER.move(worker.status, WorkerStatus.left)
    worker.left_on, worker.left_reason = left_on, reason
    publish(session, infra.outbox, WorkerLeft(worker_id=worker.id, jurisdiction=worker.jurisdiction,
                                              left_on=left_on, reason=reason))
    return record_change(session, worker, kind, left_on, before, reason=reason, clause=clause, actor=actor,
                         now=now, announce=kind is not ChangeKind.left)


class WorkerFilter(msgspec.Struct, frozen=True):
    jurisdiction: str | None = None
    community_code: str | None = None
    post: str | None = None
    grade: int | None = None
    status: str | None = None
    name: str | None = None


def list_workers(session: Session, principal: Principal, limit: int, offset: int,
                 filters: WorkerFilter | None = None) -> tuple[list[Worker], int]:
    """The workers the caller may see (a worker: themselves, D-8), filtered, by id, and their total."""
    q = select(Worker)
    if principal.role is Role.worker:
        q = q.where(Worker.id == principal.worker_id)
    elif principal.role is Role.community_secretary:  # their own community's (D-17)
        q = q.where(Worker.community_code == principal.community,
                    in_jurisdiction(Worker.jurisdiction, principal.jurisdiction))
    else:
        q = q.where(in_jurisdiction(Worker.jurisdiction, principal.jurisdiction))
    f = filters or WorkerFilter()
    if f.jurisdiction:
        q = q.where(in_jurisdiction(Worker.jurisdiction, f.jurisdiction))
    if f.community_code:
        q = q.where(Worker.community_code == f.community_code)
    if f.post:
        q = q.where(Worker.post == f.post)
    if f.grade is not None:
        q = q.where(Worker.grade == f.grade)
    if f.status:
        q = q.where(Worker.status == f.status)
    if f.name:
        q = q.where(Worker.name.contains(f.name, autoescape=True))
    page, total = fetch_page(session, q, [Worker.id], limit, offset)
    return list(page.scalars()), total


def designations(session: Session, worker_id: int) -> list[WorkerDesignation]:
    """The titles on the worker's record (a leader talent from a certs round, D-7), by term."""
    return list(session.execute(
        select(WorkerDesignation).where(WorkerDesignation.worker_id == worker_id)
        .order_by(WorkerDesignation.term_starts_on, WorkerDesignation.id)
    ).scalars())
