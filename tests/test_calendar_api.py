"""``/calendar`` on hr and certs (D-10): seeded from the published
arrangements, read by any officer, loaded by an administrator only, each
load a new version with the earlier ones kept, bad days refused by field
with nothing written."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.auth import Principal, Role, TokenIssuer

SERVICES = ("hr", "certs")
GONGSHU = "hangzhou.gongshu"
Y2027 = {  # a year for the tests: New Year's Day on a Friday, Sunday 10 Jan worked in exchange
    "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
    "working_days": ["2027-01-10"],
    "source": "国务院办公厅关于2027年部分节假日安排的通知",
    "note": "loaded by hand",
}


def worker_token(settings) -> str:
    issuer = TokenIssuer(settings.jwt_private_key_file.read_bytes(), settings.jwt_issuer, 60)
    token, _ = issuer.issue(Principal("w-1", Role.worker, GONGSHU, worker_id=1), datetime.now(UTC))
    return token


def problem(r, status, code, field=None):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code and body["detail"] and body["detail_zh"], body
    if field is not None:
        assert body["field"] == field, body
    return body


@pytest.mark.parametrize("service", SERVICES)
def test_the_published_years_are_seeded_and_any_officer_reads_them(suite, service):
    for role in ("hr_officer", "training_coordinator", "cert_officer"):
        officer = suite.api(service, suite.create_user(f"{role}-{service}", role, GONGSHU))
        years = officer.get("/calendar")
        assert years.status_code == 200, years.text
        assert [y["year"] for y in years.json()] == list(range(2004, 2027))
    y2025 = next(y for y in years.json() if y["year"] == 2025)
    assert (y2025["holidays"], y2025["working_days"], y2025["versions"]) == (28, 5, 1)
    assert (y2025["clause"], y2025["created_by"]) == ("D-10", "seed") and "国务院办公厅" in y2025["source"]
    one = officer.get("/calendar/2025").json()
    assert one["year"] == 2025 and one["earlier"] == []
    assert "2025-10-08" in one["in_force"]["holidays"] and "2025-09-28" in one["in_force"]["working_days"]
    problem(officer.get("/calendar/2031"), 404, "not_found", "year")
    problem(suite.api(service, worker_token(suite.settings)).get("/calendar"), 403, "role_not_allowed")


@pytest.mark.parametrize("service", SERVICES)
def test_only_an_administrator_loads_a_year_and_each_load_is_kept(suite, service):
    officer = suite.api(service, suite.create_user(f"hr-{service}", "hr_officer", "hangzhou"))
    admin = suite.api(service, suite.admin_token)
    problem(officer.put("/calendar/2027", json=Y2027), 403, "role_not_allowed")
    r = admin.put("/calendar/2027", json=Y2027)
    assert r.status_code == 200, r.text
    first = r.json()["in_force"]
    assert (first["created_by"], first["clause"], first["note"], first["source"]) == (
        "admin", "D-10", "loaded by hand", Y2027["source"])
    assert first["holidays"] == Y2027["holidays"] and first["working_days"] == ["2027-01-10"]
    again = admin.put("/calendar/2027", json=Y2027 | {"holidays": ["2027-01-01"], "note": None}).json()
    assert again["in_force"]["holidays"] == ["2027-01-01"] and again["earlier"] == [first]
    assert officer.get("/calendar/2027").json() == again
    listed = officer.get("/calendar").json()
    assert listed[-1]["year"] == 2027 and listed[-1]["versions"] == 2 and listed[-1]["holidays"] == 1
    # a seeded year is corrected the same way, its seed kept as history
    fixed = admin.put("/calendar/2026", json={"holidays": ["2026-01-01"], "source": "correction"}).json()
    assert [v["created_by"] for v in [fixed["in_force"], *fixed["earlier"]]] == ["admin", "seed"]


@pytest.mark.parametrize("body, status, code, field", [
    (Y2027 | {"holidays": ["2027-01-01", "2028-01-01"]}, 422, "date_outside_year", "holidays[1]"),
    (Y2027 | {"holidays": ["2027-01-01", "2027-01-01"]}, 422, "duplicate_date", "holidays[1]"),
    (Y2027 | {"working_days": ["2027-01-11"]}, 422, "working_day_not_weekend", "working_days[0]"),
    (Y2027 | {"working_days": ["2027-01-02"]}, 422, "day_both_holiday_and_working", "working_days[0]"),
    (Y2027 | {"working_days": ["2026-12-27"]}, 422, "date_outside_year", "working_days[0]"),
    (Y2027 | {"holidays": ["2027-02-30"]}, 400, "validation_failed", "holidays[0]"),
    ({"holidays": []}, 400, "validation_failed", "source"),
    (Y2027 | {"source": "  "}, 400, "validation_failed", "source"),
    (Y2027 | {"extra": 1}, 400, "validation_failed", None),
])
def test_a_year_that_does_not_hold_is_refused_and_nothing_is_written(suite, body, status, code, field):
    admin = suite.api("hr", suite.admin_token)
    body = problem(admin.put("/calendar/2027", json=body), status, code, field)
    if status == 422:
        assert body["clause"] == "D-10"
    problem(admin.get("/calendar/2027"), 404, "not_found")


def test_a_year_out_of_range_is_refused(suite):
    admin = suite.api("certs", suite.admin_token)
    problem(admin.put("/calendar/1899", json={"holidays": [], "source": "x"}), 422, "invalid_year", "year")


def test_the_calendar_is_in_the_openapi_document(suite):
    for service in SERVICES:
        paths = getattr(suite, service).get("/schema/openapi.json").json()["paths"]
        assert set(paths["/calendar"]) >= {"get"}
        assert set(paths["/calendar/{year}"]) >= {"get", "put"}


@pytest.mark.postgres
def test_seeding_and_loading_on_postgresql(pg_suite):
    for service in SERVICES:
        admin = pg_suite.api(service, pg_suite.admin_token)
        assert [y["year"] for y in admin.get("/calendar").json()] == list(range(2004, 2027))
        assert admin.put("/calendar/2027", json=Y2027).status_code == 200
        assert admin.put("/calendar/2027", json=Y2027 | {"working_days": []}).status_code == 200
        y2027 = admin.get("/calendar/2027").json()
        assert y2027["in_force"]["working_days"] == [] and len(y2027["earlier"]) == 1
        assert [y["versions"] for y in admin.get("/calendar").json()][-2:] == [1, 2]
