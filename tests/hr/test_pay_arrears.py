"""D-12 through the API: a change reaching back into closed months is made good
on the next payslip, one arrears (补发) or recovery (扣回) line per month
covered, each what the pay rules give for the month now less what was paid
for it; a closed pay run is never rewritten. And the grade in force on a date
when rows are recorded for past dates (S4-10, D-2)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec
import pytest
from sqlalchemy import select, text

from hr_service import pay, rules
from hr_service.actors import on_certificate_registered
from hr_service.tables import GradeChange, PayRecheck
from shared.events import CertificateRegistered
from tests.hr.helpers import GONGSHU, StatementCounter, assess, hire, service
from tests.hr.pay_helpers import close_by_admin, pay_admin, regrade

FLOOR_2025 = 13_700_000
"""The district's own pay floor for 2025 (137,000 yuan a year, S0-2), which the
正职 of these examples is above and the 委员 under until a correction lifts them."""

FIGURES_2025 = rules.PayFigures(
    scale=rules.PAY_SCALE_2024, insurance=rules.INSURANCE_SEED, split=rules.CostSplit(), bonus=rules.BonusPool(),
    allowances=rules.ALLOWANCES_SEED, wage=rules.AverageWage(2024, FLOOR_2025))
"""The figures in force in 2025: the seeded ones, and the district's floor."""


def floor_admin(suite):
    """The administrator's client, with the communities of the pay tests and the district's floor."""
    admin = pay_admin(suite)
    r = admin.post("/policies/average_wage", json={"jurisdiction": GONGSHU, "effective_from": "2025-01-01",
                                                   "value": {"reference_year": 2024, "annual_fen": FLOOR_2025}})
    assert r.status_code == 201, r.text
    return admin


def run(admin, month: str, *, close: bool = False, jurisdiction: str = GONGSHU, status: int = 201) -> dict:
    r = admin.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": month})
    assert r.status_code == status, r.text
    if close:
        close_by_admin(admin, r.json()["id"])
    return r.json()


def slips_of(admin, run_id: int) -> dict[int, dict]:
    items = admin.get(f"/pay-runs/{run_id}/payslips", params={"limit": 500}).json()["items"]
    return {s["worker_id"]: s for s in items}


def earner(slip: dict, made_good: int = 0, **now) -> rules.Earner:
    """A worker's facts for a month as its stored payslip records them, with
    what changed since (``now``) and the year so far as made good. The workers
    here are on the rolls every day of every month (allowances are whole)."""
    assert slip["paid_days"] == 2175
    e = rules.Earner(post=slip["post"], grade=slip["grade"], score_centi=round(slip["performance_score"] * 100),
                     service_years=slip["service_years"], certificate_allowance=slip["certificate_allowance"],
                     talent_allowance=slip["talent_allowance"], months_before=slip["months_to_date"] - 1,
                     paid_days_before=slip["paid_days_to_date"] - slip["paid_days"],
                     paid_before=slip["paid_before"] + made_good, worker_id=slip["worker_id"])
    return msgspec.structs.replace(e, **now)


def expected_lines(months: dict[str, dict[int, dict]], changed: dict[int, dict[str, dict]]) -> dict[int, dict]:
    """``rules.pool_payslips`` for each closed month again, the changed facts of
    ``changed[worker][month]`` applied, less what was paid (``rules.paid_for``):
    {worker: {month: amount}} for the changed workers, zero months left out.
    The pool is everyone's payslip of that month (one community)."""
    made: dict[int, dict[str, int]] = {w: {} for w in changed}
    for month in sorted(months):
        slips = months[month]
        ids = sorted(slips)
        earners = [earner(slips[w], rules.year_so_far_made_good(0, made.get(w, {}), month),
                          **changed.get(w, {}).get(month, {})) for w in ids]
        for w, lines in zip(ids, rules.pool_payslips(earners, FIGURES_2025), strict=True):
            if w in changed and month in changed[w]:
                paid = rules.paid_for(slips[w]["gross"], slips[w]["arrears"], 0, slips[w]["rewards"])
                if lines.gross != paid:
                    made[w][month] = lines.gross - paid
    return made


def lines_of(admin, worker_id: int, month: str) -> list[dict]:
    return admin.get(f"/workers/{worker_id}/payslips/{month}").json()["adjustments"]


def three_of_a_community(admin) -> list[dict]:
    """A 正职 above the floor, a 委员 under it and a 副职, in one community."""
    people = [hire(admin, name="甲", post="正职", grade=12), hire(admin, name="乙", post="委员", grade=3),
              hire(admin, name="丙", post="副职", grade=6)]
    for w, score in zip(people, (95, 70, 85), strict=True):
        assess(admin, w["id"], 2024, score=score)
    return people


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_a_grade_raised_from_a_past_date_is_paid_as_arrears_month_by_month(request, backend):
    suite = request.getfixturevalue(backend)
    admin = floor_admin(suite)
    top, low, deputy = three_of_a_community(admin)
    solo = hire(admin, name="丁", post="正职", grade=12, community_code=None)
    months = {}
    for m in ("2025-01", "2025-02", "2025-03", "2025-04"):
        months[m] = {w: s for w, s in slips_of(admin, run(admin, m, close=True)["id"]).items() if w != solo["id"]}
    assert regrade(suite, top["id"], 15, date(2025, 2, 1), reason="grade wrong since February") == 1
    regrade(suite, solo["id"], 15, date(2025, 2, 1))
    assert regrade(suite, low["id"], 12, date(2025, 3, 10), reason="grade wrong since March") == 1
    may = run(admin, "2025-05")
    want = expected_lines(months, {
        top["id"]: {m: {"grade": 15} for m in ("2025-02", "2025-03", "2025-04")},
        low["id"]: {m: {"grade": 12} for m in ("2025-03", "2025-04")}})
    for w in (top, low):
        lines = lines_of(admin, w["id"], "2025-05")
        assert {a["covers"]: a["amount"] for a in lines} == want[w["id"]], w["name"]
        assert all(a["kind"] == "arrears" and a["clause"] == "D-12" for a in lines)
    assert len(want[top["id"]]) == 3 and len(want[low["id"]]) == 2  # March: the grade in force on its last day
    assert lines_of(admin, top["id"], "2025-05")[0]["reason"] == "grade wrong since February"
    assert lines_of(admin, deputy["id"], "2025-05") == []  # the rest of the pool keeps what it was paid
    may_slips = slips_of(admin, may["id"])
    for w in (top, low):
        s = may_slips[w["id"]]
        assert s["arrears"] == sum(want[w["id"]].values())
        assert s["gross"] == s["paid_to_date"] - s["paid_before"] + s["arrears"]  # not in the floor's year so far
        ins = rules.INSURANCE_SEED  # D-14: the declared wage within the floor and ceiling, arrears apart
        assert s["contribution_base"] == min(max(s["contribution_wage"], ins.floor_fen), ins.ceiling_fen)
        assert s["net_pay"] == s["gross"] - s["worker_deductions"] - s["income_tax"]
    # a pool of one above the floor: the grade pay and its 30% share, month by month
    alone = lines_of(admin, solo["id"], "2025-05")
    assert [(a["covers"], a["amount"]) for a in alone] == [(m, (1_280_000 - 1_190_000) * 13 // 10)
                                                          for m in ("2025-02", "2025-03", "2025-04")]
    assert may["totals"]["arrears"] == sum(sum(v.values()) for v in want.values()) + sum(a["amount"] for a in alone)
    # the closed months are never rewritten
    for slips in months.values():
        assert {w: s for w, s in slips_of(admin, slips[top["id"]]["run_id"]).items() if w in slips} == slips


def test_a_lowered_grade_is_recovered_and_redrafting_gives_the_same_lines(suite):
    admin = floor_admin(suite)
    top, _low, _deputy = three_of_a_community(admin)
    months = {m: slips_of(admin, run(admin, m, close=True)["id"]) for m in ("2025-01", "2025-02")}
    regrade(suite, top["id"], 8, date(2025, 1, 1), reason="grade was set too high")
    first = run(admin, "2025-03")
    want = expected_lines(months, {top["id"]: {m: {"grade": 8} for m in months}})[top["id"]]
    lines = lines_of(admin, top["id"], "2025-03")
    assert [(a["covers"], a["kind"]) for a in lines] == [("2025-01", "recovery"), ("2025-02", "recovery")]
    assert {a["covers"]: a["amount"] for a in lines} == want and all(v < 0 for v in want.values())
    again = run(admin, "2025-03", status=200)
    assert again["computations"] == 2 and lines_of(admin, top["id"], "2025-03") == lines
    assert again["totals"]["arrears"] == first["totals"]["arrears"] == sum(want.values())
    with service(suite).db.read_session() as s:
        assert s.execute(text("SELECT COUNT(*) FROM pay_adjustment")).scalar_one() == 2


def test_closing_settles_and_the_next_run_has_no_lines(suite):
    admin = floor_admin(suite)
    top, *_ = three_of_a_community(admin)
    run(admin, "2025-01", close=True)
    regrade(suite, top["id"], 14, date(2025, 1, 1))
    march_recheck = regrade(suite, top["id"], 16, date(2025, 2, 1), supersede=True)
    assert march_recheck == 0  # February is not paid yet: nothing to recheck
    feb = run(admin, "2025-02", close=True)
    assert [a["covers"] for a in lines_of(admin, top["id"], "2025-02")] == ["2025-01"]
    with service(suite).db.read_session() as s:
        assert [r.settled_run_id for r in s.execute(select(PayRecheck)).scalars()] == [feb["id"]]
    assert lines_of(admin, top["id"], "2025-03") == []  # a preview
    march = run(admin, "2025-03")
    assert lines_of(admin, top["id"], "2025-03") == [] and march["totals"]["arrears"] == 0
    # January was made good once: a new change from January compares with what was paid, lines included
    regrade(suite, top["id"], 16, date(2025, 1, 1), reason="grade 16 from January")
    run(admin, "2025-03", status=200)
    [line] = lines_of(admin, top["id"], "2025-03")  # February was paid at grade 16 already
    assert (line["covers"], line["kind"], line["reason"]) == ("2025-01", "arrears", "grade 16 from January")
    assert line["amount"] > 2 * 30_000  # grade 14 to 16 and its share


def test_made_good_once_is_not_made_good_twice(suite):
    admin = floor_admin(suite)
    top, *_ = three_of_a_community(admin)
    run(admin, "2025-01", close=True)
    regrade(suite, top["id"], 14, date(2025, 1, 1))
    run(admin, "2025-02", close=True)
    paid = lines_of(admin, top["id"], "2025-02")[0]["amount"]
    assert paid > 0
    pay_rechecked = regrade(suite, top["id"], 14, date(2025, 1, 1), supersede=True)  # a second recheck, no change
    assert pay_rechecked == 1
    run(admin, "2025-03")
    assert lines_of(admin, top["id"], "2025-03") == []  # January: stored + the line of February = due now


def test_a_late_certificate_is_paid_for_the_closed_months(suite):
    admin = floor_admin(suite)
    top, *_ = three_of_a_community(admin)
    for m in ("2025-01", "2025-02", "2025-03"):
        run(admin, m, close=True)
    svc = service(suite)
    with svc.db.transaction() as s:  # certs registered it on 10 February; HR hears of it in April
        on_certificate_registered(s, CertificateRegistered(
            worker_id=top["id"], jurisdiction=GONGSHU, certificate_id=9, level="社会工作师",
            registered_on=date(2025, 2, 10), valid_until=date(2028, 2, 9)))
    run(admin, "2025-04")
    lines = lines_of(admin, top["id"], "2025-04")
    assert [(a["covers"], a["amount"]) for a in lines] == [("2025-02", 40_000), ("2025-03", 40_000)]
    assert "社会工作师" in lines[0]["reason"]
    with svc.db.read_session() as s:
        [recheck] = s.execute(select(PayRecheck)).scalars()
        assert (recheck.since, recheck.clause, recheck.source) == ("2025-02", "D-3", "certificate:9")


def test_rechecks_are_recorded_only_for_closed_months(suite):
    admin = floor_admin(suite)
    a, b, c = three_of_a_community(admin)
    run(admin, "2025-01", close=True)
    run(admin, "2025-02")  # a draft: computed again when run again, nothing to recheck
    svc = service(suite)
    stamp = datetime.now(UTC)
    kw = {"reason": "r", "clause": "D-12", "source": "test", "actor": "admin", "now": stamp}
    with svc.db.transaction() as s:
        assert pay.recheck_paid_months(s, [a["id"], b["id"], 999_999], date(2025, 1, 31), **kw) == 2
        assert pay.recheck_paid_months(s, [a["id"]], date(2025, 2, 1), **kw) == 0
        assert pay.recheck_paid_months(s, [], date(2025, 1, 1), **kw) == 0
        sql = text("SELECT id AS worker_id FROM worker WHERE post = :post").bindparams(post="副职")
        assert pay.recheck_paid_months(s, sql, date(2024, 6, 1), **kw) == 1
        assert pay.recheck_paid_months(s, "SELECT id FROM worker WHERE id > :n", date(2025, 1, 1), params={"n": 0},
                                       **kw) == 3
        with pytest.raises(ValueError):  # a programming error, not a request's
            pay.recheck_paid_months(s, [a["id"]], date(2025, 1, 1), **{**kw, "source": "x" * 65})
        rows = s.execute(select(PayRecheck.worker_id, PayRecheck.since).order_by(PayRecheck.id)).all()
    assert rows[:3] == [(a["id"], "2025-01"), (b["id"], "2025-01"), (c["id"], "2024-06")]


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_the_grade_in_force_is_the_latest_date_not_the_latest_row(request, backend):
    """A row recorded later for an earlier date counts from that date and no
    further than the next row in date order; superseded rows count not at all."""
    suite = request.getfixturevalue(backend)
    admin = floor_admin(suite)
    w = hire(admin, post="委员", grade=3, hired_on="2020-03-01")
    for post, grade, day in (("副职", 6, "2025-04-01"), ("委员", 8, "2025-06-01")):
        r = admin.post(f"/workers/{w['id']}/post-changes", json={"post": post, "effective_on": day,
                                                                  "reason": "elected", "grade": grade})
        assert r.status_code == 201, r.text
    regrade(suite, w["id"], 5, date(2025, 2, 1), post="委员", supersede=False, recheck=False)  # back-dated, later id

    def held(month: str) -> tuple[str, int]:
        slip = admin.get(f"/workers/{w['id']}/payslips/{month}").json()
        return slip["post"], slip["grade"]

    assert [held(m) for m in ("2025-01", "2025-02", "2025-04", "2025-05", "2025-06")] == [
        ("委员", 3), ("委员", 5), ("副职", 6), ("副职", 6), ("委员", 8)]
    regrade(suite, w["id"], 7, date(2025, 3, 1), post="委员", recheck=False)  # supersedes April's and June's
    assert [held(m) for m in ("2025-02", "2025-03", "2025-05", "2025-07")] == [
        ("委员", 5), ("委员", 7), ("委员", 7), ("委员", 7)]
    svc = service(suite)
    with svc.db.read_session() as s:
        history = [rules.GradeRecord(g.id, g.effective_on, g.post, g.grade, g.superseded_by is not None)
                   for g in s.execute(select(GradeChange).where(GradeChange.worker_id == w["id"])).scalars()]
    for month, want in (("2025-01", 3), ("2025-02", 5), ("2025-04", 7), ("2025-06", 7)):
        assert rules.grade_in_force(history, date(int(month[:4]), int(month[5:]), 28)).grade == want


def test_making_good_is_set_based(suite):
    """The statements of a run making good three months are as many for two
    workers as for twelve."""
    admin = floor_admin(suite)
    svc = service(suite)
    counts = []
    for n, first in ((2, 1), (12, 5)):
        people = [hire(admin, name=f"w{i}", community_code=f"GS-{i % 3}", grade=3) for i in range(n)]
        months = [f"2025-{m:02d}" for m in range(first, first + 3)]
        for m in months:
            run(admin, m, close=True)
        for p in people:
            regrade(suite, p["id"], 12, date.fromisoformat(f"{months[0]}-01"))
        with StatementCounter(svc.db.engine) as c:
            r = run(admin, f"2025-{first + 3:02d}")
        assert r["totals"]["arrears"] > 0
        counts.append(c.count)
    assert counts[0] == counts[1], counts
