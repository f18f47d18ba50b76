"""D-17: a community secretary writes nothing. Every write route of every
service, walked from its OpenAPI document, answers 403 to a secretary's token
(before its body is read: an empty body is enough)."""
from __future__ import annotations

import re

import pytest

from tests.hr.org_helpers import secretary_token

WRITES = ("post", "put", "patch", "delete")
OWN_ACCOUNT = {("hr", "post", "/auth/login"), ("hr", "post", "/auth/password")}
"""Signing in, and changing one's own password (D-18): not a write to any record."""


def write_routes(api, service: str) -> list[tuple[str, str]]:
    doc = api.get("/schema/openapi.json").json()
    found = []
    for path, item in doc["paths"].items():
        for method in WRITES:
            if method in item and (service, method, path) not in OWN_ACCOUNT and not item[method].get("security") == []:
                found.append((method, re.sub(r"\{[^}]+\}", "1", path)))
    return sorted(found)


@pytest.mark.clause("D-17")
@pytest.mark.parametrize("service", ["hr", "training", "certs"])
def test_a_secretary_is_refused_every_write(suite, service):
    token = secretary_token(suite, "GS-001", "hangzhou.gongshu")
    api = suite.api(service, token)
    routes = write_routes(getattr(suite, service), service)
    assert len(routes) > 5
    let_through = []
    for method, path in routes:
        r = getattr(api, method)(path) if method == "delete" else getattr(api, method)(path, json={})
        if r.status_code != 403:
            let_through.append((method, path, r.status_code, r.text[:120]))
    assert let_through == [], "\n".join(map(str, let_through))
