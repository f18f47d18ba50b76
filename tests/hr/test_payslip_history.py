"""A worker's stored payslips over a range of months in one call:
GET /me/payslips?from=&to= and GET /workers/{id}/payslips?from=&to=."""
from __future__ import annotations

from tests.hr.helpers import GONGSHU, XIHU, StatementCounter, hire, service
from tests.hr.pay_helpers import close_run, pay_admin


def _runs(admin, months, close=(), suite=None):
    for month in months:
        r = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": month})
        assert r.status_code == 201, r.text
        if month in close:
            close_run(suite, admin, r.json()["id"])


def test_the_stored_payslips_of_a_range_by_month(suite):
    admin = pay_admin(suite)
    w = hire(admin, grade=3)["id"]
    _runs(admin, ["2025-01", "2025-02", "2025-04", "2025-05"], close=["2025-01", "2025-02"], suite=suite)
    slips = admin.get(f"/workers/{w}/payslips", params={"from": "2025-02", "to": "2025-05"}).json()
    # 2025-03 has no pay run: no payslip (no preview in a listing); 2025-01 is outside the range
    assert [(s["month"], s["status"]) for s in slips] == [("2025-02", "closed"), ("2025-04", "draft"),
                                                          ("2025-05", "draft")]
    # each is the month's stored payslip, as the one-month endpoint gives it
    for s in slips:
        assert admin.get(f"/workers/{w}/payslips/{s['month']}").json() == s
    assert admin.get(f"/workers/{w}/payslips", params={"from": "2024-01", "to": "2024-12"}).json() == []
    one = admin.get(f"/workers/{w}/payslips", params={"from": "2025-01", "to": "2025-01"}).json()
    assert [s["month"] for s in one] == ["2025-01"]


def test_a_worker_lists_their_own_payslips_only(suite):
    admin = pay_admin(suite)
    mine, other = hire(admin)["id"], hire(admin, name="乙")["id"]
    _runs(admin, ["2025-01", "2025-02"])
    me = suite.hr.as_(suite.create_user("w", "worker", GONGSHU, worker_id=mine))
    slips = me.get("/me/payslips", params={"from": "2025-01", "to": "2025-12"}).json()
    assert [(s["worker_id"], s["month"]) for s in slips] == [(mine, "2025-01"), (mine, "2025-02")]
    assert me.get(f"/workers/{mine}/payslips", params={"from": "2025-01", "to": "2025-12"}).json() == slips
    assert me.get(f"/workers/{other}/payslips", params={"from": "2025-01"}).status_code == 404  # D-8
    xihu = suite.hr.as_(suite.create_user("x", "hr_officer", XIHU))
    assert xihu.get(f"/workers/{mine}/payslips").status_code == 404
    assert admin.get("/me/payslips").status_code == 404  # no worker record behind an officer


def test_bad_ranges_are_refused_naming_the_parameter(suite):
    admin = pay_admin(suite)
    w = hire(admin)["id"]
    me = suite.hr.as_(suite.create_user("w", "worker", GONGSHU, worker_id=w))
    for params, field in (({"from": "2025-13"}, "from"), ({"to": "May"}, "to"),
                          ({"from": "2025-06", "to": "2025-05"}, "from")):
        r = me.get("/me/payslips", params=params)
        assert r.status_code == 422 and r.json()["field"] == field, (params, r.text)
    assert me.get("/me/payslips").status_code == 200  # by default the twelve months to this one


def test_the_listing_is_one_query_however_many_months(suite):
    admin = pay_admin(suite)
    w = hire(admin)["id"]
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    _runs(admin, months)
    counts = []
    for last in ("2025-01", "2025-12"):
        with StatementCounter(service(suite).db.engine) as c:
            slips = admin.get(f"/workers/{w}/payslips", params={"from": "2025-01", "to": last}).json()
        counts.append(c.count)
    assert len(slips) == 12 and counts[0] == counts[1], counts
