"""Programmes and sessions over HTTP: the vocabulary of S2-2, S1-1, S2-3, S4-4,
and the bad input the issue names (a 4xx naming the field, nothing written)."""
from __future__ import annotations

from tests.training.helpers import (
    CITY,
    GONGSHU,
    PROGRAMME,
    XIHU,
    add_worker,
    enrol,
    programme,
    schedule,
    session,
    worker_with_login,
)


def test_a_programme_carries_every_term(coordinator):
    p = programme(coordinator, title="实务高级研修班", tier="advanced_practice", category="advanced_practice",
                  content_area="practical_skills", delivery="online", mode="practice", location="other_city",
                  hours="12.5", cpd_accredited=True, cpd_hours="12", topics=["dispute_mediation", "elder_services"],
                  eligible_posts=["正职", "副职"], assessment_required=True, cost_fen=120000)
    assert p["jurisdiction"] == GONGSHU and p["tier_zh"] == "实务高级研修"
    assert p["hours"] == "12.50" and p["cpd_hours"] == "12.00" and p["cost_fen"] == 120000
    assert p["topics"] == ["dispute_mediation", "elder_services"]
    got = coordinator.get(f"/programmes/{p['id']}").json()
    assert got == p
    assert coordinator.get("/programmes", params={"topic": "dispute_mediation"}).json()["total"] == 1
    assert coordinator.get("/programmes", params={"topic": "volunteer_support"}).json()["total"] == 0


def test_the_seven_classes_are_a_policy_table(coordinator):
    body = coordinator.get("/categories").json()
    codes = [c["code"] for c in body["classes"]]
    assert len(codes) == 7
    assert {"continuing", "advanced_practice", "three_social", "party_school", "degree"} <= set(codes)
    r = coordinator.post("/programmes", json={**PROGRAMME, "category": "cooking"})
    assert r.status_code == 422
    assert r.json()["field"] == "category" and r.json()["clause"] == "S2-2"


def test_bad_programmes_are_refused_naming_the_field(coordinator):
    cases = [
        ({"hours": "-1"}, 422, "hours"),
        ({"hours": "1.234"}, 422, "hours"),
        ({"cpd_accredited": True, "cpd_hours": "0"}, 422, "cpd_hours"),
        ({"cpd_hours": "3"}, 422, "cpd_hours"),
        ({"eligible_posts": ["主任"]}, 422, "eligible_posts"),
        ({"cost_fen": -5}, 422, "cost_fen"),
        ({"tier": "vip"}, 400, "tier"),
        ({"location": "moon"}, 400, "location"),
        ({"content_area": "cooking"}, 400, "content_area"),
    ]
    for change, status, field in cases:
        r = coordinator.post("/programmes", json={**PROGRAMME, **change})
        assert r.status_code == status, (change, r.text)
        assert r.json()["field"] == field, (change, r.json())
    assert coordinator.get("/programmes").json()["total"] == 0


def test_programmes_stay_within_jurisdiction(suite, coordinator, city_coordinator):
    r = coordinator.post("/programmes", json={**PROGRAMME, "jurisdiction": CITY})
    assert r.status_code == 403 and r.json()["code"] == "outside_jurisdiction"
    city = programme(city_coordinator, title="全市继续教育")
    mine = programme(coordinator)
    xihu = suite.api("training", suite.create_user("tc-xihu", "training_coordinator", XIHU))
    # the city's catalogue is seen by its districts, a district's is not seen by another district
    assert coordinator.get(f"/programmes/{city['id']}").status_code == 200
    assert xihu.get(f"/programmes/{mine['id']}").status_code == 404
    assert {p["id"] for p in xihu.get("/programmes").json()["items"]} == {city["id"]}
    # a district coordinator may run a session of a city programme in the district, not city-wide
    assert schedule(coordinator, city["id"]).json()["jurisdiction"] == GONGSHU
    r = schedule(coordinator, city["id"], jurisdiction=CITY)
    assert r.status_code == 403


def test_a_worker_may_not_build_programmes(suite, coordinator):
    _, worker = worker_with_login(suite, coordinator, "甲")
    r = worker.post("/programmes", json=PROGRAMME)
    assert r.status_code == 403 and r.json()["clause"] == "D-8"


def test_bad_sessions_are_refused_naming_the_field(coordinator):
    p = programme(coordinator)
    online = programme(coordinator, delivery="online")
    cases = [
        (p["id"], {"start": "2025-05-12T17:00:00", "end": "2025-05-12T09:00:00"}, "ends_at"),
        (p["id"], {"start": "2025-05-12T09:00:00", "end": "2025-05-12T09:00:00"}, "ends_at"),
        (p["id"], {"days": ["2025-05-13"]}, "days"),
        (p["id"], {"venue": None}, "venue"),
        (online["id"], {}, "online_link"),
        (p["id"], {"capacity": 0}, "capacity"),
    ]
    for pid, change, field in cases:
        r = schedule(coordinator, pid, **change)
        assert 400 <= r.status_code < 500, (change, r.text)
        assert r.json()["field"] == field, (change, r.json())
    assert coordinator.get("/sessions").json()["total"] == 0


def test_session_days_default_to_every_day_and_times_are_hangzhou_time(coordinator):
    p = programme(coordinator, hours="40")
    s = session(coordinator, p["id"], start="2025-06-02T09:00:00+08:00", end="2025-06-06T17:00:00+08:00")
    assert s["days"] == ["2025-06-02", "2025-06-03", "2025-06-04", "2025-06-05", "2025-06-06"]
    assert s["starts_at"] == "2025-06-02T09:00:00+08:00"
    # the same instant given in UTC is stored as the same Hangzhou time
    s2 = session(coordinator, p["id"], start="2025-06-09T01:00:00Z", end="2025-06-09T09:00:00Z",
                 days=["2025-06-09"])
    assert s2["starts_at"] == "2025-06-09T09:00:00+08:00" and s2["ends_at"] == "2025-06-09T17:00:00+08:00"


def test_capacity_may_not_fall_below_the_enrolled_and_more_capacity_seats_the_waitlist(coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=2)
    a, b, c, d = (add_worker(coordinator, n) for n in "甲乙丙丁")
    for w in (a, b, c, d):
        enrol(coordinator, s["id"], w)
    r = coordinator.patch(f"/sessions/{s['id']}", json={"capacity": 1})
    assert r.status_code == 422 and r.json()["field"] == "capacity" and r.json()["code"] == "capacity_below_enrolled"
    assert coordinator.get(f"/sessions/{s['id']}").json()["capacity"] == 2
    r = coordinator.patch(f"/sessions/{s['id']}", json={"capacity": 3, "trainer": "张老师"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [e["worker_id"] for e in body["promoted"]] == [c]
    assert body["session"]["enrolled"] == 3 and body["session"]["waitlisted"] == 1
    assert body["session"]["trainer"] == "张老师"


def test_cancelling_a_session_releases_every_place(coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=1)
    a, b = add_worker(coordinator, "甲"), add_worker(coordinator, "乙")
    enrol(coordinator, s["id"], a), enrol(coordinator, s["id"], b)
    r = coordinator.post(f"/sessions/{s['id']}/cancel", json={"reason": "台风"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    statuses = {e["worker_id"]: e["status"] for e in coordinator.get(f"/sessions/{s['id']}/enrolments").json()}
    assert statuses == {a: "cancelled", b: "cancelled"}
    assert enrol(coordinator, s["id"], a).status_code == 409


def test_calendar_feed_json_and_icalendar(coordinator):
    p = programme(coordinator, title="纠纷调解, 实务; 班")
    s1 = session(coordinator, p["id"], start="2025-05-12T09:00:00", end="2025-05-13T17:00:00")
    session(coordinator, p["id"], start="2025-07-01T09:00:00", end="2025-07-01T12:00:00")
    may = coordinator.get("/sessions", params={"from": "2025-05-13", "to": "2025-05-31"}).json()
    assert [x["id"] for x in may["items"]] == [s1["id"]]
    assert coordinator.get("/sessions", params={"from": "2025-05-14", "to": "2025-06-30"}).json()["total"] == 0
    assert coordinator.get("/sessions", params={"from": "2025-06-01", "to": "2025-05-01"}).status_code == 422
    r = coordinator.get("/sessions/calendar.ics", params={"from": "2025-05-01", "to": "2025-12-31"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    text = r.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTART:20250512T010000Z" in text  # 09:00 in Hangzhou
    assert "SUMMARY:纠纷调解\\, 实务\\; 班" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_bad_date_in_the_calendar_query_names_the_parameter(coordinator):
    r = coordinator.get("/sessions", params={"from": "2025-13-01"})
    assert r.status_code == 422 and r.json()["field"] == "from"
    r = coordinator.get("/sessions/calendar.ics", params={"to": "someday"})
    assert r.status_code == 400 and r.json()["field"] == "to"
