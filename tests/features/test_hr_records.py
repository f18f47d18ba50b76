"""Steps for features/hr/staffing.feature and features/hr/communities.feature
(S4-1, S4-3, D-9, D-11, S4-7a/c): the quota on every path that adds a worker
and the communities' dated figures, each a few lines over the HR API."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from shared.web import today
from tests.hr.helpers import id_number
from tests.hr_recruitment.helpers import Hr

scenarios("hr/staffing.feature", "hr/communities.feature")


def _day(text: str) -> str:
    return text


def _code(text: str) -> str:
    return text


_day.pattern = r"\d{4}-\d{2}-\d{2}"  # type: ignore[attr-defined]
_code.pattern = r'[^"]+'  # type: ignore[attr-defined]
TYPES = {"Day": _day, "Code": _code}


def step(text: str):
    return parsers.parse(text, extra_types=TYPES)


@pytest.fixture
def ctx(suite):
    return {"officer": None, "response": None, "jurisdiction": None, "noted": {}, "seq": 0}


def officer(ctx) -> Hr:
    return ctx["officer"]


def worker_body(ctx, code: str | None, hired_on: str) -> dict:
    ctx["seq"] += 1
    return {"name": f"社工{ctx['seq']}", "id_number": id_number(date(1985, 1, 1) + timedelta(days=ctx["seq"])),
            "jurisdiction": ctx["jurisdiction"], "post": "委员", "hired_on": hired_on, "community_code": code}


# --- people and communities ---------------------------------------------------------------


@given(step('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    ctx["officer"] = Hr(suite.api("hr", suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction)))
    ctx["jurisdiction"], ctx["username"] = jurisdiction, f"hr-{jurisdiction}"


@given(step('a community "{code}" of "{district}" with {households:d} households from {day:Day}'))
@given(step('a community "{code}" of "{district}" with {households:d} households and {members:d} party members '
            'from {day:Day}'))
def a_community(ctx, code, district, households, day, members=0):
    officer(ctx).ok(officer(ctx).api.post("/communities", json={
        "code": code, "name": f"{code}社区", "district": district, "households": households,
        "party_members": members, "effective_from": day}), 201)


@given(step('{n:d} worker on the rolls of "{code}" hired on {day:Day}'))
@given(step('{n:d} workers on the rolls of "{code}" hired on {day:Day}'))
def on_the_rolls(ctx, n, code, day):
    for _ in range(n):
        officer(ctx).ok(officer(ctx).api.post("/workers", json=worker_body(ctx, code, day)), 201)


def _figures(ctx, code, households, members, day, reason=None):
    body = {"households": households, "party_members": members, "effective_from": day}
    if reason:
        body["reason"] = reason
    ctx["response"] = officer(ctx).api.patch(f"/communities/{code}", json=body)


@given(step('"{code}" counts {households:d} households and {members:d} party members from {day:Day}'))
@given(step('"{code}" counts {households:d} households and {members:d} party members from {day:Day} '
            'because "{reason}"'))
@when(step('"{code}" counts {households:d} households and {members:d} party members from {day:Day} '
           'because "{reason}"'))
def new_figures(ctx, code, households, members, day, reason=None):
    _figures(ctx, code, households, members, day, reason)
    assert ctx["response"].status_code == 200, ctx["response"].text


@when(step('the officer records {households:d} households for "{code}" from {day:Day}'))
def records_households(ctx, households, code, day):
    ctx["response"] = officer(ctx).api.patch(f"/communities/{code}", json={
        "households": households, "effective_from": day})


# --- putting workers on the rolls ----------------------------------------------------------------


@when(step('the officer puts a worker on the rolls of "{code}" hired on {day:Day}'))
def puts_on_rolls(ctx, code, day):
    ctx["response"] = officer(ctx).api.post("/workers", json=worker_body(ctx, code, day))


@when(step('the officer puts a worker on the rolls of "{code}" hired tomorrow'))
def puts_on_rolls_tomorrow(ctx, code):
    puts_on_rolls(ctx, code, (today() + timedelta(days=1)).isoformat())


def _import(ctx, items, partial=False):
    ctx["response"] = officer(ctx).api.post("/workers/import", json={"items": items, "partial": partial})


@when(step('the officer imports {n:d} workers for "{code:Code}" hired on {day:Day}'))
def imports(ctx, n, code, day):
    _import(ctx, [worker_body(ctx, code, day) for _ in range(n)])


def _two(ctx, n, code, m, other, day) -> list[dict]:
    return [worker_body(ctx, code, day) for _ in range(n)] + [worker_body(ctx, other, day) for _ in range(m)]


@when(step('the officer imports {n:d} workers for "{code}" and {m:d} for "{other}" hired on {day:Day}'))
def imports_two(ctx, n, code, m, other, day):
    _import(ctx, _two(ctx, n, code, m, other, day))


@when(step('the officer imports {n:d} workers for "{code}" and {m:d} for "{other}" hired on {day:Day}, '
           'partially'))
def imports_two_partially(ctx, n, code, m, other, day):
    _import(ctx, _two(ctx, n, code, m, other, day), partial=True)


@given(step('a chosen candidate "{name}" for a "{post}" place in "{code}" whose public notice began on {day:Day}'))
def chosen_candidate(ctx, name, post, code, day):
    hr = officer(ctx)
    cid = hr.ok(hr.campaign("2025-03-03", ctx["jurisdiction"]))["id"]
    pid = hr.ok(hr.post(cid, code, post, 1))["id"]
    aid = hr.ok(hr.apply(cid, pid, name, "1992-05-01"))["id"]
    hr.ok(hr.review(cid))
    hr.ok(hr.scores(cid, aid, 85, 80))
    hr.ok(hr.rank(cid))
    hr.ok(hr.checks(cid, aid))
    hr.ok(hr.notice(cid, day))
    ctx["campaign"] = cid


@when(step("the officer hires the candidates on {day:Day}"))
def hires(ctx, day):
    ctx["response"] = officer(ctx).hire(ctx["campaign"], day)


# --- what the answers say ------------------------------------------------------------------------


@then(step('the answer names the field "{field}"'))
def names_field(ctx, field):
    assert ctx["response"].json()["field"] == field, ctx["response"].text


@then("nobody is on the rolls")
def nobody(ctx):
    assert officer(ctx).ok(officer(ctx).api.get("/workers"))["total"] == 0


@then(step('"{code}" has {n:d} workers on the rolls'))
def headcount(ctx, code, n):
    assert officer(ctx).staffing(code)["headcount"] == n


@then(step('item {i:d} is refused with "{code}"'))
def item_refused(ctx, i, code):
    body = ctx["response"].json()
    if ctx["response"].status_code == 201:  # a partial import: the rows left out
        found = [p["code"] for x in body["refused"] if x["item"] == i for p in x["problems"]]
    else:
        found = [x["code"] for x in body["extra"]["items"] if x["item"] == i]
    assert code in found, body


@then(step("{n:d} worker was imported"))
def imported(ctx, n):
    assert ctx["response"].json()["count"] == n and len(ctx["response"].json()["ids"]) == n


@then(step('the refusal names "{code}", its quota {quota:d} and its headcount {n:d}'))
def refusal_names(ctx, code, quota, n):
    p = ctx["response"].json()
    assert (p["extra"]["community_code"], p["extra"]["quota"], p["extra"]["headcount"]) == (code, quota, n), p
    assert code in p["detail"] and f"quota is {quota}" in p["detail"] and f"{n} worker(s)" in p["detail"]
    assert code in p["detail_zh"] and f"编制{quota}名" in p["detail_zh"] and f"在册{n}名" in p["detail_zh"]


# --- figures, staffing, funds, history -------------------------------------------------------------


@then(step('the staffing of "{code}" on {day:Day} is a quota of {quota:d} from the figures of {start:Day}'))
def staffing_on(ctx, code, day, quota, start):
    st = officer(ctx).ok(officer(ctx).api.get(f"/communities/{code}/staffing", params={"as_of": day}))
    assert (st["quota"], st["figures_from"], st["as_of"]) == (quota, start, day), st


@then(step('"{code}" shows {households:d} households and {members:d} party members'))
def shows(ctx, code, households, members):
    c = officer(ctx).ok(officer(ctx).api.get(f"/communities/{code}"))
    assert (c["households"], c["party_members"]) == (households, members)


def _fund(ctx, code, year) -> dict:
    return officer(ctx).ok(officer(ctx).api.get(f"/communities/{code}/work-fund", params={"year": year}))


@given(step('the work fund of "{code}" for {year:d} is noted'))
def fund_noted(ctx, code, year):
    ctx["noted"][(code, year)] = _fund(ctx, code, year)


@then(step('the work fund of "{code}" for {year:d} is as noted'))
def fund_as_noted(ctx, code, year):
    assert _fund(ctx, code, year) == ctx["noted"][(code, year)]


@then(step('the work fund of "{code}" for {year:d} counts {households:d} households and {members:d} party members'))
def fund_counts(ctx, code, year, households, members):
    f = _fund(ctx, code, year)
    assert (f["households"], f["party_members"]) == (households, members)
    parts = {p["part"]: p for p in f["parts"]}
    assert parts["party_members"]["amount_fen"] == members * 1_000  # S4-7c: 10 yuan a member


@when(step('the officer asks for the history of "{code}"'))
def asks_history(ctx, code):
    ctx["response"] = officer(ctx).api.get(f"/communities/{code}/history")


@then("the history reads:")
def history_reads(ctx, datatable):
    header, *rows = datatable
    got = [[v["effective_from"], str(v["households"]), str(v["party_members"]), str(v["quota"]),
            "yes" if v["capped"] else "no", v["reason"] or ""] for v in ctx["response"].json()]
    assert header == ["from", "households", "party members", "quota", "capped", "reason"]
    assert got == rows, got


@then("each version was recorded by the officer")
def recorded_by(ctx):
    assert {v["recorded_by"] for v in ctx["response"].json()} == {ctx["username"]}
