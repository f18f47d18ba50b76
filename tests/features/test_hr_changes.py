"""Steps for features/hr/changes/*.feature (D-11, D-12, D-4, S4-10, S4-1),
through the HR service's HTTP API."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import select

from shared.events import from_message
from tests.hr.helpers import assess, hire, service

scenarios("hr/changes")

TODAY = date.today()


@pytest.fixture
def ctx(suite):
    return {"officer": None, "workers": {}, "response": None}


def _wid(ctx, name):
    return ctx["workers"][name]


def _worker(ctx, name):
    return ctx["officer"].get(f"/workers/{_wid(ctx, name)}").json()


@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def officer(suite, ctx, jurisdiction):
    ctx["officer"] = suite.hr.as_(suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction))


@given(parsers.parse('the community "{code}" of "{district}" with {households:d} households'))
def community(ctx, code, district, households):
    r = ctx["officer"].post("/communities", json={"code": code, "name": code, "district": district,
                                                  "households": households, "effective_from": "2000-01-01"})
    assert r.status_code == 201, r.text


@given(parsers.parse('a worker "{name}" of "{code}" hired on "{hired_on}"'))
def worker_of(ctx, name, code, hired_on):
    district = ctx["officer"].get(f"/communities/{code}").json()["district"]
    ctx["workers"][name] = hire(ctx["officer"], name=name, jurisdiction=district, community_code=code,
                                hired_on=hired_on)["id"]


@given(parsers.parse('a worker "{name}" of "{code}" at grade {grade:d} hired on "{hired_on}"'))
def worker_at_grade(ctx, name, code, grade, hired_on):
    district = ctx["officer"].get(f"/communities/{code}").json()["district"]
    ctx["workers"][name] = hire(ctx["officer"], name=name, jurisdiction=district, community_code=code,
                                hired_on=hired_on, grade=grade)["id"]


@given(parsers.parse('a worker "{name}" on probation ending in {days:d} days'))
def on_probation(ctx, name, days):
    ends = TODAY + timedelta(days=days)
    ctx["workers"][name] = hire(ctx["officer"], name=name, hired_on=(ends - timedelta(days=182)).isoformat(),
                                status="probation", probation_ends_on=ends.isoformat())["id"]


@given(parsers.parse('"{name}" was assessed "{grade}" for {year:d}'))
def assessed(ctx, name, grade, year):
    assess(ctx["officer"], _wid(ctx, name), year, grade=grade)


# --- changes -----------------------------------------------------------------------


@when(parsers.parse('the officer transfers "{name}" to "{code}" from "{day}"'))
def transfers(ctx, name, code, day):
    ctx["response"] = ctx["officer"].post(f"/workers/{_wid(ctx, name)}/transfers", json={
        "community_code": code, "effective_on": day, "reason": "reorganisation"})


@when(parsers.parse('the officer moves "{name}" to the post "{post}" from "{day}"'))
def moves_post(ctx, name, post, day):
    ctx["response"] = ctx["officer"].post(f"/workers/{_wid(ctx, name)}/post-changes", json={
        "post": post, "effective_on": day, "reason": "elected"})


@then(parsers.parse('"{name}" is in "{code}" of "{district}"'))
def is_in(ctx, name, code, district):
    w = _worker(ctx, name)
    assert (w["community_code"], w["jurisdiction"]) == (code, district)


@then(parsers.parse('the history of "{name}" shows a "{kind}" from "{source}" to "{target}" on "{day}"'))
def history_move(ctx, name, kind, source, target, day):
    c = ctx["officer"].get(f"/workers/{_wid(ctx, name)}/changes").json()[-1]
    assert (c["kind"], c["before"]["community_code"], c["after"]["community_code"], c["effective_on"]) == (
        kind, source, target, day)


@then(parsers.parse('the history of "{name}" shows a "{kind}" dated "{day}"'))
def history_kind(ctx, name, kind, day):
    c = ctx["officer"].get(f"/workers/{_wid(ctx, name)}/changes").json()[-1]
    assert (c["kind"], c["effective_on"]) == (kind, day)


@then(parsers.parse('a "{event_type}" event of kind "{kind}" is published for "{name}"'))
def published(suite, ctx, event_type, kind, name):
    svc = service(suite)
    o = svc.infra.outbox
    with svc.db.read_session() as s:
        payloads = s.execute(select(o.c.payload).where(o.c.event_type == event_type)).scalars().all()
    events = [from_message(p) for p in payloads]
    assert any(e.worker_id == _wid(ctx, name) and e.kind == kind for e in events), events


# --- probation -----------------------------------------------------------------------


@when("the officer lists the probations ending")
def list_probations(ctx):
    ctx["response"] = ctx["officer"].get("/workers/probations")


@then(parsers.parse('the list shows "{name}" only'))
def list_shows(ctx, name):
    assert [p["worker_id"] for p in ctx["response"].json()["items"]] == [_wid(ctx, name)]


@when(parsers.parse('the officer decides "{decision}" for "{name}" today'))
def decides(ctx, decision, name):
    ctx["response"] = ctx["officer"].post(f"/workers/{_wid(ctx, name)}/probation", json={
        "decision": decision, "effective_on": TODAY.isoformat(), "reason": "the assessment of the probation"})


@when(parsers.parse('the officer extends the probation of "{name}" by {days:d} days'))
def extends(ctx, name, days):
    ends = date.fromisoformat(_worker(ctx, name)["probation_ends_on"])
    ctx["response"] = ctx["officer"].post(f"/workers/{_wid(ctx, name)}/probation", json={
        "decision": "extend", "effective_on": TODAY.isoformat(), "until": (ends + timedelta(days=days)).isoformat(),
        "reason": "needs more time"})


@then(parsers.parse('"{name}" is "{status}"'))
def has_status(ctx, name, status):
    assert _worker(ctx, name)["status"] == status


# --- step runs and corrections ---------------------------------------------------------


def _step_run(ctx, day):
    return ctx["officer"].post("/step-runs", json={"jurisdiction": "hangzhou", "effective_on": day})


@when(parsers.parse('the officer runs the step increment of "{day}"'))
def runs_step(ctx, day):
    ctx["response"] = _step_run(ctx, day)
    assert ctx["response"].status_code == 201, ctx["response"].text


@given(parsers.parse('the officer has run the step increment of "{day}"'))
def has_run_step(ctx, day):
    assert _step_run(ctx, day).status_code == 201


@then(parsers.parse('the stored run of "{day}" says {moved:d} moved and {n:d} not moved for "{outcome}"'))
def stored_run(ctx, day, moved, n, outcome):
    [run] = [r for r in ctx["officer"].get("/step-runs").json()["items"] if r["effective_on"] == day]
    stored = ctx["officer"].get(f"/step-runs/{run['id']}").json()
    assert (stored["moved"], stored["counts"][outcome], stored["not_moved_total"]) == (moved, n, n)


@when(parsers.parse('the officer runs a supplementary step run of "{day}"'))
def runs_supplementary(ctx, day):
    ctx["response"] = ctx["officer"].post("/step-runs/supplementary", json={
        "jurisdiction": "hangzhou", "effective_on": day, "reason": "assessment recorded late", "dry_run": False})


@then("nobody was moved")
def nobody_moved(ctx):
    assert (ctx["response"].json()["moved"], ctx["response"].json()["id"]) == (0, None)


@then(parsers.parse('"{name}" is at grade {grade:d} from "{day}"'))
def at_grade_from(ctx, name, grade, day):
    history = ctx["officer"].get(f"/workers/{_wid(ctx, name)}/grade-history").json()
    standing = [h for h in history if h["superseded_by"] is None]
    last = max(standing, key=lambda h: (h["effective_on"], h["id"]))
    assert (last["grade"], last["effective_on"], _worker(ctx, name)["grade"]) == (grade, day, grade)


@when(parsers.parse('the officer corrects the grade of "{name}" to {grade:d} from "{day}"'))
def corrects(ctx, name, grade, day):
    post = _worker(ctx, name)["post"]
    ctx["response"] = ctx["officer"].post(f"/workers/{_wid(ctx, name)}/grade-corrections", json={
        "post": post, "grade": grade, "effective_on": day, "reason": "grade at hire mistyped"})
