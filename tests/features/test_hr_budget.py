"""Steps for features/hr/pay/budget.feature (S4-7a, S4-12): a community's pay
against its work fund, through ``POST /pay-runs`` (draft runs) and
``GET /pay-budget``."""
from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from shared.money import yuan
from tests.hr.communities import register
from tests.hr.helpers import hire

scenarios("hr/pay/budget.feature")


def fen(amount: str) -> int:
    return yuan(amount.replace(",", ""))


@pytest.fixture
def ctx(suite):
    return {"officer": None, "jurisdiction": None, "response": None}


@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    ctx["officer"] = suite.hr.as_(suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction))
    ctx["jurisdiction"] = jurisdiction


@given(parsers.parse('a community "{code}" of "{district}" with {households:d} households from "{day}"'))
def a_community(ctx, code, district, households, day):
    register(ctx["officer"], code, district, households=households, effective_from=day)


@given(parsers.parse('a "{post}" worker "{name}" at grade {grade:d} in "{code}" hired on "{hired_on}"'))
def a_worker(ctx, post, name, grade, code, hired_on):
    hire(ctx["officer"], name=name, post=post, grade=grade, hired_on=hired_on, jurisdiction=ctx["jurisdiction"],
         community_code=code)


@given(parsers.parse('the officer has drafted the pay of "{jurisdiction}" for "{first}" and "{second}"'))
def drafted(ctx, jurisdiction, first, second):
    for month in (first, second):
        r = ctx["officer"].post("/pay-runs", json={"jurisdiction": jurisdiction, "month": month})
        assert r.status_code == 201 and r.json()["status"] == "draft", r.text


@when(parsers.parse('the officer asks for the pay budget of "{jurisdiction}" for "{month}"'))
def ask(ctx, jurisdiction, month):
    ctx["response"] = ctx["officer"].get("/pay-budget", params={"jurisdiction": jurisdiction, "month": month})


def _row(ctx, code: str) -> dict:
    r = ctx["response"]
    assert r.status_code == 200, r.text
    return next(row for row in r.json()["rows"] if row["community_code"] == code)


COLUMNS = {"grade pay": "grade_pay", "bonus pool": "bonus_pool", "pool allowed": "pool_allowed", "fund": "fund"}


def _reads(ctx, code: str, period: str, datatable) -> None:
    header, values = datatable
    figures = _row(ctx, code)[period]
    assert {k: figures[COLUMNS[k]] for k in header} == {k: fen(v) for k, v in zip(header, values, strict=True)}


@then(parsers.parse('the budget of "{code}" for the month reads:'))
def month_reads(ctx, code, datatable):
    _reads(ctx, code, "month", datatable)


@then(parsers.parse('the budget of "{code}" for the year to date reads:'))
def ytd_reads(ctx, code, datatable):
    _reads(ctx, code, "year_to_date", datatable)


@then(parsers.parse('the pay cost of "{code}" adds the employer\'s contributions of its payslips, '
                    'month and year to date'))
def cost_adds_employer(ctx, code):
    row = _row(ctx, code)
    month = ctx["response"].json()["month"]
    slips = {}
    for run in ctx["officer"].get("/pay-runs", params={"jurisdiction": ctx["jurisdiction"]}).json():
        slips[run["month"]] = [s for s in ctx["officer"].get(f"/pay-runs/{run['id']}/payslips").json()["items"]
                               if s["community_code"] == code]
    for period, months in (("month", [month]), ("year_to_date", [m for m in slips if m <= month])):
        figures = row[period]
        employer = sum(s["employer_total"] for m in months for s in slips[m])
        assert employer > 0 and figures["employer_total"] == employer
        assert figures["pay_cost"] == figures["grade_pay"] + figures["bonus_pool"] + employer


@then(parsers.parse('what is left of the fund of "{code}" is the fund less the pay cost, {side} nothing'))
def what_is_left(ctx, code, side):
    row = _row(ctx, code)
    for period in ("month", "year_to_date"):
        f = row[period]
        assert f["fund_left"] == f["fund"] - f["pay_cost"]
        assert (f["fund_left"] > 0, f["over_fund"]) == ((True, False) if side == "above" else (False, True))


@then(parsers.parse('the budget of "{code}" is from {status} pay runs over {months:d} months'))
def from_runs(ctx, code, status, months):
    row = _row(ctx, code)
    assert row["status"] == status and row["year_to_date"]["months"] == months
    assert {r["status"] for r in ctx["response"].json()["runs"]} == {status}


@then("the budget has no rows and a note")
def no_rows(ctx):
    r = ctx["response"]
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [] and r.json()["note"]


@then(parsers.parse('the refusal names the field "{field}"'))
def names_field(ctx, field):
    assert ctx["response"].json()["field"] == field
