"""Pay against the community work fund (S4-7a) and the bonus pool (S4-12):
the pure arithmetic, ``GET /pay-budget`` against the stored payslips and
``/communities/{code}/work-fund``, and ``workforce export budget``."""
from __future__ import annotations

from fractions import Fraction

import pytest

from hr_service.rules import budget
from shared.money import round_half_up
from tests.hr.communities import register
from tests.hr.helpers import CITY, GONGSHU, XIHU, StatementCounter, hire, service

# --- the pure parts -------------------------------------------------------------------


def test_the_fund_of_some_months_is_rounded_once():
    assert budget.fund_for_months(1_200_000, 1) == 100_000
    assert budget.fund_for_months(1_200_000, 12) == 1_200_000
    assert budget.fund_for_months(1_200_000, 0) == 0
    # 100 fen a year: a month is 8.33… fen → 8; two months 16.66… → 17 (not 8 + 8); half a fen rounds up
    assert budget.fund_for_months(100, 1) == 8
    assert budget.fund_for_months(100, 2) == 17
    assert budget.fund_for_months(6, 1) == 1
    assert budget.fund_for_months(18, 1) == 2  # 1.5 → 2


@pytest.mark.parametrize("months", [-1, 13])
def test_a_year_has_twelve_months_of_fund(months):
    with pytest.raises(ValueError):
        budget.fund_for_months(1_200_000, months)


def test_pay_cost_and_what_is_left():
    assert budget.pay_cost(760_000, 228_000, 250_000) == 1_238_000
    assert budget.fund_left(1_500_000, 1_238_000) == 262_000
    assert budget.fund_left(1_000_000, 1_238_000) == -238_000
    assert budget.fund_left(None, 1_238_000) is None
    f = budget.figures(months=1, payslips=1, grade_pay=760_000, bonus_pool=228_000, bonus_paid=228_000,
                       employer_total=250_000, fund=1_000_000, allowed=228_000)
    assert (f.pay_cost, f.fund_left, f.over_fund, f.pool_difference) == (1_238_000, -238_000, True, 0)
    within = budget.figures(months=1, payslips=1, grade_pay=760_000, bonus_pool=228_000, bonus_paid=228_000,
                            employer_total=250_000, fund=1_238_000, allowed=228_000)
    assert (within.fund_left, within.over_fund) == (0, False)


def test_the_pool_allowed_is_rounded_once_over_every_ratio():
    # 30% of 1 fen three times is 0.9 fen: once rounded, 1 fen (three pools of one would each round to 0)
    assert budget.pool_allowed([(1, 3000), (1, 3000), (1, 3000)]) == 1
    assert budget.pool_allowed([(760_000, 3000)]) == 228_000
    assert budget.pool_allowed([(760_000, 3000), (100_001, 2000)]) == 228_000 + round_half_up(Fraction(100_001, 5))
    assert budget.pool_allowed([]) == 0


def test_the_status_of_the_runs_behind_a_row():
    assert budget.run_status(["draft", "draft"]) == "draft"
    assert budget.run_status(["closed", "draft"]) == "mixed"
    assert budget.run_status([]) == "none"


def test_totals_charge_only_funded_rows_to_the_fund():
    funded = budget.figures(months=2, payslips=2, grade_pay=100, bonus_pool=30, bonus_paid=30, employer_total=20,
                            fund=200, allowed=30)
    unfunded = budget.figures(months=1, payslips=1, grade_pay=50, bonus_pool=15, bonus_paid=15, employer_total=10,
                              fund=None, allowed=15)
    t = budget.total([funded, unfunded], 2)
    assert (t.pay_cost, t.fund, t.fund_left, t.over_fund, t.payslips) == (225, 200, 50, False, 3)
    assert budget.total([unfunded], 1).fund is None
    assert budget.total([], 0).pay_cost == 0


# --- the report over HTTP -----------------------------------------------------------------


def _admin(suite):
    return suite.hr.as_(suite.admin_token)


def _run(api, month: str, jurisdiction: str = CITY) -> dict:
    r = api.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": month})
    assert r.status_code in (200, 201), r.text
    return r.json()


def _payslips(api, run_id: int) -> list[dict]:
    r = api.get(f"/pay-runs/{run_id}/payslips", params={"limit": 500})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def _annual_s4_7a(api, code: str, year: int) -> int:
    """The city's part and the district's match of ``/communities/{code}/work-fund`` (S4-7a)."""
    r = api.get(f"/communities/{code}/work-fund", params={"year": year})
    assert r.status_code == 200, r.text
    parts = {p["part"]: p["amount_fen"] for p in r.json()["parts"]}
    return parts["city"] + parts["district_match"]


def _budget(api, month: str, jurisdiction: str | None = None, expect: int = 200) -> dict:
    params = {"month": month, **({"jurisdiction": jurisdiction} if jurisdiction else {})}
    r = api.get("/pay-budget", params=params)
    assert r.status_code == expect, r.text
    return r.json()


def _row(report: dict, code: str | None) -> dict:
    return next(r for r in report["rows"] if r["community_code"] == code)


def test_a_community_paid_two_months_against_its_fund(suite):
    admin = _admin(suite)
    register(admin, "BG-1", GONGSHU, households=1200, effective_from="2024-01-01")
    a = hire(admin, name="甲", community_code="BG-1", grade=3, hired_on="2020-03-01")
    b = hire(admin, name="乙", community_code="BG-1", post="正职", grade=9, hired_on="2020-03-01")
    slips = {m: _payslips(admin, _run(admin, m)["id"]) for m in ("2025-01", "2025-02")}
    annual = _annual_s4_7a(admin, "BG-1", 2025)

    report = _budget(admin, "2025-02", GONGSHU)
    assert report["year_from"] == "2025-01" and report["months_elapsed"] == 2
    row = _row(report, "BG-1")
    assert (row["status"], row["workers"], row["households"], row["annual_fund"]) == ("draft", 2, 1200, annual)

    def expected(months):
        mine = [s for m in months for s in slips[m] if s["worker_id"] in (a["id"], b["id"])]
        grade_pay = sum(s["grade_pay"] for s in mine)
        pool = sum({(s["month"], s["pool_key"]): s["bonus_pool"] for s in mine}.values())
        employer = sum(s["employer_total"] for s in mine)
        return grade_pay, pool, sum(s["bonus_share"] for s in mine), employer, grade_pay + pool + employer

    m, y = row["month"], row["year_to_date"]
    grade_pay, pool, paid, employer, cost = expected(["2025-02"])
    assert (m["grade_pay"], m["bonus_pool"], m["bonus_paid"], m["employer_total"], m["pay_cost"]) == \
        (grade_pay, pool, paid, employer, cost)
    assert pool == round_half_up(Fraction(grade_pay * 3, 10)) == m["pool_allowed"] and m["pool_difference"] == 0
    assert m["fund"] == round_half_up(Fraction(annual, 12))
    assert m["fund_left"] == m["fund"] - cost and m["over_fund"] is (m["fund_left"] < 0)
    assert (m["months"], m["payslips"]) == (1, 2)

    grade_pay, pool, paid, employer, cost = expected(["2025-01", "2025-02"])
    assert (y["grade_pay"], y["bonus_pool"], y["bonus_paid"], y["employer_total"], y["pay_cost"]) == \
        (grade_pay, pool, paid, employer, cost)
    assert y["fund"] == round_half_up(Fraction(annual * 2, 12)) and y["fund_left"] == y["fund"] - cost
    assert (y["months"], y["payslips"]) == (2, 4)

    january = _row(_budget(admin, "2025-01", GONGSHU), "BG-1")
    assert january["month"] == january["year_to_date"]
    assert january["year_to_date"]["pay_cost"] + m["pay_cost"] == y["pay_cost"]


def test_a_community_over_its_fund_shows_a_negative_remainder(suite):
    admin = _admin(suite)
    register(admin, "BG-S", GONGSHU, households=400, effective_from="2024-01-01")
    register(admin, "BG-L", GONGSHU, households=4000, effective_from="2024-01-01")
    hire(admin, name="小", community_code="BG-S", post="正职", grade=9)
    hire(admin, name="大", community_code="BG-L", post="正职", grade=9)
    _run(admin, "2025-03")
    report = _budget(admin, "2025-03", GONGSHU)
    small, large = _row(report, "BG-S"), _row(report, "BG-L")
    assert small["month"]["fund_left"] < 0 and small["month"]["over_fund"] is True
    assert large["month"]["fund_left"] > 0 and large["month"]["over_fund"] is False
    # the same pay, ten times the households: ten times the fund (to the fen, rounded)
    assert small["month"]["pay_cost"] == large["month"]["pay_cost"]
    assert abs(large["annual_fund"] - 10 * small["annual_fund"]) <= 10


def test_totals_add_up_the_rows_and_a_worker_without_a_community_has_no_fund(suite):
    admin = _admin(suite)
    hire(admin, name="甲", community_code="GS-001")
    hire(admin, name="乙", community_code="GS-002", grade=4)
    loose = [hire(admin, name=f"散{i}", community_code=None, grade=2 + i) for i in range(2)]
    run = _run(admin, "2025-04")
    report = _budget(admin, "2025-04", GONGSHU)
    assert [r["community_code"] for r in report["rows"]] == ["GS-001", "GS-002", None]
    none = _row(report, None)
    assert none["annual_fund"] is None and none["month"]["fund"] is None and none["month"]["fund_left"] is None
    # each worker without a community is a pool of their own: their pools are added, once each
    slips = [s for s in _payslips(admin, run["id"]) if s["worker_id"] in {w["id"] for w in loose}]
    assert none["month"]["bonus_pool"] == sum(s["bonus_pool"] for s in slips) == none["month"]["bonus_paid"]
    t = report["totals"]
    for key in ("grade_pay", "bonus_pool", "bonus_paid", "employer_total", "pay_cost", "pool_allowed"):
        assert t["month"][key] == sum(r["month"][key] for r in report["rows"]), key
    assert t["month"]["pay_cost"] == run["totals"]["grade_pay"] + run["totals"]["bonus_pool"] + \
        run["totals"]["employer_total"]
    funded = [r for r in report["rows"] if r["month"]["fund"] is not None]
    assert t["month"]["fund"] == sum(r["month"]["fund"] for r in funded)
    assert t["month"]["fund_left"] == sum(r["month"]["fund_left"] for r in funded)
    assert t["workers"] == 4 and t["status"] == "draft"
    assert report["runs"] == [{"id": run["id"], "jurisdiction": CITY, "status": "draft"}]


def test_the_pool_allowed_follows_the_ratio_in_force(suite):
    """S4-12: the run pooled 30%; a ratio recorded afterwards for the month
    shows the pool the grade pay now allows beside the pool the run made."""
    admin = _admin(suite)
    hire(admin, name="甲", community_code="GS-001", grade=3)
    _run(admin, "2025-05")
    r = admin.post("/policies/bonus_pool", json={"jurisdiction": GONGSHU, "effective_from": "2025-05-01",
                                                 "value": {"ratio_bp": 2000, "default_score": 80}})
    assert r.status_code == 201, r.text
    m = _row(_budget(admin, "2025-05", GONGSHU), "GS-001")["month"]
    assert m["bonus_pool"] == round_half_up(Fraction(m["grade_pay"] * 3, 10))
    assert m["pool_allowed"] == round_half_up(Fraction(m["grade_pay"] * 2, 10))
    assert m["pool_difference"] == m["bonus_pool"] - m["pool_allowed"] > 0


def test_the_report_keeps_to_the_jurisdiction(suite):
    admin = _admin(suite)
    hire(admin, name="拱", community_code="GS-001")
    hire(admin, name="西", jurisdiction=XIHU, community_code="XH-001")
    _run(admin, "2025-06")
    assert [r["community_code"] for r in _budget(admin, "2025-06", GONGSHU)["rows"]] == ["GS-001"]
    assert [r["community_code"] for r in _budget(admin, "2025-06", XIHU)["rows"]] == ["XH-001"]
    assert [r["community_code"] for r in _budget(admin, "2025-06")["rows"]] == ["GS-001", "XH-001"]  # admin: city

    officer = suite.hr.as_(suite.create_user("hr-gs", "hr_officer", GONGSHU))
    mine = _budget(officer, "2025-06")  # the officer's own by default
    assert mine["jurisdiction"] == GONGSHU and [r["community_code"] for r in mine["rows"]] == ["GS-001"]
    for elsewhere in (XIHU, CITY):
        r = officer.get("/pay-budget", params={"month": "2025-06", "jurisdiction": elsewhere})
        assert r.status_code == 403 and r.json()["code"] == "outside_jurisdiction"
        assert r.json()["field"] == "jurisdiction"


@pytest.mark.parametrize("month", ["2025-13", "2025-1", "June", ""])
def test_a_malformed_month_is_refused(suite, month):
    r = _admin(suite).get("/pay-budget", params={"month": month})
    assert r.status_code == 422 and r.json()["field"] == "month" and r.json()["code"] == "malformed_month"


def test_the_month_is_required_and_only_hr_reads_it(suite):
    admin = _admin(suite)
    r = admin.get("/pay-budget")
    assert r.status_code == 422 and r.json()["field"] == "month" and r.json()["code"] == "month_required"
    w = hire(admin, name="自己")
    mine = suite.hr.as_(suite.create_user("me-1", "worker", GONGSHU, worker_id=w["id"]))
    assert mine.get("/pay-budget", params={"month": "2025-06"}).status_code == 403


def test_a_month_without_payslips_has_a_note(suite):
    admin = _admin(suite)
    hire(admin, name="甲")
    _run(admin, "2025-01")
    report = _budget(admin, "2025-02", GONGSHU)
    assert report["rows"] == [] and report["runs"] == [] and "No payslips for 2025-02" in report["note"]
    assert report["note_zh"] and report["totals"]["month"]["pay_cost"] == 0
    assert _budget(admin, "2025-01", GONGSHU)["note"] is None


def test_the_year_to_date_counts_only_this_year(suite):
    admin = _admin(suite)
    hire(admin, name="甲", community_code="GS-001", hired_on="2020-03-01")
    _run(admin, "2024-12")
    _run(admin, "2025-01")
    row = _row(_budget(admin, "2025-01", GONGSHU), "GS-001")
    assert row["year_to_date"] == row["month"]
    assert row["year_to_date"]["months"] == 1


def test_the_report_is_set_based(suite):
    admin = _admin(suite)
    svc = service(suite)
    counts, registered = [], 0
    for n, month in ((2, "2025-01"), (12, "2025-02")):
        for i in range(n):
            code = f"SB-{month[-2:]}-{i}"
            register(admin, code, GONGSHU, households=800 + 100 * i, effective_from="2024-01-01")
            hire(admin, name=f"w{month}{i}", community_code=code)
        _run(admin, month)
        with StatementCounter(svc.db.engine) as c:
            report = _budget(admin, month, GONGSHU)
        registered += n
        assert len(report["rows"]) == registered
        counts.append(c.count)
    assert counts[0] == counts[1], counts


@pytest.mark.postgres
def test_on_postgresql(pg_suite):
    admin = _admin(pg_suite)
    register(admin, "BG-P", GONGSHU, households=1200, effective_from="2024-01-01")
    hire(admin, name="甲", community_code="BG-P", grade=3)
    hire(admin, name="乙", community_code=None)
    for month in ("2025-01", "2025-02"):
        _run(admin, month)
    report = _budget(admin, "2025-02", GONGSHU)
    row = _row(report, "BG-P")
    annual = _annual_s4_7a(admin, "BG-P", 2025)
    assert row["year_to_date"]["fund"] == round_half_up(Fraction(annual * 2, 12))
    assert row["year_to_date"]["pay_cost"] == 2 * row["month"]["pay_cost"]
    assert row["month"]["bonus_pool"] == row["month"]["pool_allowed"]
    assert _row(report, None)["month"]["fund"] is None
