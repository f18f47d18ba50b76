"""Steps for features/foundation/calendar.feature (D-10), over the HTTP APIs."""
from __future__ import annotations

from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hr_recruitment.helpers import Hr

scenarios("foundation/calendar.feature")


@pytest.fixture
def ctx(suite):
    return {"response": None}


def last_loaded(ctx) -> int:
    if "last" not in ctx:
        ctx["last"] = max(y["year"] for y in ctx["hr"].api.get("/calendar").json())
    return ctx["last"]


@given(parsers.parse('an HR officer of "{district}" with a campaign whose chosen candidate passed both checks'))
def campaign_ready(suite, ctx, district):
    ctx["token"] = suite.create_user("hr-calendar", "hr_officer", district)
    hr = ctx["hr"] = Hr(suite.api("hr", ctx["token"]))
    ctx["admin"] = {s: suite.api(s, suite.admin_token) for s in ("hr", "certs")}
    hr.ok(hr.community("GS001", 1200, 30, district))
    cid = ctx["campaign"] = hr.ok(hr.campaign(jurisdiction=district))["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    aid = hr.ok(hr.apply(cid, pid, "张伟", "1990-05-01"))["id"]
    hr.ok(hr.review(cid))
    hr.ok(hr.scores(cid, aid, written=90, interview=80))
    hr.ok(hr.rank(cid))
    hr.ok(hr.checks(cid, aid))


# --- the years loaded -------------------------------------------------------


@when(parsers.parse('the officer lists the calendar of "{service}"'))
def list_years(suite, ctx, service):
    ctx["response"] = suite.api(service, ctx["token"]).get("/calendar")


@then(parsers.parse('the years {first:d} to {last:d} are loaded, each citing "{clause}" and naming the State '
                    "Council's notices"))
def years_loaded(ctx, first, last, clause):
    years = ctx["response"].json()
    assert [y["year"] for y in years] == list(range(first, last + 1))
    assert all(y["clause"] == clause and "国务院办公厅" in y["source"] for y in years)


@then(parsers.parse('the calendar of "{service}" lists the same years'))
def same_years(ctx, service):
    theirs = ctx["admin"][service].get("/calendar").json()
    assert [y["year"] for y in theirs] == [y["year"] for y in ctx["response"].json()]


# --- notices ----------------------------------------------------------------


def start_notice(ctx, starts_on: str):
    ctx["response"] = ctx["hr"].notice(ctx["campaign"], starts_on)


@when(parsers.parse("the officer starts the public notice on {year:d}-{month:d}-{dd:d}"))
def notice_on(ctx, year, month, dd):
    start_notice(ctx, date(year, month, dd).isoformat())


@when("the officer starts the public notice on 28 December of the last year loaded")
@given("the officer was refused a notice from 28 December of the last year loaded")
def notice_at_the_edge(ctx):
    start_notice(ctx, f"{last_loaded(ctx)}-12-28")


@then(parsers.parse("the notice ends on {day}"))
def notice_ends(ctx, day):
    assert ctx["hr"].ok(ctx["response"])["ends_on"] == day


@then("the refusal names the year after it")
def names_the_year(ctx):
    body = ctx["response"].json()
    year = last_loaded(ctx) + 1
    assert body["extra"] == {"year": year} and body["field"] == "starts_on"
    assert str(year) in body["detail"] and str(year) in body["detail_zh"]


@then("the campaign has no public notice")
def no_notice(ctx):
    hr = ctx["hr"]
    assert hr.ok(hr.api.get(f"/campaigns/{ctx['campaign']}/notices")) == []
    assert hr.campaign_of(ctx["campaign"])["status"] == "ranked"


@then("the notice ends in the year after it, not on 1 January")
def ends_next_year(ctx):
    ends_on = date.fromisoformat(ctx["hr"].ok(ctx["response"])["ends_on"])
    assert ends_on.year == last_loaded(ctx) + 1 and (ends_on.month, ends_on.day) != (1, 1)


# --- loading a year ---------------------------------------------------------


def load(ctx, api, year: int, holidays: list[str], working_days: tuple[str, ...] = ()):
    ctx["response"] = api.put(f"/calendar/{year}", json={
        "holidays": holidays, "working_days": list(working_days), "source": "国务院办公厅关于节假日安排的通知"})


@when("the administrator loads the year after it with 1 January as its only holiday")
def admin_loads_next(ctx):
    year = last_loaded(ctx) + 1
    load(ctx, ctx["admin"]["hr"], year, [f"{year}-01-01"])
    assert ctx["response"].status_code == 200, ctx["response"].text


@when(parsers.parse("the {who} loads {year:d} with 1 January as its only holiday"))
def who_loads(ctx, who, year):
    load(ctx, ctx["admin"]["hr"] if who == "administrator" else ctx["hr"].api, year, [f"{year}-01-01"])


@when(parsers.parse("the administrator loads {year:d} with 1 and 2 January as holidays"))
def admin_loads_two(ctx, year):
    load(ctx, ctx["admin"]["hr"], year, [f"{year}-01-01", f"{year}-01-02"])


@when(parsers.parse("the administrator loads {year:d} with Monday 11 January as a make-up working day"))
def admin_loads_weekday(ctx, year):
    load(ctx, ctx["admin"]["hr"], year, [f"{year}-01-01"], (f"{year}-01-11",))


@then(parsers.parse('the calendar of {year:d} has {n:d} holidays in force and {k:d} earlier version by "{who}"'))
def year_versions(ctx, year, n, k, who):
    body = ctx["hr"].ok(ctx["hr"].api.get(f"/calendar/{year}"))
    assert len(body["in_force"]["holidays"]) == n and len(body["earlier"]) == k
    assert {v["created_by"] for v in [body["in_force"], *body["earlier"]]} == {who}


@then(parsers.parse('the refusal names the field "{field}"'))
def names_field(ctx, field):
    assert ctx["response"].json()["field"] == field


@then(parsers.parse("{year:d} is not loaded"))
def not_loaded(ctx, year):
    assert ctx["hr"].api.get(f"/calendar/{year}").status_code == 404
    assert year not in [y["year"] for y in ctx["hr"].api.get("/calendar").json()]
