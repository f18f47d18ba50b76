"""Workers over HTTP: ID validation, the starting grade (D-2), post changes,
leaving, grade history, filters."""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from shared.web import today
from tests.hr.communities import register, register_defaults
from tests.hr.helpers import CITY, GONGSHU, XIHU, hire, id_number, outbox_types


@pytest.fixture(autouse=True)
def communities(suite):
    """The communities the workers below are put in (a community named must be registered)."""
    register_defaults(suite)


def test_starting_grade_is_derived_and_explained(suite):
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, post="副职", service_years=2, education="硕士")
    assert w["grade"] == 4 + 2 + 5
    assert "bottom 4" in w["grade_derivation"] and "硕士" in w["grade_derivation"] and "D-2" in w["grade_derivation"]
    assert w["birth_date"] == "1990-05-17"
    history = admin.get(f"/workers/{w['id']}/grade-history").json()
    assert [(h["kind"], h["grade"], h["clause"], h["actor"]) for h in history] == [("hire", 11, "D-2", "admin")]
    assert admin.get(f"/workers/{w['id']}").json()["grade_derivation"] == w["grade_derivation"]
    assert outbox_types(suite) == ["worker.hired"]


def test_given_grade_must_lie_in_the_band(suite):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/workers", json={"name": "甲", "id_number": id_number(), "jurisdiction": GONGSHU,
                                     "post": "正职", "grade": 3, "hired_on": "2024-03-01"})
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"], r.json()["clause"]) == ("grade_outside_band", "grade", "D-2")
    assert admin.get("/workers").json()["total"] == 0 and outbox_types(suite) == []


def test_unknown_post_and_education(suite):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/workers", json={"name": "甲", "id_number": id_number(), "jurisdiction": GONGSHU,
                                     "post": "主任助理", "hired_on": "2024-03-01"})
    assert r.status_code == 422 and r.json()["code"] == "unknown_post" and r.json()["field"] == "post"
    r = admin.post("/workers", json={"name": "甲", "id_number": id_number(), "jurisdiction": GONGSHU,
                                     "post": "委员", "hired_on": "2024-03-01", "education": "高中以下"})
    assert r.status_code == 422 and r.json()["field"] == "education"


def test_id_number_is_validated_and_unique(suite):
    admin = suite.hr.as_(suite.admin_token)
    body = {"name": "甲", "jurisdiction": GONGSHU, "post": "委员", "hired_on": "2024-03-01"}
    r = admin.post("/workers", json={**body, "id_number": "330105199001011234"})  # wrong check digit
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("id_number_check_digit", "id_number")
    r = admin.post("/workers", json={**body, "id_number": "330105199002301231"})
    assert r.json()["code"] == "id_number_birth_date"
    x = "11010519491231002X"
    assert admin.post("/workers", json={**body, "id_number": x}).status_code == 201
    r = admin.post("/workers", json={**body, "id_number": x.lower()})
    assert r.status_code == 409 and r.json()["field"] == "id_number"


def test_post_change_is_effective_dated_and_kept_in_history(suite):
    officer = suite.hr.as_(suite.create_user("hr-gs", "hr_officer", GONGSHU))
    w = hire(officer, grade=2)
    r = officer.post(f"/workers/{w['id']}/post-changes",
                     json={"post": "副职", "effective_on": "2025-03-01", "reason": "elected deputy director"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["worker"]["post"] == "副职" and body["worker"]["grade"] == 4  # 2 is below the band 4-15
    assert body["change"]["from_grade"] == 2 and "nearest grade 4" in body["change"]["reason"]
    assert body["change"]["actor"] == "hr-gs" and body["change"]["clause"] == "D-2"
    # history is append-only
    r = officer.post(f"/workers/{w['id']}/post-changes",
                     json={"post": "正职", "effective_on": "2025-01-01", "reason": "back-dated"})
    assert r.status_code == 409 and r.json()["field"] == "effective_on"
    r = officer.post(f"/workers/{w['id']}/post-changes",
                     json={"post": "正职", "effective_on": "2025-09-01", "reason": "x", "grade": 19})
    assert r.status_code == 400 and r.json()["field"] == "grade"
    r = officer.post(f"/workers/{w['id']}/post-changes",
                     json={"post": "正职", "effective_on": "2025-09-01", "reason": "x", "grade": 5})
    assert r.status_code == 422 and r.json()["code"] == "grade_outside_band"
    kinds = [h["kind"] for h in officer.get(f"/workers/{w['id']}/grade-history").json()]
    assert kinds == ["hire", "post_change"]


def test_leaving_publishes_worker_left(suite):
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin)
    r = admin.post(f"/workers/{w['id']}/leave", json={"left_on": "2025-05-31", "reason": "resigned"})
    assert r.status_code == 200 and r.json()["status"] == "left" and r.json()["left_on"] == "2025-05-31"
    assert admin.post(f"/workers/{w['id']}/leave", json={"left_on": "2025-06-30", "reason": "again"}).status_code == 409
    r = admin.post(f"/workers/{w['id']}/post-changes",
                   json={"post": "副职", "effective_on": "2025-07-01", "reason": "x"})
    assert r.status_code == 409 and r.json()["code"] == "worker_left"
    assert outbox_types(suite) == ["worker.hired", "worker.left"]


def test_officer_outside_jurisdiction(suite):
    gongshu = suite.hr.as_(suite.create_user("g", "hr_officer", GONGSHU))
    xihu = suite.hr.as_(suite.create_user("x", "hr_officer", XIHU))
    w = hire(gongshu)
    assert xihu.post(f"/workers/{w['id']}/leave", json={"left_on": "2025-05-31", "reason": "x"}).status_code == 404
    assert xihu.get(f"/workers/{w['id']}/grade-history").status_code == 404
    r = xihu.get("/workers", params={"jurisdiction": GONGSHU})
    assert r.status_code == 403 and r.json()["field"] == "jurisdiction"


def test_list_filters_and_paging(suite):
    admin = suite.hr.as_(suite.admin_token)
    for i in range(3):
        hire(admin, name=f"委员{i}", community_code="GS-001")
    hire(admin, name="主任", post="正职", community_code="GS-002")
    hire(admin, name="西湖", jurisdiction=XIHU, community_code="XH-001")
    assert admin.get("/workers", params={"post": "正职"}).json()["total"] == 1
    assert admin.get("/workers", params={"community_code": "GS-001"}).json()["total"] == 3
    assert admin.get("/workers", params={"jurisdiction": XIHU}).json()["total"] == 1
    assert admin.get("/workers", params={"jurisdiction": CITY}).json()["total"] == 5
    page = admin.get("/workers", params={"limit": 2, "offset": 2}).json()
    assert len(page["items"]) == 2 and page["total"] == 5
    assert admin.get("/workers", params={"name": "西"}).json()["total"] == 1


def test_create_worker_keyword_api_for_recruitment(suite):
    """issue 4 hires through ``store.create_worker``: grade None → D-2, probation kept."""
    from datetime import date, datetime

    from hr_service import store
    from tests.hr.helpers import service

    svc = service(suite)
    with svc.db.transaction() as s:
        w = store.create_worker(s, name="新人", id_number=id_number(), jurisdiction=GONGSHU, community_code=None,
                                post="委员", grade=None, hired_on=date(2025, 9, 1), now=datetime.now(UTC),
                                education="本科", status="probation", probation_ends_on=date(2026, 2, 28))
        assert (w.grade, w.status, w.probation_ends_on) == (4, "probation", date(2026, 2, 28))
        assert "本科" in store.hire_derivation(s, w.id)


# --- the community and its quota (S4-1, S4-3, D-9, D-11) -------------------------------------


def _body(**kw) -> dict:
    return {"name": "甲", "id_number": id_number(), "jurisdiction": GONGSHU, "post": "委员", "hired_on": "2024-03-01",
            **kw}


def test_a_community_named_must_be_registered(suite):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/workers", json=_body(community_code="NOPE-999"))
    assert r.status_code == 422, r.text
    p = r.json()
    assert (p["code"], p["field"]) == ("unknown_community", "community_code") and "NOPE-999" in p["detail"]
    assert admin.get("/workers").json()["total"] == 0 and outbox_types(suite) == []
    assert admin.post("/workers", json=_body(community_code=None)).status_code == 201  # none named: not checked


def test_a_hire_dated_after_today_is_refused(suite):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/workers", json=_body(hired_on=(today() + timedelta(days=1)).isoformat()))
    assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == ("date_in_future", "hired_on")
    assert admin.post("/workers", json=_body(hired_on=today().isoformat())).status_code == 201


def test_the_last_place_is_taken_and_then_the_quota_is_full(suite):
    admin = suite.hr.as_(suite.admin_token)
    register(admin, "GS-100", households=800)  # S4-1: quota 2
    first = hire(admin, community_code="GS-100", hired_on="2024-03-01")
    hire(admin, community_code="GS-100", hired_on="2024-04-01")
    r = admin.post("/workers", json=_body(community_code="GS-100", hired_on="2025-01-02"))
    assert r.status_code == 409, r.text
    p = r.json()
    assert (p["code"], p["field"], p["clause"]) == ("quota_full", "community_code", "S4-1")
    assert {k: p["extra"][k] for k in ("community_code", "quota", "headcount")} == {
        "community_code": "GS-100", "quota": 2, "headcount": 2}
    assert "GS-100" in p["detail"] and "quota is 2" in p["detail"] and "编制2名" in p["detail_zh"]
    assert admin.get("/workers", params={"community_code": "GS-100"}).json()["total"] == 2
    # a leaver's place is free from the day after the last day, not on it
    admin.post(f"/workers/{first['id']}/leave", json={"left_on": "2025-05-31", "reason": "resigned"})
    assert admin.post("/workers", json=_body(community_code="GS-100", hired_on="2025-05-31")).status_code == 409
    assert admin.post("/workers", json=_body(community_code="GS-100", hired_on="2025-06-01")).status_code == 201
    assert admin.get("/communities/GS-100/staffing").json()["headcount"] == 2


def test_a_hire_dated_back_must_fit_every_day_since(suite):
    admin = suite.hr.as_(suite.admin_token)
    register(admin, "GS-101", households=400)  # quota 1
    hire(admin, community_code="GS-101", hired_on="2024-06-01")
    r = admin.post("/workers", json=_body(community_code="GS-101", hired_on="2024-01-01"))
    assert r.status_code == 409 and r.json()["extra"]["on"] == "2024-06-01", r.text  # the day the place was taken


def test_the_quota_of_a_hire_date_uses_the_figures_in_force_then(suite):
    admin = suite.hr.as_(suite.admin_token)
    register(admin, "GS-102", households=400, effective_from="2024-01-01")  # quota 1
    hire(admin, community_code="GS-102", hired_on="2024-03-01")
    r = admin.patch("/communities/GS-102", json={"households": 800, "effective_from": "2025-07-01",
                                                 "reason": "a new estate handed over"})
    assert r.status_code == 200, r.text
    r = admin.post("/workers", json=_body(community_code="GS-102", hired_on="2025-06-30"))
    assert r.status_code == 409 and (r.json()["extra"]["quota"], r.json()["extra"]["headcount"]) == (1, 1)
    assert admin.post("/workers", json=_body(community_code="GS-102", hired_on="2025-07-01")).status_code == 201
