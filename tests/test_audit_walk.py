"""D-18, "Done when": every write endpoint of every service leaves an audit row.

The walk reads each service's OpenAPI, lists every POST, PUT, PATCH and DELETE
operation, and runs its recipe (``tests/audit_walk/<service>.py``): the setup
the operation needs, then the one request, which must succeed and leave, in
that service's ``audit_log``, a row for the expected table by the caller. An
operation with no recipe (and not exempt, with its reason) fails the walk by
name, so a new endpoint cannot go unaudited.
"""
from __future__ import annotations

import importlib

import pytest
from sqlalchemy import func, select

from tests.audit_walk import World

WRITES = ("post", "put", "patch", "delete")
SERVICES = ("hr", "training", "certs")


def write_operations(app) -> list[str]:
    paths = app.openapi_schema.to_schema()["paths"]
    return sorted(f"{m.upper()} {p}" for p, item in paths.items() for m in WRITES if m in item)


def audit_since(svc, after: int) -> list:
    t = svc.infra.audit
    with svc.db.read_session() as s:
        return list(s.execute(select(t).where(t.c.id > after).order_by(t.c.id)))


def last_id(svc) -> int:
    t = svc.infra.audit
    with svc.db.read_session() as s:
        return s.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one()


def unwalked(app, service: str) -> list[str]:
    """The write operations of ``app`` with no recipe and not exempt, and the recipes of no operation."""
    recipes = importlib.import_module(f"tests.audit_walk.{service}")
    ops = write_operations(app)
    return ([f"{op}: no recipe in tests/audit_walk/{service}.py (or EXEMPT with a reason)"
             for op in ops if op not in recipes.RECIPES and op not in recipes.EXEMPT]
            + [f"{op}: a recipe for an operation the service does not have" for op in recipes.RECIPES
               if op not in ops])


def walk(suite, service: str) -> list[str]:
    """Run every recipe of ``service`` in order; the problems found, one line each."""
    recipes = importlib.import_module(f"tests.audit_walk.{service}")
    api = getattr(suite, service)
    ops = write_operations(api.client.app)
    problems: list[str] = []
    svc = api.client.app.state.service
    world = World(suite)
    for op, recipe in recipes.RECIPES.items():
        if op not in ops:
            continue
        try:
            call = recipe(world)
        except AssertionError as exc:
            problems.append(f"{op}: its setup failed: {str(exc)[:300]}")
            continue
        assert f"{call.method} " == op.split(" ")[0] + " ", f"{op}: the recipe calls {call.method} {call.path}"
        mark = last_id(svc)
        r = call.send()
        if r.status_code >= 300:
            problems.append(f"{op}: {r.status_code} {r.text[:300]}")
            continue
        rows = audit_since(svc, mark)
        actor = call.actor or world.actor
        mine = [row for row in rows if row.entity == call.entity and (actor == "*" or row.actor == actor)]
        if not mine:
            problems.append(f"{op}: no audit row for {call.entity} by {actor}; rows: "
                            + ", ".join(sorted({f'{x.entity}/{x.action}/{x.actor}' for x in rows})))
        elif any(row.request != f"{call.method} {call.path}" for row in mine):
            problems.append(f"{op}: audit rows without the request line {call.method} {call.path}")
    return problems


@pytest.mark.parametrize("service", SERVICES)
def test_every_write_operation_has_a_recipe(settings, service):
    """The OpenAPI of the app against the recipes (nothing is run)."""
    from deploy.topology import module

    problems = unwalked(module(service, "app").create_app(settings), service)
    assert not problems, "\n".join(problems)


def test_a_login_is_in_the_login_log_not_the_audit_log(suite):
    """``POST /auth/login`` is exempt: its attempt goes to ``login_attempt``, itself an
    append-only log; only a failure's count on the account is a change to audit."""
    from hr_service.accounts.tables import LoginAttempt
    from tests.conftest import ADMIN_PASSWORD

    svc = suite.hr.client.app.state.service
    attempts = select(func.count()).select_from(LoginAttempt)
    with svc.db.read_session() as s:
        before = s.execute(attempts).scalar_one()
    mark = last_id(svc)
    assert suite.hr.post("/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}).status_code == 200
    assert audit_since(svc, mark) == []
    assert suite.hr.post("/auth/login", json={"username": "admin", "password": "wrong-pass-1"}).status_code == 401
    assert [(r.entity, r.action, r.changes) for r in audit_since(svc, mark)] == [
        ("user_account", "update", {"failed_logins": [0, 1]})]
    with svc.db.read_session() as s:
        assert s.execute(attempts).scalar_one() == before + 2


@pytest.mark.parametrize("service", SERVICES)
def test_every_write_operation_leaves_an_audit_row(suite, service):
    problems = walk(suite, service)
    assert not problems, "\n".join(problems)
