"""``GET /talent-rounds``: the rounds an officer can see, paged and filtered
(D-7), within jurisdiction (D-8)."""
from __future__ import annotations

import pytest

from tests.certs.support import CITY, GONGSHU, XIHU, Certs, eligible_worker
from tests.certs.test_registration_api import problem


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def open_round(certs, name, opened_on, quotas=None):
    r = certs.officer(CITY).post("/talent-rounds", json={
        "name": name, "jurisdiction": CITY, "city_quota": 2, "opened_on": opened_on,
        "district_quotas": quotas or {GONGSHU: 2, XIHU: 2},
    })
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_rounds_are_listed_paged_and_filtered_within_jurisdiction(certs):
    city = certs.officer(CITY)
    assert city.get("/talent-rounds").json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    older = open_round(certs, "2024 领军人才", "2024-03-01")
    newer = open_round(certs, "2025 领军人才", "2025-03-01")

    page = city.get("/talent-rounds").json()
    assert page["total"] == 2
    assert [r["id"] for r in page["items"]] == [newer, older]  # newest first
    assert page["items"][0]["state"] == "nominating"
    assert page["items"][0]["district_quotas"] == {GONGSHU: 2, XIHU: 2}
    second = city.get("/talent-rounds", params={"limit": 1, "offset": 1}).json()
    assert [r["id"] for r in second["items"]] == [older] and second["total"] == 2

    assert [r["id"] for r in city.get("/talent-rounds", params={"name": "2024 领军人才"}).json()["items"]] == [older]
    assert city.get("/talent-rounds", params={"name": "2024"}).json()["total"] == 0  # the exact name
    assert city.get("/talent-rounds", params={"state": "nominating"}).json()["total"] == 2
    assert city.get("/talent-rounds", params={"state": "final"}).json()["total"] == 0
    problem(city.get("/talent-rounds", params={"state": "done"}), 422, "unknown_state", "state", "D-7")
    problem(city.get("/talent-rounds", params={"limit": 0}), 400, "invalid_limit", "limit")

    # a district officer reads its city's rounds (as GET /talent-rounds/{id} allows)
    district = certs.officer(XIHU)
    assert district.get("/talent-rounds").json()["total"] == 2
    assert district.get(f"/talent-rounds/{older}").status_code == 200
    problem(district.get("/talent-rounds", params={"jurisdiction": CITY}), 403, "outside_jurisdiction", clause="D-8")
    problem(city.get("/talent-rounds", params={"jurisdiction": "shanghai"}), 403, "outside_jurisdiction")

    # cert officers and admin only
    assert certs.suite.api("certs", certs.suite.admin_token).get("/talent-rounds").json()["total"] == 2
    hr = certs.suite.api("certs", certs.suite.create_user("hr-rounds-list", "hr_officer", CITY))
    assert hr.get("/talent-rounds").status_code == 403


def test_each_listed_round_carries_its_own_quotas_and_nominations(certs):
    first = open_round(certs, "2025 领军人才", "2025-03-01", {GONGSHU: 3})
    second = open_round(certs, "2025 第二批", "2025-03-02", {XIHU: 1})
    wid = eligible_worker(certs, "王芳", GONGSHU)
    r = certs.officer(GONGSHU).post(f"/talent-rounds/{first}/nominations",
                                    json={"worker_id": wid, "nominated_on": "2025-04-01"})
    assert r.status_code == 201, r.text
    listed = {r["id"]: (r["district_quotas"], r["nominations_by_district"])
              for r in certs.officer(CITY).get("/talent-rounds").json()["items"]}
    assert listed == {first: ({GONGSHU: 3}, {GONGSHU: 1}), second: ({XIHU: 1}, {})}
