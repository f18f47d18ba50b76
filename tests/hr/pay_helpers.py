"""Helpers for the pay tests: communities to pool workers in, a grade raised
or lowered from a past date as a correction records it, and D-12's rechecks."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from hr_service import pay
from hr_service.tables import GradeChange, Worker
from tests.hr.helpers import GONGSHU, service

FULL = 15 * 400
"""Households giving a community the largest quota D-9 allows (15 workers)."""


def community(api, code: str, district: str = GONGSHU, households: int = FULL) -> None:
    """Register ``code`` (a second time changes nothing)."""
    r = api.post("/communities", json={"code": code, "name": code, "district": district, "households": households,
                                       "effective_from": "2000-01-01"})
    assert r.status_code in (201, 409), r.text


def communities(api, codes, district: str = GONGSHU) -> None:
    for code in codes:
        community(api, code, district)


def regrade(suite, worker_id: int, grade: int, effective_on: date, *, post: str | None = None,
            reason: str = "grade corrected", supersede: bool = True, recheck: bool = True) -> int:
    """Record ``grade`` from ``effective_on`` as a correction does (D-12): a
    grade-history row, the rows effective on or after it superseded, the
    worker's own grade, and a recheck of the paid months it reaches. Returns
    the rechecks recorded."""
    svc = service(suite)
    stamp = datetime.now(UTC)
    with svc.db.transaction() as s:
        w = s.get(Worker, worker_id)
        row = GradeChange(worker_id=worker_id, effective_on=effective_on, post=post or w.post, grade=grade,
                          from_post=w.post, from_grade=w.grade, kind="correction", reason=reason, clause="D-12",
                          actor="admin", recorded_at=stamp)
        s.add(row)
        s.flush()
        if supersede:
            s.execute(update(GradeChange).where(
                GradeChange.worker_id == worker_id, GradeChange.effective_on >= effective_on,
                GradeChange.id != row.id, GradeChange.superseded_by.is_(None)).values(superseded_by=row.id))
            w.post, w.grade, w.grade_since = row.post, grade, effective_on
        if not recheck:
            return 0
        return pay.recheck_paid_months(s, [worker_id], effective_on, reason=reason, clause="D-12",
                                       source=f"grade_change:{row.id}", actor="admin", now=stamp)


POOLS = [f"GS-{i}" for i in range(4)] + [f"GS-{i:03d}" for i in range(1, 10)]
"""The communities the pay tests place workers in."""


def pay_admin(suite):
    """The administrator's client, with the communities of ``POOLS`` registered."""
    admin = suite.hr.as_(suite.admin_token)
    communities(admin, POOLS)
    return admin
