"""The certs worker's side: HR's and training's events through the inbox (each
once), and the daily registration check (once per day)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.events import AssessmentRecorded, CpdCredited, SessionCompleted, WorkerHired, WorkerLeft
from tests.certs.support import ASSISTANT, CITY, GONGSHU, XIHU, Certs, id_number


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def hired(wid=501, name="王芳", jurisdiction=GONGSHU, on=date(2018, 3, 1)) -> WorkerHired:
    return WorkerHired(worker_id=wid, name=name, post="委员", grade=1, community_code=None, jurisdiction=jurisdiction,
                       hired_on=on)


def test_worker_hired_opens_the_profile_once_and_a_rehire_reopens_it(certs):
    event = hired()
    assert certs.deliver(event) == 1
    assert certs.deliver(event) == 0  # the same message again
    p = certs.officer(CITY).get("/profiles/501").json()
    assert (p["name"], p["jurisdiction"], p["hired_on"], p["community_worker"], p["real_name_registered"]) == (
        "王芳", GONGSHU, "2018-03-01", True, False)
    certs.deliver(WorkerLeft(worker_id=501, jurisdiction=GONGSHU, left_on=date(2020, 1, 1)))
    certs.deliver(hired(jurisdiction=XIHU, on=date(2021, 5, 1)))
    p = certs.officer(CITY).get("/profiles/501").json()
    assert (p["jurisdiction"], p["hired_on"], p["left_on"]) == (XIHU, "2021-05-01", None)


def test_a_profile_from_hr_is_registered_under_real_name_before_its_certificate(certs):
    certs.deliver(hired())
    certs.workers["王芳"] = 501
    certs.certified("王芳", ASSISTANT, "2024-09-01")
    assert certs.register("王芳", "2024-10-01").json()["code"] == "real_name_required"
    r = certs.officer().post("/profiles/501/real-name", json={"name": "王芳", "id_number": id_number(501)})
    assert r.status_code == 200 and r.json()["id_number_masked"].count("*") == 8
    assert certs.register("王芳", "2024-10-01").status_code == 201


def test_worker_left_closes_open_registrations(certs):
    wid = certs.worker("王芳")
    certs.certified("王芳", ASSISTANT, "2021-09-01")
    certs.registered("王芳", "2021-10-01")
    certs.deliver(WorkerLeft(worker_id=wid, jurisdiction=GONGSHU, left_on=date(2023, 6, 30)))
    [reg] = certs.officer().get(f"/certificates/{certs.certificates['王芳']}/registrations").json()
    assert (reg["ended"], reg["ended_on"], reg["state"]) == ("closed", "2023-06-30", "closed")
    certs.run_job("registration_check", "2024-10-02")
    assert certs.outbox("registration.lapsed") == []  # closed, not lapsed
    assert certs.register("王芳", "2024-08-01").json()["code"] == "worker_left"


def test_assessments_feed_talent_eligibility(certs):
    wid = certs.worker("王芳", hired_on="2015-03-01")
    certs.certified("王芳", ASSISTANT, "2019-09-01")
    for year, grade in ((2022, "合格"), (2023, "基本合格"), (2024, "优秀")):
        certs.deliver(AssessmentRecorded(worker_id=wid, jurisdiction=GONGSHU, year=year, grade=grade))
    rid = certs.officer(CITY).post("/talent-rounds", json={
        "name": "x", "jurisdiction": CITY, "city_quota": 1, "opened_on": "2025-03-01", "district_quotas": {GONGSHU: 1},
    }).json()["id"]
    no = certs.officer(CITY).get(f"/talent-rounds/{rid}/eligibility/{wid}").json()
    assert [r["code"] for r in no["reasons"]] == ["assessment_below_pass"]
    # HR corrects the 2023 grade: the later event replaces it
    certs.deliver(AssessmentRecorded(worker_id=wid, jurisdiction=GONGSHU, year=2023, grade="合格"))
    assert certs.officer(CITY).get(f"/talent-rounds/{rid}/eligibility/{wid}").json()["eligible"] is True


def test_cpd_credited_counts_once_and_session_completed_not_at_all(certs):
    wid = certs.worker("王芳")
    certs.certified("王芳", ASSISTANT, "2021-09-01")
    certs.registered("王芳", "2021-10-01")
    credit = CpdCredited(worker_id=wid, jurisdiction=GONGSHU, hours=Decimal("36"), credited_on=date(2023, 3, 1),
                         session_id=7, programme_id=3)
    session = SessionCompleted(worker_id=wid, jurisdiction=GONGSHU, session_id=7, programme_id=3, tier="all",
                               category="continuing", hours=Decimal("36"), completed_on=date(2023, 3, 1))
    assert certs.deliver(credit) == 1
    assert certs.deliver(credit) == 0  # redelivered
    assert certs.deliver(session) == 0  # no handler: its hours arrive as cpd.credited
    assert certs.register("王芳", "2024-07-01").json()["extra"]["counted_hours"] == "36.00"
    certs.deliver(CpdCredited(worker_id=wid, jurisdiction=GONGSHU, hours=Decimal("36"), credited_on=date(2023, 4, 1)))
    assert certs.register("王芳", "2024-07-01").status_code == 201


def test_a_degree_from_an_event_counts_the_policy_hours_once(certs):
    wid = certs.worker("王芳")
    for year in (2022, 2024):
        certs.deliver(CpdCredited(worker_id=wid, jurisdiction=GONGSHU, hours=Decimal("120"),
                                  credited_on=date(year, 6, 30), source="degree"))
    ledger = certs.officer().get(f"/profiles/{wid}/cpd").json()
    assert [(c["hours"], c["reported_hours"]) for c in ledger] == [("90.00", "120.00"), ("0.00", "120.00")]
    assert ledger[1]["note"] == "degree already credited once (D-5)"
    # nor can an officer credit it again
    assert certs.cpd("王芳", None, "2024-07-01", source="degree").json()["code"] == "degree_already_credited"


def test_cpd_for_a_worker_without_a_profile_waits_for_it(certs):
    certs.deliver(CpdCredited(worker_id=501, jurisdiction=GONGSHU, hours=Decimal("8"), credited_on=date(2024, 1, 5)))
    certs.deliver(hired())
    assert [c["hours"] for c in certs.officer().get("/profiles/501/cpd").json()] == ["8.00"]


def test_the_daily_check_runs_once_per_day(certs):
    certs.worker("王芳")
    certs.certified("王芳", ASSISTANT, "2021-09-01")
    certs.registered("王芳", "2021-10-01")
    assert certs.run_job("registration_check", "2024-07-02") is True
    assert certs.run_job("registration_check", "2024-07-02") is False
    [reminder] = certs.officer().get("/reminders").json()["items"]
    assert (reminder["days_before"], reminder["valid_until"], reminder["name"]) == (90, "2024-09-30", "王芳")
    # a check that missed days sends only the reminder of the band it lands in
    assert certs.run_job("registration_check", "2024-09-10") is True
    assert sorted(r["days_before"] for r in certs.officer().get("/reminders").json()["items"]) == [30, 90]
    # each reminder is also an event (D-5)
    assert sorted((e["days_before"], e["valid_until"]) for e in certs.outbox("registration.reminder")) == [
        (30, "2024-09-30"), (90, "2024-09-30")]
    # reminders are the officers' of the district
    assert certs.officer(XIHU).get("/reminders").json()["total"] == 0
