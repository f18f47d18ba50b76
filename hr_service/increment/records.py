"""Step runs as stored: a run's result read back, its per-worker outcomes
(paged), and the list of runs (paged in SQL)."""
from __future__ import annotations

from datetime import date, datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.sqlbits import statement
from hr_service.tables import StepRun
from shared.auth import Principal
from shared.db import in_jurisdiction
from shared.paging import fetch_page

NOT_MOVED_LIMIT = 500


class WorkerOutcome(msgspec.Struct):
    worker_id: int
    name: str
    jurisdiction: str
    post: str
    from_grade: int
    to_grade: int
    outcome: str
    reason: str
    reason_zh: str
    assessment_grade: str | None


class StepRunResult(msgspec.Struct):
    id: int | None
    jurisdiction: str
    effective_on: date
    assessment_year: int
    dry_run: bool
    repeated: bool
    counts: dict[str, int]
    moved: int
    not_moved_total: int
    not_moved: list[WorkerOutcome]
    not_due: list[str]
    policies: dict
    run_by: str
    run_at: datetime
    supplementary: bool = False  # a supplementary run (补晋档, D-12)
    reason: str | None = None


def stored_result(session: Session, run: StepRun, *, repeated: bool, dry_run: bool = False,
                  not_moved_limit: int = NOT_MOVED_LIMIT) -> StepRunResult:
    counts = {k: 0 for k in rules.OUTCOMES}
    counts.update(run.counts or {})
    not_moved, _ = outcomes(session, run, None, not_moved_limit, 0, moved=False) if not_moved_limit else ([], 0)
    moved = counts.get("advanced", 0)
    return StepRunResult(
        id=run.id, jurisdiction=run.jurisdiction, effective_on=run.effective_on,
        assessment_year=run.assessment_year, dry_run=dry_run, repeated=repeated, counts=counts, moved=moved,
        not_moved_total=sum(counts.values()) - moved, not_moved=not_moved, not_due=[],
        policies=run.policies, run_by=run.run_by, run_at=run.run_at, supplementary=run.seq > 0, reason=run.reason,
    )


def outcomes(session: Session, run: StepRun, outcome: str | None, limit: int, offset: int,
             moved: bool = True) -> tuple[list[WorkerOutcome], int]:
    """A run's per-worker outcomes, paged: the advanced (from the grade history)
    and the rest (from ``step_outcome``); ``outcome`` filters."""
    p: dict = {"run_id": run.id, "lim": limit, "off": offset, "ay": run.assessment_year}
    parts = []
    if outcome in (None, "advanced") and moved:
        parts.append("SELECT g.worker_id, g.post, g.from_grade, g.grade AS to_grade, 'advanced' AS outcome, "
                     "a.grade AS assessment_grade FROM grade_change g "
                     "LEFT JOIN assessment a ON a.worker_id = g.worker_id AND a.year = :ay "
                     "WHERE g.step_run_id = :run_id")
    if outcome != "advanced":
        where = " AND o.outcome = :outcome" if outcome else ""
        parts.append("SELECT o.worker_id, o.post, o.from_grade, o.to_grade, o.outcome, o.assessment_grade "
                     f"FROM step_outcome o WHERE o.run_id = :run_id AND o.outcome <> 'advanced'{where}")
        if outcome:
            p["outcome"] = outcome
    if not parts:
        return [], 0
    union = " UNION ALL ".join(parts)
    total = session.execute(statement(f"SELECT COUNT(*) FROM ({union}) AS u", p), p).scalar_one()
    rows = session.execute(statement(
        "SELECT u.worker_id, w.name, w.jurisdiction, u.post, u.from_grade, u.to_grade, u.outcome, u.assessment_grade "
        f"FROM ({union}) AS u JOIN worker w ON w.id = u.worker_id ORDER BY u.worker_id LIMIT :lim OFFSET :off", p), p)
    return [outcome_of(r) for r in rows], total


def outcome_of(r) -> WorkerOutcome:
    return WorkerOutcome(r[0], r[1], r[2], r[3], r[4], r[5], r[6], *rules.OUTCOMES[r[6]], r[7])


def list_runs(session: Session, principal: Principal, jurisdiction: str | None, limit: int,
              offset: int) -> tuple[list[StepRunResult], int]:
    """The runs in the caller's jurisdiction (D-8), newest date first, paged in SQL."""
    q = select(StepRun).where(in_jurisdiction(StepRun.jurisdiction, principal.jurisdiction))
    if jurisdiction:
        q = q.where(StepRun.jurisdiction == jurisdiction)
    page, total = fetch_page(session, q, [StepRun.effective_on.desc(), StepRun.id.desc()], limit, offset)
    return [stored_result(session, r, repeated=False, not_moved_limit=0) for r in page.scalars()], total

