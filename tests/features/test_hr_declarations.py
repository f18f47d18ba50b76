"""Steps for features/hr/pay/declarations.feature (D-13, D-14, D-15): declared
deductions, contribution wages and unpaid absence, through the HR service's
HTTP API. Months "this year" are read from today's date, as the window of a
declaration is (from the hire month to December of this year)."""
from __future__ import annotations

import calendar

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from shared.money import yuan
from shared.web import today
from tests.features.steps_payroll import *  # noqa: F403  (its steps)
from tests.hr.helpers import id_number

scenarios("hr/pay/declarations.feature")

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}


def fen(text: str) -> int:
    return yuan(text.replace(",", ""))


def this_year(month_name: str) -> str:
    """"January" → January of this year, as YYYY-MM."""
    return f"{today().year}-{MONTHS[month_name]:02d}"


@pytest.fixture
def ctx(suite):
    return {"suite": suite, "workers": {}, "logins": {}, "response": None}


def _wid(ctx, name: str) -> int:
    return ctx["workers"][name]


# --- the office and its people -----------------------------------------------------------

@given(parsers.parse('"{name}", a "{post}" at grade {grade:d} without a community, hired on "{hired_on}"'))
def hired(ctx, name, post, grade, hired_on):
    r = ctx["maker"].post("/workers", json={"name": name, "id_number": id_number(), "jurisdiction": ctx["district"],
                                            "post": post, "grade": grade, "hired_on": hired_on,
                                            "community_code": None})
    assert r.status_code == 201, r.text
    ctx["workers"][name] = r.json()["id"]


@given(parsers.parse('"{name}" signs in to her own page as "{username}"'))
def signs_in(ctx, name, username):
    suite = ctx["suite"]
    ctx["logins"][name] = suite.hr.as_(suite.create_user(username, "worker", ctx["district"],
                                                         worker_id=_wid(ctx, name)))


# --- D-13 ----------------------------------------------------------------------------------

def _declare(ctx, name: str, kind: str, amount: str, month_name: str, person: str | None = None):
    body = {"kind": kind, "monthly_fen": fen(amount), "from_month": this_year(month_name)}
    if person is not None:
        body["person"] = person
    ctx["response"] = ctx["logins"][name].post("/me/tax-deductions", json=body)
    return ctx["response"]


@when(parsers.parse('"{name}" declares "{kind}" of {amount} yuan a month from {month_name} this year for "{person}"'))
def declares_for(ctx, name, kind, amount, month_name, person):
    _declare(ctx, name, kind, amount, month_name, person)


@when(parsers.parse('"{name}" declares "{kind}" of {amount} yuan a month from {month_name} this year'))
def declares(ctx, name, kind, amount, month_name):
    _declare(ctx, name, kind, amount, month_name)


@given(parsers.parse('"{name}" declared "{kind}" of {amount} yuan a month from {month_name} this year for "{person}"'))
def declared_for(ctx, name, kind, amount, month_name, person):
    assert _declare(ctx, name, kind, amount, month_name, person).status_code == 201, ctx["response"].text


@given(parsers.parse('"{name}" declared "{kind}" of {amount} yuan a month from {month_name} this year'))
def declared(ctx, name, kind, amount, month_name):
    r = _declare(ctx, name, kind, amount, month_name)
    assert r.status_code == 201, r.text
    ctx.setdefault("declared", {})[kind] = r.json()["id"]


def _declarations(ctx, name: str) -> list[dict]:
    r = ctx["maker"].get(f"/workers/{_wid(ctx, name)}/tax-deductions")
    assert r.status_code == 200, r.text
    return r.json()


@then(parsers.parse('HR reads the declarations of "{name}": "{kind}" for "{first}" and "{second}", '
                    'recorded by "{username}"'))
def reads_declarations(suite, ctx, name, kind, first, second, username):
    username = suite.usernames.get(username, username)  # D-18: a worker's account is named by the ID number
    assert [(d["kind"], d["person"], d["recorded_by"]) for d in _declarations(ctx, name)] == [
        (kind, first, username), (kind, second, username)]


@then(parsers.parse('HR reads {count:d} declarations of "{name}"'))
def reads_count(ctx, count, name):
    assert len(_declarations(ctx, name)) == count


@then(parsers.parse('the payslip of "{name}" for {month_name} this year counts {amount} yuan of special deductions '
                    'to date'))
def special_deductions(ctx, name, month_name, amount):
    slip = _slip(ctx, name, this_year(month_name))
    assert slip["special_deductions_to_date"] == fen(amount), slip


@then(parsers.parse('the refusal names her "{kind}" declaration'))
def names_declaration(ctx, kind):
    body = ctx["response"].json()
    assert body["extra"]["existing_id"] == ctx["declared"][kind], body
    assert kind in body["detail"] and body["detail_zh"]


@then(parsers.parse('the refusal names the field "{field}"'))
def names_field(ctx, field):
    assert ctx["response"].json()["field"] == field


# --- pay runs ------------------------------------------------------------------------------

def _run(ctx, month: str) -> dict:
    r = ctx["maker"].post("/pay-runs", json={"jurisdiction": ctx["district"], "month": month})
    assert r.status_code == 201, r.text
    return r.json()


@given(parsers.parse('the pay of "{month}" has been run and approved'))
def run_and_approve(ctx, month):
    """Computed and submitted by the maker, approved by the checker (D-16)."""
    run = _run(ctx, month)
    assert ctx["maker"].post(f"/pay-runs/{run['id']}/submit").status_code == 200
    approved = ctx["checker"].post(f"/pay-runs/{run['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "closed", approved.text


@when(parsers.parse('the pay of "{month}" is run'))
def run(ctx, month):
    _run(ctx, month)


def _slip(ctx, name: str, month: str) -> dict:
    r = ctx["maker"].get(f"/workers/{_wid(ctx, name)}/payslips/{month}")
    assert r.status_code == 200, r.text
    return r.json()


# --- D-14 ----------------------------------------------------------------------------------

@when(parsers.parse('HR declares a {year:d} contribution wage of {amount} yuan for "{name}" because "{reason}"'))
def declare_wage(ctx, year, amount, name, reason):
    ctx["response"] = ctx["maker"].put(f"/workers/{_wid(ctx, name)}/contribution-wages/{year}",
                                       json={"wage_fen": fen(amount), "reason": reason})


@then(parsers.parse('the declared wage applies from "{month}"'))
def applies_from(ctx, month):
    assert ctx["response"].json()["applies_from"] == month


@then(parsers.parse('the contribution wages of "{name}" show {year:d} at {wage} yuan, "{basis}", '
                    'on a base of {base} yuan'))
def wages_show(ctx, name, year, wage, basis, base):
    r = ctx["maker"].get(f"/workers/{_wid(ctx, name)}/contribution-wages")
    assert [(c["wage_fen"], c["basis"], c["base_fen"]) for c in r.json() if c["year"] == year] == [
        (fen(wage), basis, fen(base))]


@then(parsers.parse('the payslip of "{name}" for "{month}" is charged on a base of {base} yuan'))
def charged_on(ctx, name, month, base):
    assert _slip(ctx, name, month)["contribution_base"] == fen(base)


# --- D-15 ----------------------------------------------------------------------------------

@when(parsers.parse('HR records "{name}" absent without pay from "{first}" to "{last}" because "{reason}"'))
def absent(ctx, name, first, last, reason):
    ctx["response"] = ctx["maker"].post(f"/workers/{_wid(ctx, name)}/unpaid-absences",
                                        json={"first_day": first, "last_day": last, "reason": reason})


@then(parsers.parse('the answer says "{month}" will be made good'))
def made_good(ctx, month):
    body = ctx["response"].json()
    assert body["rechecked"] is True and body["closed_months"] == [month], body


@then(parsers.parse('the payslip of "{name}" for "{month}" shows {days} paid days'))
def paid_days(ctx, name, month, days):
    assert _slip(ctx, name, month)["paid_days"] == round(float(days) * 100)


@then(parsers.parse('the payslip of "{name}" for "{month}" shows a grade pay of {amount} yuan'))
def grade_pay(ctx, name, month, amount):
    assert _slip(ctx, name, month)["grade_pay"] == fen(amount)


@then(parsers.parse('the payslip of "{name}" for "{month}" recovers {amount} yuan for "{covers}"'))
def recovers(ctx, name, month, amount, covers):
    lines = _slip(ctx, name, month)["adjustments"]
    assert [(a["covers"], a["kind"], a["amount"], a["clause"]) for a in lines] == [
        (covers, "recovery", -fen(amount), "D-12")], lines
