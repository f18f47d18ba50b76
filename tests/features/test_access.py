"""Steps for features/foundation/access.feature (D-8), through the HTTP API."""
from __future__ import annotations

import itertools

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("foundation/access.feature")

_ids = itertools.count(1)


def id_number(n: int) -> str:
    """A well-formed 18-digit resident ID number with a valid check digit."""
    body = f"330105{1985 + n % 10}0101{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


@pytest.fixture
def ctx(suite):
    return {"officers": {}, "workers": {}, "tokens": {}, "response": None}


@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    ctx["officers"][jurisdiction] = suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction)


@given(parsers.parse('a training coordinator of "{jurisdiction}"'))
def coordinator(suite, ctx, jurisdiction):
    ctx["coordinator"] = suite.create_user(f"tc-{jurisdiction}", "training_coordinator", jurisdiction)


@given(parsers.parse('a worker "{name}" on the rolls of "{jurisdiction}" with a login'))
def worker_with_login(suite, ctx, name, jurisdiction):
    officer = suite.api("hr", ctx["officers"][jurisdiction])
    r = officer.post("/workers", json={
        "name": name, "id_number": id_number(next(_ids)), "jurisdiction": jurisdiction,
        "post": "委员", "grade": 1, "hired_on": "2025-03-01",
    })
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    ctx["workers"][name] = wid
    ctx["tokens"][name] = suite.create_user(f"w{wid}", "worker", jurisdiction, worker_id=wid)


@when(parsers.parse('"{who}" asks for the record of "{whom}"'))
def worker_asks(suite, ctx, who, whom):
    ctx["response"] = suite.api("hr", ctx["tokens"][who]).get(f"/workers/{ctx['workers'][whom]}")


@when(parsers.parse('the officer of "{jurisdiction}" asks for the record of "{whom}"'))
def officer_asks(suite, ctx, jurisdiction, whom):
    ctx["response"] = suite.api("hr", ctx["officers"][jurisdiction]).get(f"/workers/{ctx['workers'][whom]}")


@when(parsers.parse('"{who}" lists the workers'))
def worker_lists(suite, ctx, who):
    ctx["response"] = suite.api("hr", ctx["tokens"][who]).get("/workers")


def _add_worker(suite, token, jurisdiction):
    return suite.api("hr", token).post("/workers", json={
        "name": "新人", "id_number": id_number(next(_ids)), "jurisdiction": jurisdiction,
        "post": "委员", "grade": 1, "hired_on": "2025-03-01",
    })


@when(parsers.parse('the officer of "{mine}" adds a worker to "{jurisdiction}"'))
def officer_adds(suite, ctx, mine, jurisdiction):
    ctx["response"] = _add_worker(suite, ctx["officers"][mine], jurisdiction)


@when(parsers.parse('the training coordinator adds a worker to "{jurisdiction}"'))
def coordinator_adds(suite, ctx, jurisdiction):
    ctx["response"] = _add_worker(suite, ctx["coordinator"], jurisdiction)


@when(parsers.parse('"{who}" calls the health-checked policy list of the training service'))
def worker_calls_training(suite, ctx, who):
    ctx["response"] = suite.api("training", ctx["tokens"][who]).get("/policies")


@then(parsers.parse('the record shown is that of "{name}"'))
def record_of(ctx, name):
    assert ctx["response"].json()["id"] == ctx["workers"][name]


@then(parsers.parse('the list holds only "{name}"'))
def list_only(ctx, name):
    body = ctx["response"].json()
    assert [w["id"] for w in body["items"]] == [ctx["workers"][name]] and body["total"] == 1
