"""Property of D-12: for random populations whose months are paid and closed,
then some workers' grades corrected from a past date, the next pay run's
arrears and recovery lines are, worker by worker, month by month and to the
fen, what the pure rules give (``rules.pool_payslips`` for each closed month
again, with the grades now in force and the year so far as made good, less
``rules.paid_for``), on SQLite and PostgreSQL; and that run's payslips add
them to the gross and net pay only."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from hr_service import rules
from tests.hr.helpers import service
from tests.hr.pay_helpers import close_run, regrade
from tests.hr.test_pay_properties import (
    YEARS,
    carried,
    earner,
    expected_month,
    figures,
    grades,
    load_pay_case,
    month_end,
    pay_cases,
    with_communities,
)
from tests.hr.test_properties import BACKENDS, PROPERTY, fresh_jurisdiction

RECHECKS = settings(PROPERTY, max_examples=15)


@st.composite
def recheck_cases(draw):
    """A pay case whose months are closed, and corrections from days in them."""
    case = draw(pay_cases())
    year, first = case["year"], case["months"][0]
    days = [date(year, m, d) for m in case["months"] for d in (1, 2, 28)] + [month_end(year, case["months"][-1])]
    corrections = {}
    for i, p in enumerate(case["people"]):
        if draw(st.integers(0, 3)) == 0:
            grade = draw(st.one_of(st.just(p["grade"]), grades(p["post"], YEARS[year])))
            corrections[i] = (grade, draw(st.sampled_from(days + [date(year, first, 1)])))
    return {**case, "corrections": corrections}


def stored(suite, run_id: int) -> dict[int, dict]:
    with service(suite).db.read_session() as s:
        rows = s.execute(text("SELECT * FROM payslip WHERE run_id = :r"), {"r": run_id}).mappings().all()
    return {r["worker_id"]: dict(r) for r in rows}


def due_lines(case: dict, ids: list[int], closed: dict[str, dict[int, dict]], taken: set[int]) -> dict:
    """{(worker, month covered): amount} as the rules give them."""
    f = figures(case)
    fixes = {ids[i]: fix for i, fix in case["corrections"].items()}
    people = dict(zip(ids, case["people"], strict=True))
    made: dict[int, dict[str, int]] = {}
    out = {}
    for month in sorted(closed):
        end = month_end(case["year"], int(month[5:]))
        assert all(people[w]["post"] == slip["post"] for w, slip in closed[month].items())
        pools: dict[str, list[dict]] = {}
        for slip in closed[month].values():
            pools.setdefault(slip["pool_key"], []).append(slip)
        for members in pools.values():
            members.sort(key=lambda s: s["worker_id"])
            earners = []
            for s in members:  # the facts of the month as loaded, the grade as now corrected
                w = s["worker_id"]
                grade = fixes[w][0] if w in fixes and fixes[w][1] <= end else s["grade"]
                so_far = {"months_before": s["months_to_date"] - 1,
                          "paid_days_before": s["paid_days_to_date"] - s["paid_days"],
                          "paid_before": rules.year_so_far_made_good(s["paid_before"], made.get(w, {}), month)}
                earners.append(earner({**people[w], "id": w, "grade": grade}, month, f, so_far))
            for s, lines in zip(members, rules.pool_payslips(earners, f), strict=True):
                w = s["worker_id"]
                if w not in taken or f"{fixes[w][1]:%Y-%m}" > month:
                    continue
                paid = rules.paid_for(s["gross"], s["arrears"], 0, s["rewards"])
                if lines.gross != paid:
                    made.setdefault(w, {})[month] = out[w, month] = lines.gross - paid
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_arrears_and_recoveries_are_the_rule(request, backend):
    suite = request.getfixturevalue(backend)
    admin = suite.hr.as_(suite.admin_token)

    @RECHECKS
    @given(case=recheck_cases())
    def check(case):
        jurisdiction = fresh_jurisdiction()
        case = with_communities(admin, jurisdiction, case)
        ids = load_pay_case(suite, admin, jurisdiction, case)
        closed, so_far = {}, {}
        for m in case["months"]:
            month = f"{case['year']}-{m:02d}"
            run = admin.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": month}).json()
            close_run(suite, admin, run["id"])
            closed[month] = stored(suite, run["id"])
            # D-14a: approving a worker's first payslip of the year records the wage contributions are declared on
            so_far.update({w: {**carried(s), "contribution_wage": s["contribution_wage"]}
                           for w, s in closed[month].items()})
        rechecked = {ids[i] for i, (grade, since) in case["corrections"].items()
                     if regrade(suite, ids[i], grade, since)}
        assert rechecked == {ids[i] for i, (_, since) in case["corrections"].items()
                             if any(ids[i] in slips and m >= f"{since:%Y-%m}" for m, slips in closed.items())}
        nxt = case["months"][-1] + 1
        r = admin.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": f"{case['year']}-{nxt:02d}"})
        assert r.status_code == 201, r.text
        slips = stored(suite, r.json()["id"])
        with service(suite).db.read_session() as s:
            got = dict(((w, c), a) for w, c, a in s.execute(text(
                "SELECT worker_id, covers, amount FROM pay_adjustment WHERE run_id = :r"), {"r": r.json()["id"]}))
        assert got == due_lines(case, ids, closed, rechecked & set(slips))
        # the next month's payslips: the rules with the grades now in force, plus the lines
        now = {**case, "people": [{**p, "grade": case["corrections"].get(i, (p["grade"],))[0]}
                                  for i, p in enumerate(case["people"])]}
        arrears = {w: sum(a for (who, _), a in got.items() if who == w) for w in slips}
        want = expected_month(now, ids, nxt, so_far, arrears)
        assert slips.keys() == want.keys()
        for w, slip in slips.items():
            assert slip["arrears"] == arrears[w]
            assert {k: slip[k] for k in rules.PayLines.__struct_fields__} == \
                {k: want[w][k] for k in rules.PayLines.__struct_fields__}, w

    check()

