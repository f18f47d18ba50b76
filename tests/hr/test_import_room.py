"""``POST /workers/import`` and the communities (S4-1, S4-3, D-9): every row
naming a community needs it registered and room on its rolls, all rows of a
community counted together; a file is refused whole, or with ``partial`` the
rows that pass are written and each refused row is listed with every reason."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.web import today
from tests.hr.communities import register, register_defaults
from tests.hr.helpers import GONGSHU, hire, id_number, outbox_types


@pytest.fixture
def admin(suite):
    register_defaults(suite)
    api = suite.hr.as_(suite.admin_token)
    register(api, "GS-200", households=800)  # S4-1: quota 2
    return api


def item(i: int, community: str | None = "GS-001", **kw) -> dict:
    return {"name": f"导入{i}", "id_number": id_number(date(1986, 1, 1) + timedelta(days=i)), "jurisdiction": GONGSHU,
            "post": "委员", "hired_on": "2024-03-01", "community_code": community, **kw}


def total(api, community: str | None = None) -> int:
    params = {"community_code": community} if community else {}
    return api.get("/workers", params=params).json()["total"]


def test_a_row_naming_an_unknown_community_refuses_the_file(admin, suite):
    items = [item(0), item(1, "NOPE-999"), item(2, None), item(3, "NOPE-998")]
    r = admin.post("/workers/import", json={"items": items})
    assert r.status_code == 422, r.text
    p = r.json()
    assert p["code"] == "import_refused"
    assert [(x["item"], x["field"], x["code"]) for x in p["extra"]["items"]] == [
        (1, "community_code", "unknown_community"), (3, "community_code", "unknown_community")]
    assert "NOPE-999" in p["extra"]["items"][0]["reason"] and p["extra"]["items"][0]["reason_zh"]
    assert [e["field"] for e in p["errors"]] == ["items[1].community_code", "items[3].community_code"]
    assert total(admin) == 0 and outbox_types(suite) == []


def test_the_last_place_goes_to_the_first_row_and_the_file_is_refused(admin):
    hire(admin, community_code="GS-200", hired_on="2023-01-01")
    items = [item(0, "GS-200"), item(1, "GS-001"), item(2, "GS-200")]
    r = admin.post("/workers/import", json={"items": items})
    assert r.status_code == 409, r.text  # every refusal clashes with the rolls
    p = r.json()
    assert p["code"] == "import_refused" and p["errors"] == [
        {"field": "items[2].community_code", "reason": p["extra"]["items"][0]["reason"]}]
    [x] = p["extra"]["items"]
    assert (x["item"], x["code"], x["clause"], x["status"]) == (2, "quota_full", "S4-1", 409)
    assert "GS-200" in x["reason"] and "quota is 2" in x["reason"] and "编制2名" in x["reason_zh"]
    assert total(admin) == 1


def test_partial_writes_the_rows_that_pass_and_lists_each_refused_row(admin, suite):
    hire(admin, community_code="GS-200", hired_on="2023-01-01")
    items = [item(0, "GS-200"), item(1, "GS-001"), item(2, "GS-200"), item(3, "NOPE-999"), item(4, post="主任")]
    r = admin.post("/workers/import", json={"items": items, "partial": True})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["count"] == 2 and len(out["ids"]) == 2 and out["dry_run"] is False
    assert [(x["item"], [p["code"] for p in x["problems"]]) for x in out["refused"]] == [
        (2, ["quota_full"]), (3, ["unknown_community"]), (4, ["unknown_post"])]
    assert all(p["reason"] and p["reason_zh"] and p["field"] for x in out["refused"] for p in x["problems"])
    assert [admin.get(f"/workers/{i}").json()["name"] for i in out["ids"]] == ["导入0", "导入1"]
    assert admin.get("/communities/GS-200/staffing").json()["headcount"] == 2
    assert outbox_types(suite).count("worker.hired") == 3


def test_a_row_with_several_problems_lists_every_one(admin):
    bad = item(1, "NOPE-999", post="主任", education="高中", hired_on=(today() + timedelta(days=3)).isoformat())
    r = admin.post("/workers/import", json={"items": [item(0), bad]})
    assert r.status_code == 422, r.text
    found = [(x["item"], x["field"], x["code"]) for x in r.json()["extra"]["items"]]
    assert found == [(1, "community_code", "unknown_community"), (1, "education", "unknown_education"),
                     (1, "hired_on", "date_in_future"), (1, "post", "unknown_post")]
    r = admin.post("/workers/import", json={"items": [item(0), bad], "partial": True, "dry_run": True})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["count"], out["ids"]) == (1, [])
    [refused] = out["refused"]
    assert sorted(p["code"] for p in refused["problems"]) == [
        "date_in_future", "unknown_community", "unknown_education", "unknown_post"]
    assert total(admin) == 0


def test_rows_of_a_community_count_together_on_their_dates(admin):
    """Quota 2: two rows fit; a third dated before them fits on its own day but not once they join."""
    items = [item(0, "GS-200", hired_on="2024-05-01"), item(1, "GS-200", hired_on="2024-06-01"),
             item(2, "GS-200", hired_on="2024-01-01")]
    r = admin.post("/workers/import", json={"items": items, "partial": True})
    assert r.status_code == 201, r.text
    assert [x["item"] for x in r.json()["refused"]] == [2] and r.json()["count"] == 2
    refusal = r.json()["refused"][0]["problems"][0]
    assert refusal["code"] == "quota_full" and "on 2024-06-01" in refusal["reason"]  # the day both have joined
