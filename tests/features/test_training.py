"""Steps for features/training/*.feature, through the training service's HTTP API.

A step names workers, programmes and sessions by the names the feature gives
them; ``ctx`` maps those names to the ids the API returned.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from shared.auth import Principal, Role, TokenIssuer
from tests.training.helpers import PROGRAMME, attend, complete, enrol, import_roster, programme, schedule

scenarios("training")


def step(text: str):
    """``"{name}"`` matches a quoted string, ``{name}`` one word; everything else literally."""
    out, pos = [], 0
    for m in re.finditer(r'"\{(\w+)\}"|\{(\w+)\}', text):
        out.append(re.escape(text[pos:m.start()]))
        out.append(f'"(?P<{m.group(1)}>[^"]*)"' if m.group(1) else rf"(?P<{m.group(2)}>\S+)")
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return parsers.re("".join(out))


@pytest.fixture
def ctx(suite):
    return {"workers": {}, "jurisdiction": {}, "programmes": {}, "sessions": {}, "tokens": {}, "response": None}


def coordinator(ctx):
    return ctx["coordinator"]


def local(stamp: str) -> str:
    return stamp.replace(" ", "T") + ":00"


# --- who ------------------------------------------------------------------------


@given(step('a training coordinator of "{jurisdiction}"'))
def a_coordinator(suite, ctx, jurisdiction):
    ctx["coordinator"] = suite.api("training", suite.create_user(f"tc-{jurisdiction}", "training_coordinator",
                                                                 jurisdiction))


@given(step('the roster of "{jurisdiction}":'))
def the_roster(ctx, jurisdiction, datatable):
    header, *rows = datatable
    records = [dict(zip(header, r, strict=True), jurisdiction=jurisdiction) for r in rows]
    r = import_roster(coordinator(ctx), records)
    assert r.status_code == 200, r.text
    for rec in records:
        ctx["workers"][rec["name"]] = int(rec["worker_id"])
        ctx["jurisdiction"][rec["name"]] = jurisdiction


@given(step('"{name}" has a login'))
def has_login(suite, ctx, name):
    """The token HR would issue this worker (HR's own login flow is tested with HR)."""
    s = suite.settings
    issuer = TokenIssuer(s.jwt_private_key_file.read_bytes(), s.jwt_issuer, s.token_ttl_minutes)
    principal = Principal(f"w-{name}", Role.worker, ctx["jurisdiction"][name], ctx["workers"][name])
    ctx["tokens"][name] = suite.api("training", issuer.issue(principal, datetime.now(UTC))[0])


# --- programmes -----------------------------------------------------------------


def _new_programme(ctx, title, **fields):
    ctx["programmes"][title] = programme(coordinator(ctx), title=title, **fields)


@when(step('the coordinator creates a programme "{title}" with:'))
def creates_programme(ctx, title, datatable):
    body = {**PROGRAMME, "title": title}
    for key, value in datatable:
        if key == "topics":
            body[key] = value.split(",")
        elif key == "cpd_accredited":
            body[key] = value == "true"
        elif key == "cost_fen":
            body[key] = int(value)
        else:
            body[key] = value
    ctx["response"] = coordinator(ctx).post("/programmes", json=body)
    if ctx["response"].status_code == 201:
        ctx["programmes"][title] = ctx["response"].json()


@given(step('a programme "{title}" in class "{category}" of {hours} hours'))
def a_programme(ctx, title, category, hours):
    _new_programme(ctx, title, category=category, hours=hours)


@given(step('a programme "{title}" of tier "{tier}" in class "{category}" of {hours} hours'))
def a_tiered_programme(ctx, title, tier, category, hours):
    _new_programme(ctx, title, tier=tier, category=category, hours=hours)


@given(step('a programme "{title}" in class "{category}" of {hours} hours costing {yuan} yuan a head'))
def a_costed_programme(ctx, title, category, hours, yuan):
    _new_programme(ctx, title, category=category, hours=hours, cost_fen=int(yuan) * 100)


@given(step('an accredited programme "{title}" of {hours} hours worth {cpd} CPD hours'))
def an_accredited_programme(ctx, title, hours, cpd):
    _new_programme(ctx, title, hours=hours, cpd_accredited=True, cpd_hours=cpd)


@given(step('a programme "{title}" located "{location}" of {hours} hours'))
def a_located_programme(ctx, title, location, hours):
    _new_programme(ctx, title, location=location, hours=hours, tier="advanced_practice", category="advanced_practice")


@then(step('the programme "{title}" has {hours} hours in class "{category}" of tier "{tier}"'))
def programme_has(ctx, title, hours, category, tier):
    p = coordinator(ctx).get(f"/programmes/{ctx['programmes'][title]['id']}").json()
    assert (p["hours"], p["category"], p["tier"]) == (hours, category, tier)


@then(step("the classes in force are {n}"))
def classes_in_force(ctx, n):
    assert len(coordinator(ctx).get("/categories").json()["classes"]) == int(n)


@then("there are no programmes")
def no_programmes(ctx):
    assert coordinator(ctx).get("/programmes").json()["total"] == 0


# --- sessions and enrolment --------------------------------------------------------


def _schedule(ctx, label, title, start, end, seats):
    ctx["response"] = schedule(coordinator(ctx), ctx["programmes"][title]["id"], start=local(start), end=local(end),
                               capacity=int(seats))
    if ctx["response"].status_code == 201:
        ctx["sessions"][label] = ctx["response"].json()


@given(step('session "{label}" of "{title}" from "{start}" to "{end}" with {seats} seats'))
def a_session(ctx, label, title, start, end, seats):
    _schedule(ctx, label, title, start, end, seats)
    assert ctx["response"].status_code == 201, ctx["response"].text


@when(step('the coordinator schedules "{label}" of "{title}" from "{start}" to "{end}" with {seats} seats'))
def schedules(ctx, label, title, start, end, seats):
    _schedule(ctx, label, title, start, end, seats)


def sid(ctx, label) -> int:
    return ctx["sessions"][label]["id"]


@given(step('"{name}" is enrolled in "{label}"'))
@when(step('"{name}" is enrolled in "{label}"'))
def is_enrolled(ctx, name, label):
    ctx["response"] = enrol(coordinator(ctx), sid(ctx, label), ctx["workers"][name])


@when(step('"{name}" enrols in "{label}" themself'))
def enrols_themself(ctx, name, label):
    ctx["response"] = enrol(ctx["tokens"][name], sid(ctx, label))
    assert ctx["response"].status_code == 201, ctx["response"].text


def place(ctx, name, label) -> dict:
    listing = coordinator(ctx).get(f"/sessions/{sid(ctx, label)}/enrolments").json()
    live = [e for e in listing if e["worker_id"] == ctx["workers"][name] and e["status"] != "cancelled"]
    assert live, f"{name} holds no place in {label}"
    return live[0]


@then(step('"{name}" holds a seat in "{label}"'))
def holds_seat(ctx, name, label):
    assert place(ctx, name, label)["status"] == "enrolled"


@then(step('"{name}" is number {n} on the waitlist of "{label}"'))
def on_waitlist(ctx, name, n, label):
    e = place(ctx, name, label)
    assert (e["status"], e["waitlist_position"]) == ("waitlisted", int(n))


@when(step('the place of "{name}" in "{label}" is cancelled'))
def place_cancelled(ctx, name, label):
    ctx["response"] = coordinator(ctx).post(f"/enrolments/{place(ctx, name, label)['id']}/cancel", json={})
    assert ctx["response"].status_code == 200, ctx["response"].text


@when(step('"{name}" cancels their own place in "{label}"'))
def cancels_own(ctx, name, label):
    me = ctx["tokens"][name]
    mine = [e for e in me.get("/me/enrolments").json() if e["session_id"] == sid(ctx, label)]
    ctx["response"] = me.post(f"/enrolments/{mine[0]['id']}/cancel", json={})
    assert ctx["response"].status_code == 200, ctx["response"].text


@then(step('"{name}" sees {n} enrolment of their own, "{status}"'))
def sees_own(ctx, name, n, status):
    mine = ctx["tokens"][name].get("/me/enrolments").json()
    assert [e["status"] for e in mine] == [status] * int(n)


@when(step('the coordinator sets the capacity of "{label}" to {n}'))
def sets_capacity(ctx, label, n):
    ctx["response"] = coordinator(ctx).patch(f"/sessions/{sid(ctx, label)}", json={"capacity": int(n)})


# --- attendance and completion ------------------------------------------------------


@given(step('"{name}" attended "{label}" on {present} of its {days} days'))
def attended(ctx, name, label, present, days):
    session_days = ctx["sessions"][label]["days"]
    assert len(session_days) == int(days)
    for i, day in enumerate(session_days):
        r = attend(coordinator(ctx), sid(ctx, label), day, {ctx["workers"][name]: i < int(present)})
        assert r.status_code == 200, r.text


@when(step('the coordinator marks "{name}" present in "{label}" on "{day}"'))
def marks_present(ctx, name, label, day):
    ctx["response"] = attend(coordinator(ctx), sid(ctx, label), day, {ctx["workers"][name]: True})


@when(step('the coordinator closes "{label}"'))
def closes(ctx, label):
    ctx["response"] = coordinator(ctx).post(f"/sessions/{sid(ctx, label)}/close")
    assert ctx["response"].status_code == 200, ctx["response"].text


def status_in(ctx, name, label) -> str:
    mine = coordinator(ctx).get(f"/workers/{ctx['workers'][name]}/enrolments").json()
    return [e["status"] for e in mine if e["session_id"] == sid(ctx, label)][0]


@then(step('"{name}" has completed "{label}"'))
def has_completed(ctx, name, label):
    assert status_in(ctx, name, label) == "completed"


@then(step('"{name}" has not completed "{label}"'))
def has_not_completed(ctx, name, label):
    assert status_in(ctx, name, label) == "not_completed"


@then(step('the ledger of "{name}" shows {hours} training hours and {cpd} CPD hours'))
def ledger_shows(ctx, name, hours, cpd):
    ledger = coordinator(ctx).get(f"/workers/{ctx['workers'][name]}/ledger").json()
    assert (ledger["total_hours"], ledger["total_cpd_hours"]) == (hours, cpd)


@then(step('the ledger of "{name}" for {year} shows {hours} hours in class "{category}"'))
def ledger_by_class(ctx, name, year, hours, category):
    ledger = coordinator(ctx).get(f"/workers/{ctx['workers'][name]}/ledger", params={"year": year}).json()
    assert ledger["years"][0]["by_category"] == {category: hours}


# --- obligations and compliance -----------------------------------------------------


@given(step('"{name}" completed a {days}-day offline programme of {hours} hours starting "{day}"'))
def completed_programme(ctx, name, days, hours, day):
    p = programme(coordinator(ctx), title=f"集中培训 {day}", hours=hours)
    complete(coordinator(ctx), [ctx["workers"][name]], p["id"], day, days=int(days))


@when(step('the coordinator asks for the compliance report for {year} as of "{as_of}"'))
def compliance_report(ctx, year, as_of):
    ctx["response"] = coordinator(ctx).get("/reports/compliance", params={"year": year, "as_of": as_of})
    assert ctx["response"].status_code == 200, ctx["response"].text


def report_rows(ctx, name, kind) -> list[dict]:
    return [r for r in ctx["response"].json()["rows"] if r["worker_id"] == ctx["workers"][name] and r["kind"] == kind]


@then(step('"{name}" is behind on "{kind}" by {hours} hours, {days} days'))
def behind_by_hours(ctx, name, kind, hours, days):
    (row,) = report_rows(ctx, name, kind)
    assert (row["status"], row["shortfall"], row["shortfall_days"]) == ("behind", hours, days)


@then(step('"{name}" is behind on "{kind}" by {n} programmes'))
def behind_by_programmes(ctx, name, kind, n):
    (row,) = report_rows(ctx, name, kind)
    assert (row["status"], Decimal(row["shortfall"])) == ("behind", Decimal(n))


@then(step('"{name}" is not listed for "{kind}"'))
def not_listed(ctx, name, kind):
    assert report_rows(ctx, name, kind) == []


@then(step('"{name}" has "{kind}" open, due "{due}"'))
def open_due(ctx, name, kind, due):
    (row,) = report_rows(ctx, name, kind)
    assert (row["status"], row["due_on"]) == ("open", due)


# --- statistics and budget ----------------------------------------------------------


@when(step("the coordinator asks for the statistics of {year}"))
def statistics(ctx, year):
    ctx["response"] = coordinator(ctx).get("/reports/statistics", params={"year": year})
    assert ctx["response"].status_code == 200, ctx["response"].text


@then(step("they show {sessions} sessions, {pt} person-times and {workers} workers"))
def they_show(ctx, sessions, pt, workers):
    st = ctx["response"].json()
    assert (st["sessions"], st["person_times"], st["workers"]) == (int(sessions), int(pt), int(workers))


@then(step("the spend is {spend} yuan against a budget of {budget} yuan"))
def spend_against_budget(ctx, spend, budget):
    st = ctx["response"].json()
    assert (Decimal(st["spend_fen"]) / 100, Decimal(st["budget_fen"]) / 100) == (Decimal(spend), Decimal(budget))


# --- places abroad ------------------------------------------------------------------


@given(step('the places abroad for "{jurisdiction}" are {n} a year from "{day}"'))
def places_abroad(suite, jurisdiction, n, day):
    r = suite.api("training", suite.admin_token).post("/policies/abroad_places", json={
        "jurisdiction": jurisdiction, "effective_from": day, "value": {"places_per_year": int(n)}})
    assert r.status_code == 201, r.text


@when(step('the coordinator selects "{name}" for study abroad in {year}'))
def selects_abroad(ctx, name, year):
    ctx["response"] = coordinator(ctx).post("/abroad-selections", json={"year": int(year),
                                                                        "worker_id": ctx["workers"][name]})


# --- answers ------------------------------------------------------------------------


@then(step("the answer is {status}"))
def answer_is(ctx, status):
    assert ctx["response"].status_code == int(status), ctx["response"].text


@then(step('the answer is {status} naming the field "{field}"'))
def answer_naming(ctx, status, field):
    answer_is(ctx, status)
    assert ctx["response"].json()["field"] == field


@then(step('the answer is {status} naming the field "{field}" citing "{clause}"'))
def answer_naming_citing(ctx, status, field, clause):
    answer_naming(ctx, status, field)
    assert ctx["response"].json()["clause"] == clause


@then(step('the answer is {status} with code "{code}"'))
def answer_with_code(ctx, status, code):
    answer_is(ctx, status)
    assert ctx["response"].headers["content-type"].startswith("application/problem+json")
    assert ctx["response"].json()["code"] == code


@then(step('the answer is {status} with code "{code}" citing "{clause}"'))
def answer_code_citing(ctx, status, code, clause):
    answer_with_code(ctx, status, code)
    assert ctx["response"].json()["clause"] == clause


@then(step('the answer is {status} with code "{code}" naming the field "{field}"'))
def answer_code_naming(ctx, status, code, field):
    answer_with_code(ctx, status, code)
    assert ctx["response"].json()["field"] == field
