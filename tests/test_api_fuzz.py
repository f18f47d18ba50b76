"""Each service against its own OpenAPI document: schemathesis generates
requests that fit the schema and requests that break it, and every answer
must be no server error, a declared status, a declared content type and a
body the schema describes (docs/architecture.md, "Inputs and the OpenAPI").

Bounded and reproducible: a fixed number of examples per operation and mode,
derandomised, no example database. ``WORKFORCE_FUZZ_EXAMPLES`` raises the
count for a longer local run.
"""
from __future__ import annotations

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.hr.helpers import GONGSHU, hire

EXAMPLES = int(os.environ.get("WORKFORCE_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OTHER_CHECKS = [c for c in schemathesis.checks.CHECKS.get_all() if c not in CHECKS]
WORKER_ROUTES = "/me"  # what a worker calls with their own token


def _token_for(path: str, admin: str, worker: str) -> str:
    return worker if path.startswith(WORKER_ROUTES) else admin


def _fuzz_operation(operation, tokens: tuple[str, str], mode: GenerationMode) -> list[str]:
    """Run one operation's examples; each failing check is one line."""
    failures: list[str] = []
    token = _token_for(operation.path, *tokens)

    @hypothesis_settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                         suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        try:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS,
                                   excluded_checks=OTHER_CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # every failing check, not only the first
            failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: "
                            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}\n{exc}"[:1500])

    try:
        run()
    except Unsatisfiable:  # nothing in this operation can be made invalid
        pass
    return failures


@pytest.mark.parametrize("service", ["hr", "training", "certs"])
def test_every_operation_keeps_its_contract(suite, service):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/communities", json={"code": "GS-001", "name": "GS-001", "district": GONGSHU,
                                         "households": 4000, "party_members": 0, "effective_from": "2000-01-01"})
    assert r.status_code == 201, r.text
    worker = hire(admin)  # one record, so some generated ids find something
    worker_token = suite.create_user("fuzz-worker", "worker", GONGSHU, worker_id=worker["id"])
    app = getattr(suite, service).client.app
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    started = time.monotonic()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _fuzz_operation(operation, (suite.admin_token, worker_token), mode)
    elapsed = time.monotonic() - started
    print(f"{service}: {len(operations)} operations in {elapsed:.1f}s, {len(failures)} failures")
    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(failures)
