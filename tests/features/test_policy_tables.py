"""Steps for features/foundation/policy_tables.feature (S3-5, S0-1), through the HTTP API."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("foundation/policy_tables.feature")

CLAUSES = Path(__file__).resolve().parents[3] / "shared" / "policy" / "CLAUSES.md"
CLAUSE_ID = re.compile(r"^(S\d-\d+[a-z]?|D-\d+)$")


def known_clauses() -> set[str] | None:
    if not CLAUSES.exists():  # the policy text sits beside the checkout
        return None
    return set(re.findall(r"^\| (S\d-\d+[a-z]?|D-\d+) \|", CLAUSES.read_text("utf-8"), re.M))


@pytest.fixture
def ctx(suite):
    return {"response": None}


def staffing(households: int) -> dict:
    return {"households_per_worker": households, "party_members_threshold": 100, "party_posts": 2, "cap": 15}


@given(parsers.parse('the administrator of "{city}"'))
def administrator(suite, ctx, city):
    ctx["admin"] = suite.api("hr", suite.admin_token)


@when(parsers.parse('the administrator sets {n:d} households per worker for "{j}" from "{day}"'))
@given(parsers.parse('the administrator set {n:d} households per worker for "{j}" from "{day}"'))
def set_staffing(ctx, n, j, day):
    ctx["response"] = ctx["admin"].post("/policies/staffing", json={
        "jurisdiction": j, "effective_from": day, "value": staffing(n)})


def in_force(ctx, j, day):
    r = ctx["admin"].get("/policies/staffing/in-force", params={"jurisdiction": j, "as_of": day})
    assert r.status_code == 200, r.text
    return r.json()


@when(parsers.parse('the staffing rule in force for "{j}" on "{day}" is asked for'))
def ask(ctx, j, day):
    ctx["version"] = in_force(ctx, j, day)


@then(parsers.parse('it is the city\'s version with {n:d} households per worker, citing "{clause}"'))
def city_version(ctx, n, clause):
    v = ctx["version"]
    assert (v["jurisdiction"], v["value"]["households_per_worker"], v["clause"]) == ("hangzhou", n, clause)


@then(parsers.parse('the staffing rule in force for "{j}" on "{day}" has {n:d} households per worker'))
def has(ctx, j, day, n):
    assert in_force(ctx, j, day)["value"]["households_per_worker"] == n


@then(parsers.parse('every policy key of "{a}", "{b}" and "{c}" cites a clause of the policy'))
def keys_cite(suite, a, b, c):
    known = known_clauses()
    for svc in (a, b, c):
        keys = suite.api(svc, suite.admin_token).get("/policies/keys").json()
        assert keys, svc
        for k in keys:
            assert CLAUSE_ID.match(k["clause"]), (svc, k)
            if known is not None:
                assert k["clause"] in known, (svc, k)


@then("every seeded version cites a clause of the policy")
def versions_cite(suite):
    known = known_clauses()
    for svc in ("hr", "training", "certs"):
        for v in suite.api(svc, suite.admin_token).get("/policies").json():
            assert CLAUSE_ID.match(v["clause"]), (svc, v["key"], v["clause"])
            if known is not None:
                assert v["clause"] in known, (svc, v["key"], v["clause"])
