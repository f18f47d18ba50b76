"""A worker's history of changes (D-11): what stood before and after, who, why,
which clause; each published as ``worker.changed`` in the same transaction.
A change reaching back into paid months asks the next pay run to make good
the difference (D-12)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.pay.arrears import recheck_paid_months
from hr_service.rules.changes import ChangeKind
from hr_service.tables import Worker, WorkerChange, infra
from shared.events import WorkerChanged
from shared.outbox import publish


def snapshot(w: Worker) -> dict[str, Any]:
    """The worker as a change sees them: where, which post and grade, which status."""
    return {"jurisdiction": w.jurisdiction, "community_code": w.community_code, "post": w.post, "grade": w.grade,
            "status": str(w.status), "probation_ends_on": w.probation_ends_on.isoformat() if w.probation_ends_on
            else None, "left_on": w.left_on.isoformat() if w.left_on else None}


def record_change(
    session: Session, worker: Worker, kind: ChangeKind, effective_on: date, before: dict[str, Any], *,
    reason: str, clause: str, actor: str, now: datetime, announce: bool = True,
) -> WorkerChange:
    """Keep the change in the worker's history (D-11) and, unless
    ``announce`` is False (leaving has its own ``worker.left``), publish
    ``worker.changed`` with the history row's id as its order."""
    change = WorkerChange(worker_id=worker.id, kind=kind.value, effective_on=effective_on, before=before,
                          after=snapshot(worker), reason=reason, clause=clause, actor=actor, recorded_at=now)
    session.add(change)
    session.flush()
    if announce:
        publish(session, infra.outbox, WorkerChanged(
            worker_id=worker.id, change_id=change.id, kind=kind.value, effective_on=effective_on,
            jurisdiction=worker.jurisdiction, community_code=worker.community_code, post=worker.post,
            grade=worker.grade, status=str(worker.status), probation_ends_on=worker.probation_ends_on,
            from_jurisdiction=before["jurisdiction"], from_community_code=before["community_code"],
            from_post=before["post"], from_status=before["status"], reason=reason))
    return change


def history(session: Session, worker_id: int) -> list[WorkerChange]:
    return list(session.execute(
        select(WorkerChange).where(WorkerChange.worker_id == worker_id).order_by(WorkerChange.id)).scalars())


def latest_on(session: Session, worker_id: int, kinds: tuple[ChangeKind, ...]) -> date | None:
    return session.execute(select(func.max(WorkerChange.effective_on)).where(
        WorkerChange.worker_id == worker_id, WorkerChange.kind.in_([k.value for k in kinds]))).scalar()


def recheck(session: Session, worker: Worker, since: date, *, reason: str, clause: str, source: str, actor: str,
            now: datetime) -> int:
    """Ask the next pay run to make good the worker's paid months from ``since`` (D-12)."""
    return recheck_paid_months(session, [worker.id], since, reason=reason, clause=clause, source=source,
                               actor=actor, now=now)
