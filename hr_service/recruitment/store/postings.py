"""Postings on a worker's record (S3-8, S4-8): the store loads the worker and
their postings, ``rules.posting_refusal`` decides, the store saves."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import store as hr_store
from hr_service.recruitment import rules
from hr_service.recruitment.tables import Posting
from hr_service.states import WorkerStatus
from shared.auth import Principal, require_jurisdiction
from shared.policy import Policies


def add_posting(
    s: Session, principal: Principal, policies: Policies, worker_id: int, *, kind: str, host_unit: str,
    starts_on: date, ends_on: date | None, note: str | None, now: datetime,
) -> Posting:
    """Record a secondment (挂职锻炼, S4-8) or exchange (异地交流, S3-8). An
    exchange moves the worker elsewhere, so D-4's no-transfer period applies."""
    w = hr_store.worker_or_404(s, worker_id)
    require_jurisdiction(principal, w.jurisdiction)
    posted = rules.PostedWorker(w.id, w.hired_on, w.left_on is not None or w.status == WorkerStatus.left, w.left_on)
    others = [rules.Period(p.id, p.starts_on, p.ends_on)
              for p in s.execute(select(Posting).where(Posting.worker_id == w.id).order_by(Posting.id)).scalars()]
    rule = policies.in_force(s, "recruitment", w.jurisdiction, starts_on) if kind == "exchange" else None
    refusal = rules.posting_refusal(kind, starts_on, ends_on, posted, others, rule)
    if refusal is not None:
        raise refusal.problem()
    p = Posting(worker_id=w.id, kind=kind, host_unit=host_unit, starts_on=starts_on, ends_on=ends_on, note=note,
                created_by=principal.sub, created_at=now)
    s.add(p)
    s.flush()
    return p


def postings_of(s: Session, principal: Principal, worker_id: int) -> list[Posting]:
    w = hr_store.visible_worker(s, principal, worker_id)
    return list(s.execute(
        select(Posting).where(Posting.worker_id == w.id).order_by(Posting.starts_on, Posting.id)
    ).scalars())
