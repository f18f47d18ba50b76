"""No fact dated in the future: every dated record certs keeps refuses a day
after today with the one code ``date_in_future``, naming the field and the
clause, and writes nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest

from shared.web import today
from tests.certs.support import ASSISTANT, CITY, GONGSHU, SENIOR, Certs


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def refused(r, field: str, clause: str) -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert (body["code"], body["field"], body["clause"]) == ("date_in_future", field, clause), body
    assert body["detail_zh"]


def test_a_registration_dated_tomorrow_is_refused_and_today_is_taken(certs):
    day = today()
    certs.worker("王芳")
    cid = certs.certified("王芳", ASSISTANT, (day - timedelta(days=30)).isoformat())
    refused(certs.register("王芳", (day + timedelta(days=1)).isoformat()), "registered_on", "D-5")
    assert certs.officer().get(f"/certificates/{cid}/registrations").json() == []
    assert certs.register("王芳", day.isoformat()).status_code == 201


def test_every_dated_certs_record_refuses_tomorrow(certs):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    wid = certs.worker("王芳")
    officer = certs.officer()
    refused(officer.post("/profiles", json={"worker_id": 99_001, "name": "新", "jurisdiction": GONGSHU,
                                            "hired_on": tomorrow}), "hired_on", "D-4")
    refused(officer.post(f"/profiles/{wid}/assessments", json={"year": today().year + 1, "grade": "合格"}),
            "year", "D-1")
    refused(certs.cpd("王芳", "8", tomorrow), "credited_on", "D-5")
    refused(officer.post(f"/profiles/{wid}/service-record", json={"kind": "award", "title": "最美社工",
                                                                   "started_on": tomorrow}), "started_on", "S2-4")
    refused(certs.certificate("王芳", ASSISTANT, tomorrow), "passed_on", "D-5")
    refused(officer.post("/certificates/import", json={"items": [{
        "worker_id": 99_002, "name": "导入", "jurisdiction": GONGSHU, "level": ASSISTANT, "number": "F0001",
        "exam_year": today().year, "passed_on": tomorrow}]}), "items[0].passed_on", "D-5")
    senior = certs.certified("王芳", SENIOR, (today() - timedelta(days=60)).isoformat())
    refused(officer.post(f"/certificates/{senior}/review", json={"outcome": "passed", "reviewed_on": tomorrow}),
            "reviewed_on", "D-5")
    refused(officer.post("/exam-entries", json={"worker_id": wid, "exam_year": today().year, "level": ASSISTANT,
                                                "entered_on": tomorrow}), "entered_on", "S3-7")
    city = certs.officer(CITY)
    refused(city.post("/talent-rounds", json={"name": "领军人才", "jurisdiction": CITY, "city_quota": 5,
                                              "district_quotas": {GONGSHU: 2}, "opened_on": tomorrow}),
            "opened_on", "D-7")
    assert officer.get("/certificates").json()["total"] == 1  # only the senior one recorded
    assert city.get("/profiles/99001").status_code == 404 and city.get("/profiles/99002").status_code == 404
