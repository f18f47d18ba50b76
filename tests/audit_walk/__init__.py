"""Recipes for the audit walk (``tests/test_audit_walk.py``, D-18): for each write
operation of a service's OpenAPI, keyed ``"METHOD /path"`` as the schema spells
it, a function that does the setup the operation needs and returns the one
request to audit, with the table it must leave an audit row for.

A new write endpoint adds its recipe to its service's ``RECIPES`` (or, if it
writes nothing by design, to ``EXEMPT`` with the reason); the walk fails,
naming it, until it does.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.api import Api


@dataclass
class Call:
    """The request a recipe wants audited: made by ``api`` (whose token's subject is the actor)."""

    api: Api
    method: str
    path: str
    entity: str
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] | None = None
    actor: str | None = None  # the expected actor, when not the world's default

    def send(self):
        kw: dict[str, Any] = {}
        if self.content is not None:
            kw["content"] = self.content
            kw["headers"] = self.headers or {}
        elif self.method != "DELETE":
            kw["json"] = self.json
        return getattr(self.api, self.method.lower())(self.path, **kw)


@dataclass
class World:
    """What the recipes of one walk share: the suite, tokens and the ids made so far."""

    suite: Any
    actor: str = "admin"
    ids: dict[str, Any] = field(default_factory=dict)

    def api(self, service: str, token: str | None = None) -> Api:
        return self.suite.api(service, token or self.suite.admin_token)


Recipe = Callable[[World], Call]


def ok(r, status=(200, 201)) -> Any:
    assert r.status_code in (status if isinstance(status, tuple) else (status,)), r.text
    return r.json()


def policy_call(w: World, service: str) -> Call:
    """A new version of the service's first policy key: the value in force, from a new date."""
    api = w.api(service)
    key = ok(api.get("/policies/keys"))[0]["key"]
    version = ok(api.get("/policies", params={"key": key}))[0]
    return Call(api, "POST", f"/policies/{key}", "policy_version",
                {"jurisdiction": version["jurisdiction"], "effective_from": "2021-02-03", "value": version["value"],
                 "note": "audit walk"})


def calendar_call(w: World, service: str) -> Call:
    return Call(w.api(service), "PUT", "/calendar/2031", "work_calendar",
                {"holidays": ["2031-01-01"], "working_days": [], "source": "audit walk"})
