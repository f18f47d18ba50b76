"""Attendance per session day, completion at the threshold and the assessment,
credits to the ledger and the CPD hours, and the events in the outbox."""
from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from deploy.services import make_service
from shared.events import from_message
from shared.web import today
from tests.training.helpers import add_worker, attend, enrol, programme, session, worker_with_login

FIVE_DAYS = dict(start="2025-06-02T09:00:00", end="2025-06-06T17:00:00")
DAYS = ["2025-06-02", "2025-06-03", "2025-06-04", "2025-06-05", "2025-06-06"]


def outbox(suite) -> list:
    svc = make_service("training", suite.settings)
    try:
        with svc.db.read_session() as s:
            rows = s.execute(select(svc.infra.outbox.c.payload).order_by(svc.infra.outbox.c.id)).scalars().all()
        return [from_message(p) for p in rows]
    finally:
        svc.db.dispose()


def five_day_course(coordinator, **over):
    p = programme(coordinator, hours="40", **over)
    s = session(coordinator, p["id"], **FIVE_DAYS)
    return p, s


def test_completion_at_and_just_under_the_threshold(suite, coordinator):
    p, s = five_day_course(coordinator)
    at, under = add_worker(coordinator, "四天"), add_worker(coordinator, "三天")
    enrol(coordinator, s["id"], at), enrol(coordinator, s["id"], under)
    for i, day in enumerate(DAYS):
        r = attend(coordinator, s["id"], day, {at: i < 4, under: i < 3})
        assert r.status_code == 200, r.text
    sheet = coordinator.get(f"/sessions/{s['id']}/attendance").json()
    assert sheet["threshold_percent"] == 80
    rows = {r["worker_id"]: r for r in sheet["rows"]}
    assert rows[at]["marks"] == [True, True, True, True, False] and rows[at]["percent"] == "80.0"
    assert rows[at]["completes"] and not rows[under]["completes"]
    r = coordinator.post(f"/sessions/{s['id']}/close")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["completed"], body["not_completed"]) == (1, 1)
    assert body["session"]["status"] == "closed"
    assert coordinator.get(f"/workers/{at}/ledger").json()["total_hours"] == "40.00"
    assert coordinator.get(f"/workers/{under}/ledger").json()["total_hours"] == "0.00"
    events = outbox(suite)
    assert [(type(e).__name__, e.worker_id) for e in events] == [("SessionCompleted", at)]
    assert str(events[0].hours) == "40.00" and events[0].completed_on.isoformat() == "2025-06-06"
    # the records are final once closed
    assert attend(coordinator, s["id"], DAYS[0], {under: True}).status_code == 409
    assert coordinator.post(f"/sessions/{s['id']}/close").status_code == 409


def test_an_accredited_course_credits_cpd_and_a_non_accredited_one_does_not(suite, coordinator):
    accredited = programme(coordinator, title="社会工作继续教育（认定）", hours="16", cpd_accredited=True,
                           cpd_hours="12.5")
    plain = programme(coordinator, title="社区治理讲座", hours="3")
    a = session(coordinator, accredited["id"], start="2025-06-02T09:00:00", end="2025-06-03T17:00:00")
    b = session(coordinator, plain["id"], start="2025-06-10T09:00:00", end="2025-06-10T12:00:00")
    w = add_worker(coordinator, "王芳")
    enrol(coordinator, a["id"], w), enrol(coordinator, b["id"], w)
    for day in ("2025-06-02", "2025-06-03"):
        attend(coordinator, a["id"], day, {w: True})
    attend(coordinator, b["id"], "2025-06-10", {w: True})
    assert coordinator.post(f"/sessions/{a['id']}/close").json()["completed"] == 1
    assert coordinator.post(f"/sessions/{b['id']}/close").json()["completed"] == 1
    ledger = coordinator.get(f"/workers/{w}/ledger").json()
    assert (ledger["total_hours"], ledger["total_cpd_hours"]) == ("19.00", "12.50")
    assert [(c["hours"], c["cpd_hours"]) for c in ledger["credits"]] == [("16.00", "12.50"), ("3.00", "0.00")]
    kinds = [(type(e).__name__, e.session_id, str(e.hours)) for e in outbox(suite)]
    assert kinds == [("SessionCompleted", a["id"], "16.00"), ("CpdCredited", a["id"], "12.50"),
                     ("SessionCompleted", b["id"], "3.00")]


def test_the_assessment_must_be_passed_when_there_is_one(suite, coordinator):
    p, s = five_day_course(coordinator, assessment_required=True)
    passed, failed, untested = (add_worker(coordinator, n) for n in ("过", "挂", "缺"))
    for w in (passed, failed, untested):
        enrol(coordinator, s["id"], w)
    for day in DAYS:
        attend(coordinator, s["id"], day, {passed: True, failed: True, untested: True})
    r = coordinator.post(f"/sessions/{s['id']}/assessments", json={"records": [
        {"worker_id": passed, "passed": True}, {"worker_id": failed, "passed": False}]})
    assert r.status_code == 200, r.text
    preview = {x["worker_id"]: x for x in r.json()["rows"]}
    assert preview[failed]["reason"] == "assessment not passed"
    assert preview[untested]["reason"] == "assessment not taken"
    body = coordinator.post(f"/sessions/{s['id']}/close").json()
    assert {x["worker_id"]: x["status"] for x in body["rows"]} == {
        passed: "completed", failed: "not_completed", untested: "not_completed"}
    # a programme without an assessment refuses results
    p2, s2 = five_day_course(coordinator)
    w = add_worker(coordinator, "甲")
    enrol(coordinator, s2["id"], w)
    r = coordinator.post(f"/sessions/{s2['id']}/assessments", json={"records": [{"worker_id": w, "passed": True}]})
    assert r.status_code == 422 and r.json()["code"] == "no_assessment"


def test_attendance_outside_the_session_or_for_someone_not_seated_is_refused(coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=1, start="2025-06-02T09:00:00", end="2025-06-04T17:00:00",
                days=["2025-06-02", "2025-06-04"])
    seated, waiting = add_worker(coordinator, "甲"), add_worker(coordinator, "乙")
    enrol(coordinator, s["id"], seated), enrol(coordinator, s["id"], waiting)
    r = attend(coordinator, s["id"], "2025-06-03", {seated: True})  # between the days, not a session day
    assert r.status_code == 422 and r.json()["field"] == "day" and r.json()["code"] == "day_outside_session"
    r = attend(coordinator, s["id"], "2025-06-02", {seated: True, waiting: True})
    assert r.status_code == 422 and r.json()["field"] == "records[1].worker_id"
    sheet = coordinator.get(f"/sessions/{s['id']}/attendance").json()
    assert sheet["rows"][0]["marks"] == [None, None]  # nothing written
    # a mark may be corrected before the session closes
    attend(coordinator, s["id"], "2025-06-02", {seated: False})
    sheet = attend(coordinator, s["id"], "2025-06-02", {seated: True}).json()
    assert sheet["rows"][0]["marks"] == [True, None]


def test_attendance_is_refused_for_a_day_that_has_not_come(coordinator):
    """No fact dated in the future: today's mark is taken, tomorrow's is refused and nothing is written."""
    day = today()
    p = programme(coordinator)
    s = session(coordinator, p["id"], start=f"{day - timedelta(days=1)}T09:00:00",
                end=f"{day + timedelta(days=1)}T17:00:00")
    w = add_worker(coordinator, "甲")
    enrol(coordinator, s["id"], w)
    assert attend(coordinator, s["id"], day.isoformat(), {w: True}).status_code == 200
    r = attend(coordinator, s["id"], (day + timedelta(days=1)).isoformat(), {w: True})
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"], r.json()["clause"]) == ("date_in_future", "day", "D-6")
    assert coordinator.get(f"/sessions/{s['id']}/attendance").json()["rows"][0]["marks"] == [None, True, None]
    r = attend(coordinator, s["id"], (day + timedelta(days=2)).isoformat(), {w: True})  # not a day of it at all
    assert r.json()["code"] == "day_outside_session"


def test_a_session_closes_only_after_its_last_day(coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"], start="2099-06-02T09:00:00", end="2099-06-02T17:00:00")
    r = coordinator.post(f"/sessions/{s['id']}/close")
    assert r.status_code == 422 and (r.json()["code"], r.json()["field"], r.json()["clause"]) == (
        "date_in_future", "completed_on", "D-6")
    assert coordinator.get(f"/sessions/{s['id']}").json()["status"] == "scheduled"


def test_closing_releases_the_waitlist(coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=1)
    a, b = add_worker(coordinator, "甲"), add_worker(coordinator, "乙")
    enrol(coordinator, s["id"], a), enrol(coordinator, s["id"], b)
    coordinator.post(f"/sessions/{s['id']}/close")
    waiting = coordinator.get(f"/workers/{b}/enrolments").json()[0]
    assert waiting["status"] == "cancelled" and waiting["cancel_reason"] == "session closed"


def test_attendance_sheets_export_as_csv_and_excel(coordinator):
    p, s = five_day_course(coordinator, title="纠纷调解实务班")
    a, b = add_worker(coordinator, "王芳", community_code="GS001"), add_worker(coordinator, "李明")
    enrol(coordinator, s["id"], a), enrol(coordinator, s["id"], b)
    attend(coordinator, s["id"], DAYS[0], {a: True, b: False})
    r = coordinator.get(f"/sessions/{s['id']}/attendance.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    text = r.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].split(",")[5:10] == DAYS
    assert lines[1].startswith(f"{a},王芳,委员,GS001,enrolled,✓,,,,,1,20.0")
    assert lines[2].startswith(f"{b},李明,委员,,enrolled,✗")
    r = coordinator.get(f"/sessions/{s['id']}/attendance.xlsx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert "纠纷调解实务班" in ws["A1"].value
    assert [c.value for c in ws[2]][5:10] == DAYS
    assert [c.value for c in ws[3]][:6] == [a, "王芳", "委员", "GS001", "enrolled", "✓"]


def test_the_worker_sees_their_own_ledger_and_obligations(suite, coordinator):
    me, as_me = worker_with_login(suite, coordinator, "王芳", post="正职", hired_on="2018-01-01")
    p, s = five_day_course(coordinator, tier="secretary_director", category="party_school")
    enrol(as_me, s["id"])
    for day in DAYS:
        attend(coordinator, s["id"], day, {me: True})
    coordinator.post(f"/sessions/{s['id']}/close")
    ledger = as_me.get("/me/ledger").json()
    assert ledger["worker_id"] == me
    assert ledger["years"] == [{"year": 2025, "programmes": 1, "hours": "40.00", "cpd_hours": "0.00",
                                "by_tier": {"secretary_director": "40.00"}, "by_category": {"party_school": "40.00"}}]
    assert as_me.get("/me/ledger", params={"year": 2024}).json()["years"] == []
    ob = as_me.get("/me/obligations", params={"year": 2025, "as_of": "2026-01-10"}).json()
    days = [o for o in ob["obligations"] if o["kind"] == "annual_days"][0]
    assert (days["required"], days["done"], days["shortfall"], days["shortfall_days"], days["status"]) == (
        "56.00", "40.00", "16.00", "2.00", "behind")
    cal = as_me.get("/me/calendar.ics")
    assert cal.status_code == 200 and cal.text.count("BEGIN:VEVENT") == 1
    # an officer's token has no /me here
    assert coordinator.get("/me/ledger").status_code == 404
