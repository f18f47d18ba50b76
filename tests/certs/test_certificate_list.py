"""``GET /certificates``: each certificate with its registration status, the
same summary ``GET /certificates/{id}`` gives, read for the whole page in a
fixed number of queries."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from certs_service import store
from tests.certs.support import ASSISTANT, GONGSHU, SOCIAL_WORKER, Certs


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def listed(certs, **params) -> dict[int, dict]:
    r = certs.officer().get("/certificates", params=params)
    assert r.status_code == 200, r.text
    return {c["id"]: c for c in r.json()["items"]}


def test_the_list_shows_each_certificates_registration(certs):
    certs.worker("王芳"), certs.worker("李娜"), certs.worker("张伟")
    active = certs.certified("王芳", ASSISTANT, "2025-09-01")
    certs.registered("王芳", "2025-10-01")
    certs.cpd("王芳", "16", "2026-01-10")
    fresh = certs.certified("李娜", SOCIAL_WORKER, "2026-06-01")
    missed = certs.certified("张伟", ASSISTANT, "2020-06-01")
    page = listed(certs, as_of="2026-11-01")
    reg = page[active]["registration"]
    assert reg is not None
    assert (reg["state"], reg["cycle"], reg["registered_on"], reg["valid_until"]) == (
        "active", 1, "2025-10-01", "2028-09-30")
    assert (reg["cpd_counted_hours"], reg["cpd_required_hours"]) == ("16.00", "72.00")
    assert page[fresh]["registration"]["state"] == "unregistered"
    assert page[fresh]["registration"]["first_registration_deadline"] == "2027-06-01"
    assert page[missed]["registration"]["state"] == "first_registration_missed"
    for cid, row in page.items():  # the same summary as the certificate's own page
        one = certs.officer().get(f"/certificates/{cid}", params={"as_of": "2026-11-01"}).json()
        assert row == one
    assert listed(certs, as_of="2028-07-01")[active]["registration"]["state"] == "due"
    assert listed(certs)[active]["registration"]["as_of"]  # today by default


@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries_for_a_page(certs, limit: int) -> int:
    from datetime import date

    svc = certs.svc
    with svc.db.read_session() as s:
        rows, _ = store.list_certificates(s, GONGSHU, worker_id=None, level=None, limit=limit, offset=0)
        assert len(rows) == limit
        with counting(svc.db.engine) as statements:
            store.statuses_of(s, svc, rows, date(2026, 11, 1))
        return len(statements)


def test_the_page_is_read_without_a_query_per_row(certs):
    for i in range(4):
        name = f"持证{i}"
        certs.worker(name)
        certs.certified(name, ASSISTANT, "2025-09-01")
        certs.registered(name, "2025-10-01")
    assert queries_for_a_page(certs, 1) == queries_for_a_page(certs, 4) <= 2
