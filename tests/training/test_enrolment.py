"""Enrolment over HTTP: first come first served, the waitlist moving up at once,
overlap refusal, eligibility by tier and programme, cancellation, and D-8."""
from __future__ import annotations

from tests.training.helpers import (
    GONGSHU,
    XIHU,
    add_worker,
    enrol,
    import_roster,
    programme,
    session,
    to_csv,
    worker_with_login,
)


def test_first_come_first_served_and_the_waitlist_moves_up_at_once(coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=2)
    a, b, c, d = (add_worker(coordinator, n) for n in "甲乙丙丁")
    got = [enrol(coordinator, s["id"], w).json() for w in (a, b, c, d)]
    assert [(e["status"], e["waitlist_position"]) for e in got] == [
        ("enrolled", None), ("enrolled", None), ("waitlisted", 1), ("waitlisted", 2)]
    view = coordinator.get(f"/sessions/{s['id']}").json()
    assert (view["enrolled"], view["waitlisted"], view["seats_left"]) == (2, 2, 0)

    r = coordinator.post(f"/enrolments/{got[0]['id']}/cancel", json={"reason": "工作冲突"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["enrolment"]["status"] == "cancelled" and body["enrolment"]["cancel_reason"] == "工作冲突"
    assert [(e["worker_id"], e["status"], e["promoted"]) for e in body["promoted"]] == [(c, "enrolled", True)]
    assert coordinator.get(f"/enrolments/{got[3]['id']}").json()["waitlist_position"] == 1
    # cancelling a waitlisted place frees no seat
    r = coordinator.post(f"/enrolments/{got[3]['id']}/cancel", json={})
    assert r.status_code == 200 and r.json()["promoted"] == []
    # a place cannot be cancelled twice
    assert coordinator.post(f"/enrolments/{got[3]['id']}/cancel", json={}).status_code == 409
    listing = coordinator.get(f"/sessions/{s['id']}/enrolments", params={"status": "enrolled"}).json()
    assert [e["worker_id"] for e in listing] == [b, c]



def test_a_workers_places_show_each_sessions_own_waitlist_position(coordinator):
    p = programme(coordinator)
    first = session(coordinator, p["id"], capacity=1, start="2025-05-12T09:00:00", end="2025-05-12T17:00:00")
    second = session(coordinator, p["id"], capacity=1, start="2025-05-19T09:00:00", end="2025-05-19T17:00:00")
    a, b, c, me = (add_worker(coordinator, n) for n in "甲乙丙戊")
    for s, ahead in ((first, [a, b]), (second, [a, b, c])):
        for w in ahead:
            assert enrol(coordinator, s["id"], w).status_code == 201
        assert enrol(coordinator, s["id"], me).json()["status"] == "waitlisted"
    mine = coordinator.get(f"/workers/{me}/enrolments").json()
    assert [(e["session_id"], e["waitlist_position"]) for e in mine] == [(first["id"], 2), (second["id"], 3)]
    others = coordinator.get(f"/sessions/{second['id']}/enrolments").json()
    assert [(e["worker_id"], e["waitlist_position"]) for e in others] == [(a, None), (b, 1), (c, 2), (me, 3)]

def test_overlapping_sessions_are_refused_with_409(coordinator):
    p = programme(coordinator)
    morning = session(coordinator, p["id"], start="2025-05-12T09:00:00", end="2025-05-12T12:00:00")
    overlapping = session(coordinator, p["id"], start="2025-05-12T11:00:00", end="2025-05-12T15:00:00")
    afternoon = session(coordinator, p["id"], start="2025-05-12T12:00:00", end="2025-05-12T17:00:00")
    w = add_worker(coordinator, "王芳")
    assert enrol(coordinator, morning["id"], w).status_code == 201
    r = enrol(coordinator, overlapping["id"], w)
    assert r.status_code == 409
    assert r.json()["code"] == "overlapping_session" and r.json()["field"] == "session_id"
    assert r.json()["extra"]["overlapping_session_id"] == morning["id"]
    assert enrol(coordinator, afternoon["id"], w).status_code == 201  # back to back is fine
    # the same session twice is a conflict too
    assert enrol(coordinator, morning["id"], w).json()["code"] == "already_enrolled"
    # once the morning place is cancelled, the overlapping session is open to them
    mine = coordinator.get(f"/workers/{w}/enrolments").json()
    coordinator.post(f"/enrolments/{mine[0]['id']}/cancel", json={})
    coordinator.post(f"/enrolments/{mine[1]['id']}/cancel", json={})
    assert enrol(coordinator, overlapping["id"], w).status_code == 201


def test_a_waitlisted_place_also_counts_for_overlap(coordinator):
    p = programme(coordinator)
    full = session(coordinator, p["id"], capacity=1, start="2025-05-12T09:00:00", end="2025-05-12T12:00:00")
    other = session(coordinator, p["id"], start="2025-05-12T10:00:00", end="2025-05-12T11:00:00")
    a, b = add_worker(coordinator, "甲"), add_worker(coordinator, "乙")
    enrol(coordinator, full["id"], a)
    assert enrol(coordinator, full["id"], b).json()["status"] == "waitlisted"
    assert enrol(coordinator, other["id"], b).status_code == 409


def test_eligibility_by_tier_post_and_designation(coordinator):
    lead_goose = programme(coordinator, title="领头雁书记主任班", tier="secretary_director", category="party_school")
    leaders = programme(coordinator, title="领军人才专项", tier="leader_talent", category="leader_talent")
    deputies = programme(coordinator, title="副职专题", eligible_posts=["副职"])
    s1, s2, s3 = (session(coordinator, p["id"], start=f"2025-05-1{i}T09:00:00", end=f"2025-05-1{i}T17:00:00")
                  for i, p in enumerate((lead_goose, leaders, deputies), start=2))
    director = add_worker(coordinator, "书记", post="正职")
    member = add_worker(coordinator, "委员甲", post="委员")
    talent = add_worker(coordinator, "人才", post="副职", designations="leader_talent")

    assert enrol(coordinator, s1["id"], director).status_code == 201
    r = enrol(coordinator, s1["id"], member)
    assert r.status_code == 422
    assert r.json()["code"] == "not_eligible_for_tier" and r.json()["clause"] == "S0-4"
    assert r.json()["field"] == "worker_id"
    r = enrol(coordinator, s2["id"], director)
    assert r.status_code == 422 and r.json()["clause"] == "S2-6"
    assert enrol(coordinator, s2["id"], talent).status_code == 201
    assert enrol(coordinator, s3["id"], member).json()["code"] == "not_eligible_for_programme"
    assert enrol(coordinator, s3["id"], talent).status_code == 201
    assert coordinator.get(f"/sessions/{s1['id']}").json()["enrolled"] == 1


def test_a_session_is_for_its_jurisdiction(suite, coordinator, city_coordinator):
    xihu = suite.api("training", suite.create_user("tc-xihu", "training_coordinator", XIHU))
    city_prog = programme(city_coordinator)
    city_session = session(city_coordinator, city_prog["id"])
    xihu_prog = programme(xihu)
    xihu_session = session(xihu, xihu_prog["id"], start="2025-06-12T09:00:00", end="2025-06-12T17:00:00")
    gongshu_worker = add_worker(coordinator, "拱墅")
    xihu_worker = add_worker(xihu, "西湖", jurisdiction=XIHU)
    # a district coordinator enrols their own workers in a city session
    assert enrol(coordinator, city_session["id"], gongshu_worker).status_code == 201
    # another district's worker or session does not exist for them (D-8)
    assert enrol(coordinator, city_session["id"], xihu_worker).status_code == 404
    assert enrol(coordinator, xihu_session["id"], gongshu_worker).status_code == 404
    # the city coordinator sees both but a Gongshu worker cannot sit a Xihu session
    r = enrol(city_coordinator, xihu_session["id"], gongshu_worker)
    assert r.status_code == 422 and r.json()["code"] == "outside_session_jurisdiction"


def test_workers_enrol_and_cancel_themselves_and_see_only_their_own(suite, coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=1)
    me, as_me = worker_with_login(suite, coordinator, "王芳")
    other, as_other = worker_with_login(suite, coordinator, "李明")
    mine = enrol(as_me, s["id"])
    assert mine.status_code == 201 and mine.json()["worker_id"] == me and mine.json()["status"] == "enrolled"
    theirs = enrol(as_other, s["id"]).json()
    assert theirs["status"] == "waitlisted"
    # enrolling, reading or cancelling someone else's answers 404 (D-8)
    assert enrol(as_me, s["id"], other).status_code == 404
    assert as_me.get(f"/enrolments/{theirs['id']}").status_code == 404
    assert as_me.post(f"/enrolments/{theirs['id']}/cancel", json={}).status_code == 404
    assert as_me.get(f"/workers/{other}/ledger").status_code == 404
    assert as_me.get(f"/sessions/{s['id']}/enrolments").status_code == 403
    # cancelling my own place seats the head of the waitlist
    r = as_me.post(f"/enrolments/{mine.json()['id']}/cancel", json={"reason": "生病"})
    assert r.status_code == 200 and [e["worker_id"] for e in r.json()["promoted"]] == [other]
    assert [e["status"] for e in as_other.get("/me/enrolments").json()] == ["enrolled"]
    assert [e["status"] for e in as_me.get("/me/enrolments").json()] == ["cancelled"]
    assert as_me.get(f"/workers/{me}/enrolments").status_code == 200


def test_an_hr_officer_may_not_enrol(suite, coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"])
    w = add_worker(coordinator, "甲")
    hr = suite.api("training", suite.create_user("hr-g", "hr_officer", GONGSHU))
    r = enrol(hr, s["id"], w)
    assert r.status_code == 403 and r.json()["clause"] == "D-8"


def test_a_coordinator_must_name_the_worker(coordinator):
    p = programme(coordinator)
    s = session(coordinator, p["id"])
    r = enrol(coordinator, s["id"])
    assert r.status_code == 422 and r.json()["field"] == "worker_id"


def test_bulk_enrolment_from_csv_is_all_or_nothing(coordinator):
    p = programme(coordinator)
    s1 = session(coordinator, p["id"], capacity=2)
    s2 = session(coordinator, p["id"], start="2025-06-12T09:00:00", end="2025-06-12T17:00:00")
    a, b, c = (add_worker(coordinator, n) for n in "甲乙丙")
    bad = to_csv([
        {"session_id": s1["id"], "worker_id": a},
        {"session_id": s1["id"], "worker_id": 999999},
        {"session_id": s1["id"], "worker_id": a},
        {"session_id": 424242, "worker_id": b},
        {"session_id": "x", "worker_id": b},
    ], ["session_id", "worker_id"])
    r = coordinator.post("/enrolments/import", content=bad, headers={"content-type": "text/csv"})
    assert r.status_code == 422 and r.json()["code"] == "csv_rows_invalid"
    assert [e["field"] for e in r.json()["errors"]] == ["row 6.session_id"]
    bad = b"\n".join(bad.split(b"\r\n")[:5]) + b"\n"
    r = coordinator.post("/enrolments/import", content=bad, headers={"content-type": "text/csv"})
    errors = r.json()["errors"]
    assert [e["field"] for e in errors] == ["row 3.worker_id", "row 4.worker_id", "row 5.session_id"]
    assert "already_enrolled" in errors[1]["reason"]
    assert coordinator.get(f"/sessions/{s1['id']}").json()["enrolled"] == 0  # nothing written

    good = to_csv([{"session_id": s1["id"], "worker_id": w} for w in (a, b, c)]
                  + [{"session_id": s2["id"], "worker_id": a}], ["session_id", "worker_id"])
    r = coordinator.post("/enrolments/import", content=good, headers={"content-type": "text/csv"})
    assert r.status_code == 201, r.text
    assert (r.json()["enrolled"], r.json()["waitlisted"]) == (3, 1)
    assert [e["status"] for e in r.json()["enrolments"]] == ["enrolled", "enrolled", "waitlisted", "enrolled"]


def test_roster_import_names_every_bad_row_and_writes_nothing(coordinator):
    rows = [
        {"worker_id": 1, "name": "甲", "post": "正职", "jurisdiction": GONGSHU, "hired_on": "2019-01-01"},
        {"worker_id": "abc", "name": "乙", "post": "副职", "jurisdiction": GONGSHU},
        {"worker_id": 3, "name": "丙", "post": "主任", "jurisdiction": GONGSHU},
        {"worker_id": 4, "name": "丁", "post": "委员", "jurisdiction": XIHU},
        {"worker_id": 1, "name": "戊", "post": "委员", "jurisdiction": GONGSHU, "hired_on": "2019-02-30"},
        {"worker_id": 6, "name": "己", "post": "委员", "jurisdiction": GONGSHU, "designations": "Leader Talent"},
    ]
    r = import_roster(coordinator, rows)
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == ["row 3.worker_id", "row 4.post", "row 5.jurisdiction", "row 6.worker_id", "row 6.hired_on",
                      "row 7.designations"]
    assert coordinator.get("/roster").json()["total"] == 0
    r = import_roster(coordinator, [rows[0], {**rows[1], "worker_id": 2},
                                    {"worker_id": 3, "name": "丙", "post": "委员", "jurisdiction": GONGSHU,
                                     "designations": "leader_talent;party_member"}])
    assert r.json() == {"rows": 3, "created": 3, "updated": 0}
    r = import_roster(coordinator, [{"worker_id": 3, "name": "丙", "post": "副职", "jurisdiction": GONGSHU}])
    assert r.json() == {"rows": 1, "created": 0, "updated": 1}
    entry = coordinator.get("/roster/3").json()
    assert entry["post"] == "副职" and entry["designations"] == []
    assert coordinator.get("/roster", params={"post": "正职"}).json()["total"] == 1


def test_roster_csv_in_gb18030_and_missing_columns(coordinator):
    body = "worker_id,name,post,jurisdiction\n7,王芳,委员,hangzhou.gongshu\n".encode("gb18030")
    r = coordinator.post("/roster/import", content=body, headers={"content-type": "text/csv"})
    assert r.status_code == 200 and coordinator.get("/roster/7").json()["name"] == "王芳"
    r = coordinator.post("/roster/import", content=b"worker_id,name\n1,x\n", headers={"content-type": "text/csv"})
    assert r.status_code == 422 and r.json()["field"] == "post"


def test_a_district_sees_only_its_own_workers_in_a_city_session(suite, coordinator, city_coordinator):
    xihu = suite.api("training", suite.create_user("tc-xihu", "training_coordinator", XIHU))
    city_session = session(city_coordinator, programme(city_coordinator)["id"])
    mine, theirs = add_worker(coordinator, "拱墅"), add_worker(xihu, "西湖", jurisdiction=XIHU)
    enrol(coordinator, city_session["id"], mine), enrol(xihu, city_session["id"], theirs)
    assert [e["worker_id"] for e in coordinator.get(f"/sessions/{city_session['id']}/enrolments").json()] == [mine]
    assert len(city_coordinator.get(f"/sessions/{city_session['id']}/enrolments").json()) == 2
    # the attendance sheet belongs to whoever runs the session
    assert coordinator.get(f"/sessions/{city_session['id']}/attendance").status_code == 403
    assert city_coordinator.get(f"/sessions/{city_session['id']}/attendance.csv").status_code == 200
