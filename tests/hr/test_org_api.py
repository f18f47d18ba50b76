"""``/org-units`` and the communities' streets and dated names (D-17), through the HTTP API."""
from __future__ import annotations

import pytest

from tests.hr.org_helpers import DISTRICT, EAST, community, id_number, secretary_token, street

pytestmark = pytest.mark.clause("D-17")


def test_admin_registers_a_street_and_renames_it_from_a_date(suite):
    admin = suite.hr.as_(suite.admin_token)
    made = street(suite, DISTRICT, "east", "东街道", "2015-01-01")
    assert made["unit"]["path"] == EAST and made["unit"]["level"] == "street" and made["unit"]["registered"]
    r = admin.post(f"/org-units/{EAST}/names", json={"name": "东新街道", "effective_from": "2022-05-01"})
    assert r.status_code == 201, r.text
    assert [n["name"] for n in r.json()["names"]] == ["东街道", "东新街道"]
    old = admin.get(f"/org-units/{EAST}", params={"as_of": "2022-04-30"}).json()
    assert old["unit"]["name"] == "东街道"
    listed = admin.get("/org-units", params={"parent": DISTRICT, "level": "street", "as_of": "2022-05-01"}).json()
    assert [(u["path"], u["name"]) for u in listed] == [(EAST, "东新街道")]
    again = admin.post(f"/org-units/{EAST}/names", json={"name": "回到过去", "effective_from": "2022-05-01"})
    assert again.status_code == 409 and again.json()["code"] == "name_dating"
    assert admin.get(f"/org-units/{EAST}").json()["unit"]["name"] == "东新街道"  # the refusal wrote nothing


def test_districts_named_on_communities_are_listed_unregistered(suite):
    units = suite.hr.as_(suite.admin_token).get("/org-units", params={"level": "district"}).json()
    assert {u["path"]: u["registered"] for u in units} == {"hangzhou.gongshu": False, "hangzhou.xihu": False}


def test_bad_unit_requests_name_their_field(suite):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/org-units", json={"parent": DISTRICT, "code": "East", "name": "x", "effective_from": "2020-01-01"})
    assert r.status_code == 422 and r.json()["field"] == "code"
    street(suite, DISTRICT, "east", "东街道")
    r = admin.post("/org-units", json={"parent": DISTRICT, "code": "east", "name": "x", "effective_from": "2020-01-01"})
    assert r.status_code == 409 and r.json()["code"] == "unit_exists"
    officer = suite.create_user("hr-gs", "hr_officer", DISTRICT)
    r = suite.hr.as_(officer).post("/org-units", json={"parent": DISTRICT, "code": "west", "name": "西",
                                                      "effective_from": "2020-01-01"})
    assert r.status_code == 403
    assert suite.hr.as_(officer).get("/org-units/hangzhou.xihu.nowhere").status_code == 404


def test_a_community_needs_a_registered_street_of_its_district(suite):
    street(suite, "hangzhou.xihu", "beishan", "北山街道")
    r = suite.hr.as_(suite.admin_token).post("/communities", json={
        "code": "GS-X", "name": "x", "district": DISTRICT, "households": 100, "street": "hangzhou.xihu.beishan"})
    assert r.status_code == 422 and r.json()["code"] == "unknown_street" and r.json()["field"] == "street"
    assert suite.hr.as_(suite.admin_token).get("/communities/GS-X").status_code == 404


def test_an_empty_community_is_put_in_a_street_and_its_hires_follow(suite):
    street(suite, DISTRICT, "east", "东街道")
    community(suite, "GS-E", None)
    admin = suite.hr.as_(suite.admin_token)
    r = admin.patch("/communities/GS-E", json={"street": EAST})
    assert r.status_code == 200 and r.json()["street"] == EAST and r.json()["jurisdiction"] == EAST
    r = admin.post("/workers/import", json={"items": [
        {"name": "甲", "id_number": id_number(7001), "jurisdiction": DISTRICT, "post": "委员", "grade": 1,
         "hired_on": "2021-01-04", "community_code": "GS-E"},
        {"name": "乙", "id_number": id_number(7002), "jurisdiction": "hangzhou.gongshu.west", "post": "委员",
         "grade": 1, "hired_on": "2021-01-04", "community_code": "GS-E"}]})
    assert r.status_code == 422, r.text
    assert [(e["item"], e["field"], e["code"]) for e in r.json()["extra"]["items"]] == [
        (1, "jurisdiction", "jurisdiction_mismatch")]
    r = admin.post("/workers/import", json={"items": [
        {"name": "甲", "id_number": id_number(7001), "jurisdiction": DISTRICT, "post": "委员", "grade": 1,
         "hired_on": "2021-01-04", "community_code": "GS-E"}]})
    assert r.status_code == 201, r.text
    assert admin.get(f"/workers/{r.json()['ids'][0]}").json()["jurisdiction"] == EAST


def test_a_street_officer_sees_the_communities_of_their_street_only(suite):
    street(suite, DISTRICT, "east", "东街道")
    community(suite, "GS-E", EAST)
    officer = suite.hr.as_(suite.create_user("hr-east", "hr_officer", EAST))
    assert [c["code"] for c in officer.get("/communities").json()["items"]] == ["GS-E"]
    assert officer.get("/communities/GS-001").status_code == 404
    assert officer.patch("/communities/GS-001", json={"households": 10}).status_code == 403
    district = suite.hr.as_(suite.create_user("hr-gs", "hr_officer", DISTRICT))
    codes = [c["code"] for c in district.get("/communities", params={"district": EAST}).json()["items"]]
    assert codes == ["GS-E"]


def test_a_secretary_reads_their_community_and_no_other(suite):
    secretary = suite.hr.as_(secretary_token(suite, "GS-001", DISTRICT))
    assert secretary.get("/communities/GS-001").status_code == 200
    assert secretary.get("/communities/GS-002").status_code == 404
    assert [c["code"] for c in secretary.get("/communities").json()["items"]] == ["GS-001"]


@pytest.mark.postgres
def test_streets_and_dated_names_on_postgresql(pg_suite):
    suite = pg_suite
    street(suite, DISTRICT, "east", "东街道")
    community(suite, "GS-E", EAST, effective_from="2019-01-01")
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/communities/GS-E/names", json={"name": "新名", "effective_from": "2023-01-01"})
    assert r.status_code == 201, r.text
    page = admin.get("/communities", params={"district": EAST, "as_of": "2022-12-31"}).json()
    assert [(c["code"], c["name"]) for c in page["items"]] == [("GS-E", "GS-E社区")]
    officer = suite.hr.as_(suite.create_user("hr-east", "hr_officer", EAST))
    assert [c["code"] for c in officer.get("/communities", params={"as_of": "2023-01-01"}).json()["items"]] == ["GS-E"]
