"""Steps for features/hr/rewards.feature (S4-13), each a few lines over the HR API."""
from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from shared.money import yuan
from tests.hr_recruitment.helpers import Hr

scenarios("hr/rewards.feature")


@pytest.fixture
def ctx(suite):
    return {"workers": {}, "response": None}


def record(hr: Hr, code, year, income, surplus):
    return hr.api.post(f"/communities/{code}/reward-funds", json={
        "year": int(year), "after_tax_income_fen": yuan(income), "surplus_fen": yuan(surplus)})


def reward(ctx, name, code, amount, year):
    return ctx["hr"].api.post(f"/communities/{code}/rewards", json={
        "worker_id": ctx["workers"][name], "year": int(year), "amount_fen": yuan(amount), "reason": "年度奖励"})


@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    ctx["hr"] = Hr(suite.api("hr", suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction)))


@given(parsers.parse('a community "{code}" of "{district}" with worker "{name}"'))
def community_with_worker(ctx, code, district, name):
    hr = ctx["hr"]
    hr.ok(hr.community(code, 1200, district=district), 201)
    ctx["workers"][name] = hr.ok(hr.worker(name, code, jurisdiction=district), 201)["id"]


@given(parsers.parse('"{code}" has recorded for {year:d} an after-tax service income of {income} yuan '
                     'and a surplus of {surplus} yuan'))
def recorded(ctx, code, year, income, surplus):
    ctx["hr"].ok(record(ctx["hr"], code, year, income, surplus), 201)


@given(parsers.parse('"{name}" of "{code}" has been rewarded {amount} yuan for {year:d}'))
def rewarded(ctx, name, code, amount, year):
    ctx["hr"].ok(reward(ctx, name, code, amount, year), 201)


@when(parsers.parse('the officer records for "{code}" in {year:d} an after-tax service income of {income} yuan '
                    'and a surplus of {surplus} yuan'))
def records(ctx, code, year, income, surplus):
    ctx["response"] = record(ctx["hr"], code, year, income, surplus)


@when(parsers.parse('the officer rewards "{name}" of "{code}" with {amount} yuan for {year:d}'))
def rewards(ctx, name, code, amount, year):
    ctx["response"] = reward(ctx, name, code, amount, year)


@then(parsers.parse('the reward fund is {total} yuan, of which {income} from the income '
                    'and {surplus} from the surplus'))
def fund_is(ctx, total, income, surplus):
    out = ctx["hr"].ok(ctx["response"], 201)
    assert (out["fund_fen"], out["income_part_fen"], out["surplus_part_fen"]) == (
        yuan(total), yuan(income), yuan(surplus))


@then("the reward is granted")
def granted(ctx):
    ctx["hr"].ok(ctx["response"], 201)


@then(parsers.parse('the request is refused with {status:d} "{code}" citing "{clause}"'))
def refused(ctx, status, code, clause):
    r = ctx["response"]
    assert r.status_code == status, r.text
    assert (r.json()["code"], r.json()["clause"]) == (code, clause)


@then(parsers.parse('the reward fund of "{code}" for {year:d} shows {awarded} yuan awarded and {left} yuan left'))
def fund_shows(ctx, code, year, awarded, left):
    v = ctx["hr"].ok(ctx["hr"].api.get(f"/communities/{code}/reward-funds/{year}"))
    assert (v["awarded_yuan"], v["left_yuan"]) == (awarded, left)
