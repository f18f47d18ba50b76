"""Steps for features/foundation/statistics.feature (D-17, S4-1, S3-7, S2-7):
statistics per street and district from the three services' HTTP APIs."""
from __future__ import annotations

from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from shared import idcard
from tests.training.helpers import add_worker, complete, programme

scenarios("foundation/statistics.feature")


@pytest.fixture
def ctx(suite):
    return {"response": None}


@given(parsers.parse('a community "{code}" of "{jurisdiction}" with {households:d} households'))
def a_community(suite, code, jurisdiction, households):
    r = suite.hr.as_(suite.admin_token).post("/communities", json={
        "code": code, "name": code, "district": jurisdiction, "households": households, "party_members": 0})
    assert r.status_code == 201, r.text


@given(parsers.parse('workers of "{jurisdiction}" in "{code}" hired on {first} and {second}'))
def workers(suite, jurisdiction, code, first, second):
    hr = suite.hr.as_(suite.admin_token)
    for seq, hired in enumerate((first, second), start=1):
        r = hr.post("/workers", json={"name": f"工作者{seq}", "id_number": idcard.make("330105", date(1990, 1, 1), seq),
                                      "jurisdiction": jurisdiction, "post": "委员", "hired_on": hired,
                                      "community_code": code})
        assert r.status_code == 201, r.text


@when(parsers.parse('HR asks for the workforce of "{jurisdiction}" as of {day} by {by}'))
def ask_workforce(suite, ctx, jurisdiction, day, by):
    ctx["response"] = suite.hr.as_(suite.admin_token).get(
        "/statistics/workforce", params={"jurisdiction": jurisdiction, "as_of": day, "by": by})
    assert ctx["response"].status_code == 200, ctx["response"].text


@then(parsers.parse('"{unit}" has {headcount:d} on the rolls, a quota of {quota:d} and {vacancies:d} vacancy'))
def unit_figures(ctx, unit, headcount, quota, vacancies):
    u = {x["unit"]: x for x in ctx["response"].json()["units"]}[unit]
    assert (u["headcount"], u["quota"], u["vacancies"]) == (headcount, quota, vacancies)


@given(parsers.parse('roster workers of "{one}" and "{other}" trained in one session of {year:d}'))
def trained(suite, ctx, one, other, year):
    tc = suite.api("training", suite.create_user("tc-stats", "training_coordinator", "hangzhou"))
    ids = [add_worker(tc, name, jurisdiction=j, hired_on="2015-01-01") for name, j in (("甲", one), ("乙", other))]
    complete(tc, ids, programme(tc)["id"], f"{year}-05-12")
    ctx["coordinator"] = tc


@when(parsers.parse("the coordinator asks for the statistics of {year:d} by {by}"))
def ask_training(ctx, year, by):
    ctx["response"] = ctx["coordinator"].get("/reports/statistics", params={"year": year, "by": by})
    assert ctx["response"].status_code == 200, ctx["response"].text


@then(parsers.parse('"{one}" has {n:d} person-times and "{other}" has {m:d}'))
def person_times(ctx, one, n, other, m):
    units = {u["unit"]: u["person_times"] for u in ctx["response"].json()["units"]}
    assert units == {one: n, other: m}


@given(parsers.parse('holders of "{one}" (a community worker) and "{other}" (not one)'))
def holders(suite, ctx, one, other):
    officer = suite.api("certs", suite.create_user("co-stats", "cert_officer", "hangzhou"))
    rows = [{"worker_id": 700 + i, "name": f"持证人{i}", "jurisdiction": j, "community_worker": cw,
             "level": "助理社会工作师", "number": f"B{700 + i:09d}", "exam_year": 2015, "passed_on": "2015-09-01"}
            for i, (j, cw) in enumerate(((one, True), (other, False)))]
    r = officer.post("/certificates/import", json={"items": rows})
    assert r.status_code == 201, r.text
    ctx["officer"] = officer


@when(parsers.parse("the cert officer asks for the holders as of {day} by {by}"))
def ask_holders(ctx, day, by):
    ctx["response"] = ctx["officer"].get("/statistics/holders", params={"as_of": day, "by": by})
    assert ctx["response"].status_code == 200, ctx["response"].text


@then(parsers.parse('"{unit}" has {holders:d} holders at a {share} percent community share'))
def share(ctx, unit, holders, share):
    u = {x["jurisdiction"]: x for x in ctx["response"].json()["by_jurisdiction"]}[unit]
    assert (u["holders"], u["community_share_percent"]) == (holders, share)
