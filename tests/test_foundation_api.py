"""Auth, access rules (D-8), problem details and the policy tables, over HTTP."""
from __future__ import annotations

import pytest

CITY = "hangzhou"
GONGSHU = "hangzhou.gongshu"
XIHU = "hangzhou.xihu"


def new_worker(api, jurisdiction=GONGSHU, id_number="330105199001011233", name="王芳"):
    r = api.post("/workers", json={
        "name": name, "id_number": id_number, "jurisdiction": jurisdiction,
        "post": "委员", "grade": 3, "hired_on": "2024-03-01",
    })
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_health_on_every_service(suite):
    for svc in ("hr", "training", "certs"):
        r = suite.api(svc, None).get("/health")
        assert r.status_code == 200
        assert r.json() == {"service": svc, "status": "ok", "database": "ok", "broker": "ok"}


def test_login_token_guarded_route(suite):
    token = suite.create_user("officer", "hr_officer", GONGSHU)
    hr = suite.api("hr", token)
    wid = new_worker(hr)
    r = hr.get(f"/workers/{wid}")
    assert r.status_code == 200 and r.json()["name"] == "王芳"
    # the same token is verified by the other services with the public key only
    assert suite.api("training", token).get("/policies").status_code == 200


def test_no_token_or_tampered_token_is_401(suite):
    assert suite.hr.get("/workers").status_code == 401
    token = suite.admin_token
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    r = suite.api("certs", tampered).get("/policies")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "not_authenticated"


def test_wrong_password_is_401_problem(suite):
    r = suite.hr.post("/auth/login", json={"username": "admin", "password": "nope"})
    assert r.status_code == 401
    assert r.json()["code"] == "bad_credentials"
    assert r.json()["detail_zh"]


def test_wrong_role_is_403(suite):
    token = suite.create_user("coord", "training_coordinator", GONGSHU)
    r = suite.api("hr", token).post("/workers", json={
        "name": "李", "id_number": "330105199001011233", "jurisdiction": GONGSHU,
        "post": "委员", "grade": 1, "hired_on": "2024-03-01",
    })
    assert r.status_code == 403
    body = r.json()
    assert body["code"] == "role_not_allowed" and body["clause"] == "D-8"


def test_another_workers_record_is_404(suite):
    officer = suite.api("hr", suite.create_user("officer", "hr_officer", GONGSHU))
    mine = new_worker(officer, id_number="330105199001011233", name="甲")
    other = new_worker(officer, id_number="330105199202022342", name="乙")
    me = suite.api("hr", suite.create_user("w1", "worker", GONGSHU, worker_id=mine))
    assert me.get(f"/workers/{mine}").status_code == 200
    r = me.get(f"/workers/{other}")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    # and a record that does not exist answers the same way
    assert me.get("/workers/999999").json()["code"] == "not_found"
    assert me.get("/me").json()["id"] == mine
    listing = me.get("/workers").json()
    assert [w["id"] for w in listing["items"]] == [mine] and listing["total"] == 1


def test_officer_of_another_district(suite):
    gongshu = suite.api("hr", suite.create_user("g", "hr_officer", GONGSHU))
    xihu = suite.api("hr", suite.create_user("x", "hr_officer", XIHU))
    wid = new_worker(gongshu)
    assert xihu.get(f"/workers/{wid}").status_code == 404
    r = xihu.post("/workers", json={
        "name": "丙", "id_number": "330105199303033454", "jurisdiction": GONGSHU,
        "post": "委员", "grade": 1, "hired_on": "2024-03-01",
    })
    assert r.status_code == 403
    assert r.json()["code"] == "outside_jurisdiction" and r.json()["field"] == "jurisdiction"
    # the city sees both districts
    assert suite.hr.as_(suite.admin_token).get(f"/workers/{wid}").status_code == 200


def test_malformed_json_is_400(suite):
    r = suite.hr.as_(suite.admin_token).post(
        "/workers", content=b'{"name": "x",', headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "malformed_json" and r.json()["field"] == "body"


@pytest.mark.parametrize("field,value", [("grade", "three"), ("hired_on", "2024-13-01"), ("name", 5)])
def test_wrong_type_is_400_naming_field(suite, field, value):
    body = {"name": "丁", "id_number": "330105199001011233", "jurisdiction": GONGSHU,
            "post": "委员", "grade": 3, "hired_on": "2024-03-01", field: value}
    r = suite.hr.as_(suite.admin_token).post("/workers", json=body)
    assert r.status_code == 400
    assert r.json()["field"] == field
    # nothing was written
    assert suite.hr.as_(suite.admin_token).get("/workers").json()["total"] == 0


def test_missing_field_is_400_naming_field(suite):
    r = suite.hr.as_(suite.admin_token).post("/workers", json={"name": "丁"})
    assert r.status_code == 400
    assert r.json()["field"] == "id_number"


def test_duplicate_is_409_and_nothing_half_written(suite):
    admin = suite.hr.as_(suite.admin_token)
    new_worker(admin)
    r = admin.post("/workers", json={
        "name": "戊", "id_number": "330105199001011233", "jurisdiction": GONGSHU,
        "post": "委员", "grade": 3, "hired_on": "2024-03-01",
    })
    assert r.status_code == 409 and r.json()["field"] == "id_number"
    assert admin.get("/workers").json()["total"] == 1


def test_policy_versions_are_added_never_rewritten(suite):
    admin = suite.hr.as_(suite.admin_token)
    seeded = admin.get("/policies/staffing/in-force", params={"jurisdiction": GONGSHU, "as_of": "2026-01-01"})
    assert seeded.status_code == 200
    assert seeded.json()["jurisdiction"] == CITY  # the district falls back to its city
    assert seeded.json()["value"]["households_per_worker"] == 400 and seeded.json()["clause"] == "S4-1"

    new = {"jurisdiction": GONGSHU, "effective_from": "2026-07-01",
           "value": {"households_per_worker": 350, "party_members_threshold": 100, "party_posts": 2, "cap": 15}}
    assert admin.post("/policies/staffing", json=new).status_code == 201
    before = admin.get("/policies/staffing/in-force", params={"jurisdiction": GONGSHU, "as_of": "2026-06-30"})
    after = admin.get("/policies/staffing/in-force", params={"jurisdiction": GONGSHU, "as_of": "2026-07-01"})
    assert before.json()["value"]["households_per_worker"] == 400
    assert after.json()["value"]["households_per_worker"] == 350

    earlier = dict(new, effective_from="2026-03-01")
    r = admin.post("/policies/staffing", json=earlier)
    assert r.status_code == 409 and r.json()["code"] == "policy_rewrites_past"
    assert r.json()["clause"] == "S4-1" and r.json()["field"] == "effective_from"

    bad = dict(new, effective_from="2027-01-01", value={"households_per_worker": "many"})
    r = admin.post("/policies/staffing", json=bad)
    assert r.status_code == 422 and r.json()["field"] == "value"
    assert len(admin.get("/policies", params={"key": "staffing"}).json()) == 2


def test_only_admin_adds_policy_versions(suite):
    officer = suite.api("hr", suite.create_user("officer", "hr_officer", CITY))
    r = officer.post("/policies/staffing", json={
        "jurisdiction": CITY, "effective_from": "2030-01-01",
        "value": {"households_per_worker": 300, "party_members_threshold": 100, "party_posts": 2, "cap": 15},
    })
    assert r.status_code == 403


def test_openapi_docs_served(suite):
    for svc in ("hr", "training", "certs"):
        r = suite.api(svc, None).get("/schema/openapi.json")
        assert r.status_code == 200 and r.json()["info"]["title"].startswith("Workforce")


def test_paging_limits(suite):
    r = suite.hr.as_(suite.admin_token).get("/workers", params={"limit": 0})
    assert r.status_code == 400 and r.json()["field"] == "limit"
