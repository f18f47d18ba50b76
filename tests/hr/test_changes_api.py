"""A worker's changes from a date (D-11) and corrections (D-12) over HTTP:
transfers, the probation's end, grade corrections, reinstatement, the
supplementary step run; each kept in the history and published."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shared.events import WorkerChanged, from_message
from tests.hr.helpers import CITY, GONGSHU, XIHU, assess, hire, outbox_types, service

TODAY = date.today()


def community(admin, code, district=GONGSHU, households=4000, party_members=0):
    r = admin.post("/communities", json={"code": code, "name": code, "district": district,
                                         "households": households, "party_members": party_members,
                                         "effective_from": "2000-01-01"})
    assert r.status_code in (201, 409), r.text
    return code


def changed_events(suite) -> list[WorkerChanged]:
    svc = service(suite)
    o = svc.infra.outbox
    with svc.db.read_session() as s:
        rows = s.execute(select(o.c.payload).where(o.c.event_type == "worker.changed").order_by(o.c.id)).all()
    return [from_message(r.payload) for r in rows]


@pytest.fixture
def admin(suite):
    api = suite.hr.as_(suite.admin_token)
    for code, district in (("GS-001", GONGSHU), ("GS-002", GONGSHU), ("XH-001", XIHU)):
        community(api, code, district)
    return api


def test_a_transfer_moves_the_worker_keeps_the_history_and_is_published(suite, admin):
    w = hire(admin, hired_on="2019-03-01")
    r = admin.post(f"/workers/{w['id']}/transfers",
                   json={"community_code": "XH-001", "effective_on": "2025-09-01", "reason": "reorganisation"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["worker"]["community_code"], body["worker"]["jurisdiction"]) == ("XH-001", XIHU)
    change = body["change"]
    assert (change["kind"], change["effective_on"], change["clause"]) == ("transfer", "2025-09-01", "D-11")
    assert (change["before"]["community_code"], change["after"]["community_code"]) == ("GS-001", "XH-001")
    assert [c["kind"] for c in admin.get(f"/workers/{w['id']}/changes").json()] == ["transfer"]
    [event] = changed_events(suite)
    assert (event.worker_id, event.kind, event.change_id, event.community_code, event.jurisdiction,
            event.from_community_code, event.from_jurisdiction) == (
        w["id"], "transfer", change["id"], "XH-001", XIHU, "GS-001", GONGSHU)
    # the history is added to in date order
    r = admin.post(f"/workers/{w['id']}/transfers",
                   json={"community_code": "GS-002", "effective_on": "2025-08-01", "reason": "back-dated"})
    assert r.status_code == 409 and r.json()["code"] == "history_is_append_only"


@pytest.mark.parametrize("body, status, code, field", [
    ({"community_code": "NOPE-999", "effective_on": "2025-09-01"}, 422, "unknown_community", "community_code"),
    ({"community_code": "GS-001", "effective_on": "2025-09-01"}, 409, "same_community", "community_code"),
    ({"community_code": "GS-002", "effective_on": (TODAY + timedelta(days=1)).isoformat()}, 422, "date_in_future",
     "effective_on"),
    ({"community_code": "GS-002", "effective_on": "2018-01-01"}, 422, "before_hire", "effective_on"),
])
def test_a_transfer_is_refused_with_the_field_and_reason(suite, admin, body, status, code, field):
    w = hire(admin, hired_on="2019-03-01")
    r = admin.post(f"/workers/{w['id']}/transfers", json={**body, "reason": "x"})
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (status, code, field), r.text
    assert admin.get(f"/workers/{w['id']}").json()["community_code"] == "GS-001"
    assert changed_events(suite) == []


def test_a_transfer_needs_room_in_the_destination(suite, admin):
    community(admin, "GS-TINY", households=400)  # quota 1 (S4-1)
    hire(admin, community_code="GS-TINY", hired_on="2019-03-01")
    w = hire(admin, hired_on="2019-03-01")
    r = admin.post(f"/workers/{w['id']}/transfers",
                   json={"community_code": "GS-TINY", "effective_on": "2025-09-01", "reason": "x"})
    assert r.status_code == 409 and r.json()["code"] == "quota_full", r.text
    assert "GS-TINY" in r.json()["detail"]


def test_no_transfer_within_three_years_of_the_hire(suite, admin):
    """D-4 "no transfer for 3 years"."""
    w = hire(admin, hired_on="2024-03-01")
    r = admin.post(f"/workers/{w['id']}/transfers",
                   json={"community_code": "GS-002", "effective_on": "2025-09-01", "reason": "x"})
    assert (r.status_code, r.json()["code"], r.json()["clause"]) == (409, "no_transfer_period", "D-4")


def test_a_transfer_needs_the_officer_on_both_ends(suite, admin):
    w = hire(admin, hired_on="2019-03-01")
    gongshu = suite.hr.as_(suite.create_user("g", "hr_officer", GONGSHU))
    r = gongshu.post(f"/workers/{w['id']}/transfers",
                     json={"community_code": "XH-001", "effective_on": "2025-09-01", "reason": "x"})
    assert r.status_code == 403 and r.json()["field"] == "community_code"
    xihu = suite.hr.as_(suite.create_user("x", "hr_officer", XIHU))
    r = xihu.post(f"/workers/{w['id']}/transfers",
                  json={"community_code": "XH-001", "effective_on": "2025-09-01", "reason": "x"})
    assert r.status_code == 404  # another district's record (D-8)


def test_a_post_change_is_published_and_kept(suite, admin):
    w = hire(admin, hired_on="2019-03-01", grade=3)
    r = admin.post(f"/workers/{w['id']}/post-changes",
                   json={"post": "正职", "effective_on": "2025-10-01", "reason": "elected 主任"})
    assert r.status_code == 201, r.text
    [event] = changed_events(suite)
    assert (event.kind, event.post, event.from_post, event.effective_on.isoformat()) == (
        "post_change", "正职", "委员", "2025-10-01")
    assert [c["kind"] for c in admin.get(f"/workers/{w['id']}/changes").json()] == ["post_change"]


def on_probation(admin, ends_in_days: int, **kw):
    ends = TODAY + timedelta(days=ends_in_days)
    hired = ends - timedelta(days=182)
    return hire(admin, hired_on=hired.isoformat(), status="probation", probation_ends_on=ends.isoformat(), **kw)


def test_probations_ending_are_listed_for_the_officer(suite, admin):
    soon = on_probation(admin, 10, name="soon")
    overdue = on_probation(admin, -3, name="overdue")
    on_probation(admin, 100, name="later")
    page = admin.get("/workers/probations").json()
    assert [(p["worker_id"], p["days_left"]) for p in page["items"]] == [(overdue["id"], -3), (soon["id"], 10)]
    assert admin.get("/workers/probations", params={"within_days": 400}).status_code == 422
    # the horizon is the probation policy's (D-4), not a number in the code
    r = admin.post("/policies/probation", json={"jurisdiction": CITY, "effective_from": "2020-01-01",
                                                "value": {"horizon_days": 120}, "note": "a longer horizon"})
    assert r.status_code == 201, r.text
    assert admin.get("/workers/probations").json()["total"] == 3


def test_probation_confirmed(suite, admin):
    w = on_probation(admin, 5)
    r = admin.post(f"/workers/{w['id']}/probation",
                   json={"decision": "confirm", "effective_on": TODAY.isoformat(), "reason": "assessed well"})
    assert r.status_code == 200, r.text
    assert r.json()["worker"]["status"] == "active" and r.json()["change"]["kind"] == "probation_confirmed"
    assert changed_events(suite)[-1].status == "active"
    again = admin.post(f"/workers/{w['id']}/probation",
                       json={"decision": "confirm", "effective_on": TODAY.isoformat(), "reason": "x"})
    assert (again.status_code, again.json()["code"]) == (409, "not_on_probation")


def test_probation_extended_once_within_the_rule(suite, admin):
    w = on_probation(admin, 5)
    ends = date.fromisoformat(w["probation_ends_on"])
    too_far = admin.post(f"/workers/{w['id']}/probation", json={
        "decision": "extend", "effective_on": TODAY.isoformat(), "until": (ends + timedelta(days=200)).isoformat(),
        "reason": "x"})
    assert (too_far.status_code, too_far.json()["code"], too_far.json()["field"]) == (
        422, "extension_out_of_range", "until")
    until = (ends + timedelta(days=90)).isoformat()
    r = admin.post(f"/workers/{w['id']}/probation",
                   json={"decision": "extend", "effective_on": TODAY.isoformat(), "until": until, "reason": "x"})
    assert r.status_code == 200 and r.json()["worker"]["probation_ends_on"] == until
    assert r.json()["worker"]["status"] == "probation"
    twice = admin.post(f"/workers/{w['id']}/probation", json={
        "decision": "extend", "effective_on": TODAY.isoformat(), "until": until, "reason": "x"})
    assert (twice.status_code, twice.json()["code"]) == (409, "probation_extended_already")


def test_probation_ended_takes_the_worker_off_the_rolls(suite, admin):
    w = on_probation(admin, 5)
    r = admin.post(f"/workers/{w['id']}/probation",
                   json={"decision": "end", "effective_on": TODAY.isoformat(), "reason": "not suited"})
    assert r.status_code == 200, r.text
    assert (r.json()["worker"]["status"], r.json()["worker"]["left_on"]) == ("left", TODAY.isoformat())
    assert outbox_types(suite)[-2:] == ["worker.left", "worker.changed"]
    assert changed_events(suite)[-1].kind == "probation_ended"


def test_a_grade_correction_supersedes_the_later_history(suite, admin):
    w = hire(admin, hired_on="2020-03-01", grade=3)
    assess(admin, w["id"], 2024)
    assert admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"}).status_code == 201
    assert admin.get(f"/workers/{w['id']}").json()["grade"] == 4
    r = admin.post(f"/workers/{w['id']}/grade-corrections",
                   json={"post": "委员", "grade": 5, "effective_on": "2024-01-01", "reason": "hire grade mistyped"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["worker"]["grade"], body["change"]["kind"], body["change"]["clause"]) == (5, "correction", "D-12")
    history = admin.get(f"/workers/{w['id']}/grade-history").json()
    step = next(h for h in history if h["kind"] == "step")
    assert step["superseded_by"] == body["change"]["id"] and body["superseded"] == [step["id"]]
    assert admin.get(f"/workers/{w['id']}").json()["last_step_on"] is None
    assert changed_events(suite)[-1].kind == "grade_correction"
    bad = admin.post(f"/workers/{w['id']}/grade-corrections",
                     json={"post": "委员", "grade": 40, "effective_on": "2024-01-01", "reason": "x"})
    assert bad.status_code == 422 and bad.json()["field"] == "grade"
    future = admin.post(f"/workers/{w['id']}/grade-corrections", json={
        "post": "委员", "grade": 5, "effective_on": (TODAY + timedelta(days=3)).isoformat(), "reason": "x"})
    assert future.status_code == 422 and future.json()["code"] == "date_in_future"


def test_reinstatement_undoes_a_leaving(suite, admin):
    w = hire(admin, hired_on="2019-03-01")
    assert admin.post(f"/workers/{w['id']}/leave", json={"left_on": "2025-05-31", "reason": "resigned"}
                      ).status_code == 200
    r = admin.post(f"/workers/{w['id']}/reinstatement", json={"reason": "resignation withdrawn"})
    assert r.status_code == 200, r.text
    assert (r.json()["worker"]["status"], r.json()["worker"]["left_on"]) == ("active", None)
    assert r.json()["change"]["effective_on"] == "2025-06-01"
    assert [c["kind"] for c in admin.get(f"/workers/{w['id']}/changes").json()] == ["left", "reinstated"]
    again = admin.post(f"/workers/{w['id']}/reinstatement", json={"reason": "x"})
    assert (again.status_code, again.json()["code"]) == (409, "not_left")


def _late_assessment_team(admin):
    late = hire(admin, name="late", hired_on="2020-03-01", grade=3)
    on_time = hire(admin, name="on_time", hired_on="2020-03-01", grade=3)
    assess(admin, on_time["id"], 2024)
    assert admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"}).status_code == 201
    return late, on_time


def test_a_supplementary_step_run_moves_only_who_now_qualifies(suite, admin):
    late, on_time = _late_assessment_team(admin)
    body = {"jurisdiction": CITY, "effective_on": "2025-07-01", "reason": "2024 assessment arrived late"}
    assert admin.post("/step-runs/supplementary", json=body).json()["moved"] == 0  # nothing new yet
    assess(admin, late["id"], 2024)
    dry = admin.post("/step-runs/supplementary", json=body)
    assert dry.status_code == 200 and dry.json()["moved"] == 1 and dry.json()["id"] is None
    assert admin.get(f"/workers/{late['id']}").json()["grade"] == 3
    run = admin.post("/step-runs/supplementary", json={**body, "dry_run": False})
    assert run.status_code == 201, run.text
    assert run.json()["supplementary"] and run.json()["moved"] == 1
    assert admin.get(f"/workers/{late['id']}").json()["grade"] == 4
    assert admin.get(f"/workers/{on_time['id']}").json()["grade"] == 4  # not twice
    step = admin.get(f"/workers/{late['id']}/grade-history").json()[-1]
    assert (step["kind"], step["effective_on"], step["clause"], step["step_run_id"]) == (
        "step", "2025-07-01", "D-12", run.json()["id"])
    stored = admin.get(f"/step-runs/{run.json()['id']}").json()
    assert stored["moved"] == 1 and stored["reason"] == body["reason"]
    again = admin.post("/step-runs/supplementary", json={**body, "dry_run": False})
    assert again.status_code == 200 and again.json()["id"] is None and again.json()["moved"] == 0
    assert outbox_types(suite).count("step.run.completed") == 2


def test_a_supplementary_run_needs_the_run_it_follows(suite, admin):
    r = admin.post("/step-runs/supplementary", json={"jurisdiction": CITY, "effective_on": "2024-07-01",
                                                     "reason": "x", "dry_run": False})
    assert (r.status_code, r.json()["code"]) == (409, "no_step_run")
