"""Helpers for the pay tests: communities to pool workers in, a grade raised
or lowered from a past date as a correction records it, D-12's rechecks, and
a run closed the D-16 way (submitted by one officer, approved by another)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from hr_service import pay
from hr_service.tables import GradeChange, Worker
from tests.hr.helpers import GONGSHU, service
from tests.support.api import login

CHECKER_PASSWORD = "checker-pass-1"

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



def checker(hr, admin_token: str, jurisdiction: str):
    """A second HR officer of ``jurisdiction`` (the same one on every call),
    made by the administrator on the HR client ``hr``: the D-16 approver."""
    username = f"checker-{jurisdiction}"
    r = hr.as_(admin_token).post("/users", json={
        "username": username, "password": CHECKER_PASSWORD, "role": "hr_officer", "jurisdiction": jurisdiction})
    assert r.status_code == 201 or r.json()["code"] == "username_taken", r.text
    return hr.as_(login(hr.client, username, CHECKER_PASSWORD))


def _close(hr, admin_token: str, api, run_id: int) -> dict:
    r = api.post(f"/pay-runs/{run_id}/submit")
    assert r.status_code == 200, r.text
    r = checker(hr, admin_token, r.json()["jurisdiction"]).post(f"/pay-runs/{run_id}/approve", json={})
    assert r.status_code == 200 and r.json()["status"] == "closed", r.text
    return r.json()


def close_run(suite, api, run_id: int) -> dict:
    """D-16: ``api`` submits the run, another HR officer of its jurisdiction approves it; the closed run."""
    return _close(suite.hr, suite.admin_token, api, run_id)


def close_with(admin, api, run_id: int) -> dict:
    """``close_run`` where a test or step holds the administrator's client
    (``admin``) rather than the suite."""
    return _close(admin, admin.token, api, run_id)


def close_by_admin(admin, run_id: int) -> dict:
    """The administrator submits, a second HR officer approves."""
    return close_with(admin, admin, run_id)
