"""Steps for features/hr/accounts/accounts.feature (D-18), over the public HTTP API."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hr.communities import register_defaults
from tests.hr.helpers import hire, service

scenarios("hr/accounts/accounts.feature")

PASSWORD = "password-123"
SERVICES = ("hr", "training", "certs")


@pytest.fixture
def ctx(suite):
    return {"tokens": {}, "response": None, "ids": {}}


def login(suite, username, password):
    return suite.hr.post("/auth/login", json={"username": username, "password": password})


def codes_on_every_service(suite, token):
    return {s: suite.api(s, token).get("/policies/keys") for s in SERVICES}


@given(parsers.parse('an HR officer "{username}" of "{jurisdiction}" made by the administrator'))
def made(suite, ctx, username, jurisdiction):
    r = suite.hr.as_(suite.admin_token).post("/users", json={"username": username, "password": PASSWORD,
                                                             "role": "hr_officer", "jurisdiction": jurisdiction})
    assert r.status_code == 201, r.text
    ctx["ids"][username] = r.json()["id"]


@given(parsers.parse('"{username}" is logged in'))
def logged_in(suite, ctx, username):
    ctx["tokens"][username] = suite.login(username, PASSWORD)


@when(parsers.parse('the administrator deactivates "{username}" because "{reason}"'))
def deactivates(suite, ctx, username, reason):
    r = suite.hr.as_(suite.admin_token).post(f"/users/{ctx['ids'][username]}/deactivate", json={"reason": reason})
    assert r.status_code == 200, r.text


@when(parsers.parse('the administrator reactivates "{username}"'))
def reactivates(suite, ctx, username):
    assert suite.hr.as_(suite.admin_token).post(f"/users/{ctx['ids'][username]}/reactivate").status_code == 200


@then(parsers.parse('the token of "{username}" is refused as "{code}" by hr, training and certs'))
def token_refused(suite, ctx, username, code):
    answers = codes_on_every_service(suite, ctx["tokens"][username])
    assert {s: (r.status_code, r.json()["code"]) for s, r in answers.items()} == {s: (401, code) for s in SERVICES}


@then(parsers.parse('"{username}" cannot log in with their password'))
def cannot_log_in(suite, username):
    r = login(suite, username, PASSWORD)
    assert r.status_code == 401 and r.json()["code"] == "bad_credentials"


@then(parsers.parse('"{username}" logs in and is served by hr, training and certs'))
def served(suite, username):
    served_with(suite, username, PASSWORD)


@then(parsers.parse('"{username}" logs in with "{password}" and is served by hr, training and certs'))
def served_with(suite, username, password):
    token = suite.login(username, password)
    assert {s: r.status_code for s, r in codes_on_every_service(suite, token).items()} == dict.fromkeys(SERVICES, 200)


@when(parsers.parse('the administrator sets a one-time password for "{username}"'))
def one_time(suite, ctx, username):
    r = suite.hr.as_(suite.admin_token).post(f"/users/{ctx['ids'][username]}/one-time-password")
    assert r.status_code == 200, r.text
    ctx["otp"] = r.json()["one_time_password"]


@when(parsers.parse('"{username}" logs in with the one-time password'))
def logs_in_once(suite, ctx, username):
    ctx["response"] = login(suite, username, ctx["otp"])


@then("the login says the password must be changed")
def must_change(ctx):
    assert ctx["response"].status_code == 200 and ctx["response"].json()["must_change_password"] is True


@then(parsers.parse('that token is refused as "{code}" by hr, training and certs'))
def limited(suite, ctx, code):
    answers = codes_on_every_service(suite, ctx["response"].json()["access_token"])
    assert {s: (r.status_code, r.json()["code"]) for s, r in answers.items()} == {s: (403, code) for s in SERVICES}


@when(parsers.parse('"{username}" changes the one-time password to "{password}"'))
def changes_once(suite, ctx, username, password):
    r = suite.hr.as_(ctx["response"].json()["access_token"]).post(
        "/auth/password", json={"current_password": ctx["otp"], "new_password": password})
    assert r.status_code == 200, r.text


@when(parsers.parse('"{username}" changes their password to "{password}"'))
def changes(suite, ctx, username, password):
    ctx["response"] = suite.hr.as_(ctx["tokens"][username]).post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": password})


@then(parsers.parse('the change is refused as "{code}" on field "{field}"'))
def refused_on(ctx, code, field):
    r = ctx["response"]
    assert r.status_code == 422 and r.json()["code"] == code and r.json()["field"] == field, r.text
    assert r.json()["clause"] == "D-18"


@given(parsers.parse('{n:d} workers hired in "{jurisdiction}"'))
def workers_hired(suite, ctx, n, jurisdiction):
    register_defaults(suite)
    admin = suite.hr.as_(suite.admin_token)
    ctx["workers"] = {w["id"]: w for w in (hire(admin, name=f"工作者{i}", jurisdiction=jurisdiction)
                                           for i in range(n))}


@when(parsers.parse('"{username}" issues one-time passwords for the workers of "{jurisdiction}" without a password'))
def issues(suite, ctx, username, jurisdiction):
    ctx["issuer"] = suite.hr.as_(suite.login(username, PASSWORD))
    r = ctx["issuer"].post("/users/worker-accounts", json={"jurisdiction": jurisdiction,
                                                           "only_without_password": True})
    assert r.status_code == 200, r.text
    ctx["jurisdiction"], ctx["slips"] = jurisdiction, r.json()["items"]


@then(parsers.parse("{n:d} slips are answered, each naming the worker's ID number as the username"))
def slips(suite, ctx, n):
    assert len(ctx["slips"]) == n
    admin = suite.hr.as_(suite.admin_token)
    for slip in ctx["slips"]:
        assert admin.get(f"/workers/{slip['worker_id']}").json()["id_number"] == slip["username"]


@then("each worker logs in with their slip and must change the password")
def each_logs_in(suite, ctx):
    for slip in ctx["slips"]:
        r = login(suite, slip["username"], slip["one_time_password"])
        assert r.status_code == 200 and r.json()["must_change_password"] is True
        assert r.json()["worker_id"] == slip["worker_id"]


@then(parsers.parse("issuing again for the workers without a password answers {n:d} slips"))
def again(ctx, n):
    r = ctx["issuer"].post("/users/worker-accounts", json={"jurisdiction": ctx["jurisdiction"]})
    assert r.status_code == 200 and r.json()["count"] == n


@given("the clock stands still")
def still(suite, ctx):
    ctx["at"] = datetime.now(UTC)
    service(suite).extra["clock"] = lambda: ctx["at"]


@when(parsers.parse('the clock moves on {minutes:d} minutes and {seconds:d} second'))
def moves(ctx, minutes, seconds):
    ctx["at"] += timedelta(minutes=minutes, seconds=seconds)


@when(parsers.parse('someone tries {n:d} wrong passwords for "{username}"'))
def tries(suite, ctx, n, username):
    ctx["answers"] = [login(suite, username, "wrong-pass-1") for _ in range(n)]


@then(parsers.parse('the first {n:d} are refused as "{code}"'))
def first(ctx, n, code):
    assert [(r.status_code, r.json()["code"]) for r in ctx["answers"][:n]] == [(401, code)] * n
    ctx["seen"] = n


@then(parsers.parse('the next {n:d} are refused as "{code}" with a growing Retry-After'))
def next_growing(ctx, n, code):
    part = ctx["answers"][ctx["seen"]:ctx["seen"] + n]
    assert [(r.status_code, r.json()["code"]) for r in part] == [(429, code)] * n
    waits = [int(r.headers["retry-after"]) for r in part]
    assert waits == sorted(waits) and waits[0] < waits[-1]
    ctx["seen"] += n


@then(parsers.parse('the rest are refused as "{code}" with a Retry-After of {seconds:d} seconds'))
def rest(ctx, code, seconds):
    part = ctx["answers"][ctx["seen"]:]
    assert part and all(r.status_code == 429 and r.json()["code"] == code for r in part)
    assert {int(r.headers["retry-after"]) for r in part} == {seconds}


@then(parsers.parse('"{username}" is refused as "{code}" with the right password'))
def refused_right(suite, username, code):
    r = login(suite, username, PASSWORD)
    assert r.status_code == 429 and r.json()["code"] == code and int(r.headers["retry-after"]) > 0


@then(parsers.parse('the attempt log holds {failed:d} failed attempts and {ok:d} success for "{username}"'))
def attempt_log(suite, ctx, failed, ok, username):
    r = suite.hr.as_(suite.admin_token).get(f"/users/{ctx['ids'][username]}/login-attempts", params={"limit": 500})
    outcomes = [a["outcome"] for a in r.json()["items"]]
    assert outcomes.count("ok") == ok and len(outcomes) - ok == failed
