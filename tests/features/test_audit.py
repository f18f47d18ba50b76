"""Steps for features/foundation/audit.feature (D-18), over the HTTP APIs."""
from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hr.communities import register_defaults
from tests.hr.helpers import hire

scenarios("foundation/audit.feature")


@pytest.fixture
def ctx(suite):
    return {"response": None}


def entries(api, worker_id: int) -> list[dict]:
    r = api.get("/audit", params={"entity": "worker", "entity_key": str(worker_id)})
    assert r.status_code == 200, r.text
    return r.json()["items"]


@given(parsers.parse('a worker hired in "{district}" by the administrator'))
def hired(suite, ctx, district):
    register_defaults(suite)
    ctx["worker"] = hire(suite.hr.as_(suite.admin_token), jurisdiction=district)["id"]


@given(parsers.parse('an HR officer of "{district}" who transfers them to community "{code}"'))
def transferred(suite, ctx, district, code):
    ctx["officer"] = suite.hr.as_(suite.create_user("hr-audit", "hr_officer", district))
    transfer(ctx, code)
    assert ctx["response"].status_code == 201, ctx["response"].text


@when(parsers.parse('the officer transfers the worker to community "{code}"'))
def transfer(ctx, code):
    ctx["response"] = ctx["officer"].post(f"/workers/{ctx['worker']}/transfers", json={
        "community_code": code, "effective_on": "2025-09-01", "reason": "reorganisation"})


@when(parsers.parse('the officer reads the audit of the worker on "{service}"'))
def officer_reads(ctx, service):
    ctx["entries"] = entries(ctx["officer"], ctx["worker"])


@then(parsers.parse('the newest entry is an update by the officer from "{address}" with {field} "{before}" '
                    'then "{after}"'))
def newest_update(ctx, address, field, before, after):
    e = ctx["entries"][0]
    assert (e["action"], e["actor"], e["role"], e["address"]) == ("update", "hr-audit", "hr_officer", address)
    assert e["changes"][field] == [before, after] and e["request"].endswith("/transfers")


@then(parsers.parse('the one before it is the insert by "{actor}"'))
def insert_before(ctx, actor):
    e = ctx["entries"][1]
    assert (e["action"], e["actor"]) == ("insert", actor)


@then(parsers.parse('the audit of the worker on "{service}" still has {n:d} entries'))
def still_has(ctx, service, n):
    assert len(entries(ctx["officer"], ctx["worker"])) == n


@when(parsers.parse('an HR officer of "{district}" reads the audit of the worker on "{service}"'))
def other_reads(suite, ctx, district, service):
    api = suite.api(service, suite.create_user("hr-other", "hr_officer", district))
    ctx["entries"] = entries(api, ctx["worker"])


@then(parsers.parse("they see {n:d} entries"))
def they_see(ctx, n):
    assert len(ctx["entries"]) == n


@then(parsers.parse('a worker reading the audit on "{service}" is answered {status:d}'))
def worker_refused(suite, ctx, service, status):
    token = suite.create_user("w-audit", "worker", "hangzhou.gongshu", worker_id=ctx["worker"])
    assert suite.api(service, token).get("/audit").status_code == status
