"""Certificates and registration cycles over HTTP: the refusals write nothing,
restoring after a lapse, the cycle's CPD window, access (D-8)."""
from __future__ import annotations

import pytest

from tests.certs.support import ASSISTANT, CITY, GONGSHU, SENIOR, SOCIAL_WORKER, XIHU, Certs, holders


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def problem(r, status, code, field=None, clause=None):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    if clause is not None:
        assert body["clause"] == clause, body
    assert body["detail_zh"]
    return body


def count(certs, path, **params):
    return certs.officer(CITY).get(path, params=params).json()["total"]


def test_bad_certificates_write_nothing(certs):
    certs.worker("王芳")
    certs.certified("王芳", ASSISTANT, "2019-09-01")
    problem(certs.certificate("王芳", SOCIAL_WORKER, "2019-09-01", exam_year=2017), 422, "exam_year_mismatch",
            "exam_year")
    problem(certs.certificate("王芳", ASSISTANT, "2021-09-01"), 409, "level_already_held", "level", "D-5")
    r = certs.officer().post("/certificates", json={"worker_id": certs.workers["王芳"], "level": 3, "number": "x",
                                                    "exam_year": 2019, "passed_on": "2019-09-01"})
    problem(r, 400, "validation_failed", "level")
    r = certs.officer().post("/certificates", json={"worker_id": 999999, "level": ASSISTANT, "number": "x",
                                                    "exam_year": 2019, "passed_on": "2019-09-01"})
    problem(r, 404, "not_found", "worker_id")
    assert count(certs, "/certificates") == 1


def test_senior_review_rules(certs):
    certs.worker("王芳")
    plain = certs.certified("王芳", SOCIAL_WORKER, "2019-09-01")
    problem(certs.officer().post(f"/certificates/{plain}/review",
                                 json={"outcome": "passed", "reviewed_on": "2020-01-01"}),
            409, "review_not_applicable", clause="D-5")
    senior = certs.certified("王芳", SENIOR, "2021-10-01")
    problem(certs.officer().post(f"/certificates/{senior}/review",
                                 json={"outcome": "passed", "reviewed_on": "2021-09-01"}),
            422, "review_before_exam", "reviewed_on")
    assert certs.officer().post(f"/certificates/{senior}/review",
                                json={"outcome": "failed", "reviewed_on": "2022-01-10"}).status_code == 200
    problem(certs.officer().post(f"/certificates/{senior}/review",
                                 json={"outcome": "passed", "reviewed_on": "2022-02-10"}),
            409, "review_already_recorded")
    r = certs.officer().get(f"/certificates/{senior}")
    assert r.json()["qualified_on"] is None and r.json()["registration"]["state"] == "unregistered"


def test_restoring_after_a_lapse_needs_the_lapsed_cycles_hours(certs):
    certs.worker("王芳", login=True)
    certs.certified("王芳", ASSISTANT, "2021-09-01")
    certs.registered("王芳", "2021-10-01")  # valid until 2024-09-30
    assert certs.cpd("王芳", "40", "2023-01-10").status_code == 201
    problem(certs.register("王芳", "2024-11-15"), 422, "cpd_hours_short", clause="D-5")
    assert certs.cpd("王芳", "32", "2024-11-01").status_code == 201
    reg = certs.registered("王芳", "2024-11-15")
    assert (reg["kind"], reg["cycle"], reg["valid_from"], reg["valid_until"]) == (
        "restore", 2, "2024-11-15", "2027-11-14")
    assert reg["cpd_counted_hours"] == "72.00"
    # the daily check had not run: the lapse is recorded and published now, once
    [lapsed] = certs.outbox("registration.lapsed")
    assert lapsed["lapsed_on"] == "2024-10-01"
    certs.run_job("registration_check", "2024-11-16")
    assert len(certs.outbox("registration.lapsed")) == 1
    history = certs.officer().get(f"/certificates/{certs.certificates['王芳']}/registrations",
                                  params={"as_of": "2024-11-16"}).json()
    assert [(h["cycle"], h["ended"], h["state"]) for h in history] == [(1, "lapsed", "lapsed"), (2, None, "active")]


def test_hours_of_one_cycle_do_not_count_for_the_next(certs):
    certs.worker("王芳")
    certs.certified("王芳", ASSISTANT, "2019-09-01")
    certs.registered("王芳", "2019-10-01")
    assert certs.cpd("王芳", "72", "2022-07-01").status_code == 201  # on the day of the renewal: this cycle's
    renewal = certs.registered("王芳", "2022-07-01")
    assert renewal["kind"] == "renewal" and renewal["valid_from"] == "2022-10-01"
    assert certs.cpd("王芳", "71.99", "2025-01-01").status_code == 201
    body = problem(certs.register("王芳", "2025-07-01"), 422, "cpd_hours_short")
    assert body["extra"] == {"required_hours": "72.00", "counted_hours": "71.99", "counted_from": "2022-07-02"}


def test_hours_must_be_positive_with_two_decimals(certs):
    certs.worker("王芳")
    for bad in ("0", "-3", "1.005", "NaN", "100000"):
        problem(certs.cpd("王芳", bad, "2024-01-01"), 422, "invalid_hours", "hours")
    problem(certs.cpd("王芳", None, "2024-01-01"), 422, "hours_required", "hours")
    problem(certs.cpd("王芳", "3", "2099-01-01"), 422, "date_in_future", "credited_on")
    assert certs.officer().get(f"/profiles/{certs.workers['王芳']}/cpd").json() == []


def test_registration_list_by_state(certs):
    for name, passed, registered in (("甲", "2021-09-01", "2021-10-01"), ("乙", "2022-03-01", "2022-04-01")):
        certs.worker(name)
        certs.certified(name, ASSISTANT, passed)
        certs.registered(name, registered)
    due = certs.officer().get("/registrations", params={"state": "due", "as_of": "2024-08-01"}).json()
    assert [i["name"] for i in due["items"]] == ["甲"]
    active = certs.officer().get("/registrations", params={"state": "active", "as_of": "2024-08-01"}).json()
    assert [i["name"] for i in active["items"]] == ["乙"]
    problem(certs.officer().get("/registrations", params={"state": "sleeping"}), 422, "unknown_state", "state")


def test_access_d8(certs):
    wid = certs.worker("王芳", login=True)
    other = certs.worker("李明", XIHU, login=True)
    cid = certs.certified("王芳", ASSISTANT, "2024-09-01")
    me = certs.as_worker("王芳")
    assert me.get(f"/profiles/{wid}").status_code == 200
    assert me.get(f"/profiles/{other}").status_code == 404
    assert me.get(f"/profiles/{other}/service-record").status_code == 404
    problem(me.post(f"/profiles/{wid}/cpd", json={"credited_on": "2024-01-01", "hours": "8"}), 403, "role_not_allowed",
            clause="D-8")
    problem(me.get("/certificates"), 403, "role_not_allowed")
    xihu = certs.officer(XIHU)
    assert xihu.get(f"/certificates/{cid}").status_code == 404
    problem(xihu.post(f"/certificates/{cid}/registrations", json={"registered_on": "2024-10-01"}), 403,
            "outside_jurisdiction", clause="D-8")
    problem(xihu.post("/profiles", json={"worker_id": 777, "name": "新", "jurisdiction": GONGSHU}), 403,
            "outside_jurisdiction")
    assert xihu.get("/certificates").json()["total"] == 0
    # a worker without certificates, and a login that is no worker
    assert certs.as_worker("李明").get("/me/certificates").json()["certificates"] == []
    nobody = certs.suite.api("certs", certs.suite.create_user("coord", "training_coordinator", GONGSHU))
    assert nobody.get("/me/certificates").status_code == 404


def test_import_is_all_or_nothing(certs):
    rows = holders(5, 3, "2016-06-30")
    rows[4]["number"] = rows[1]["number"]
    problem(certs.officer(CITY).post("/certificates/import", json={"items": rows}), 409, "certificate_number_taken",
            "items[4].number")
    rows = holders(5, 3, "2016-06-30")
    rows[2]["level"] = "社工"
    problem(certs.officer(CITY).post("/certificates/import", json={"items": rows}), 422, "unknown_level",
            "items[2].level")
    problem(certs.officer(GONGSHU).post("/certificates/import", json={"items": holders(5, 3, "2016-06-30")}), 403,
            "outside_jurisdiction", "items[0].jurisdiction")
    assert count(certs, "/certificates") == 0 and count(certs, "/profiles") == 0
    assert certs.officer(CITY).post("/certificates/import", json={"items": rows[:2]}).status_code == 201
    # a number already recorded is refused on a later load
    problem(certs.officer(CITY).post("/certificates/import", json={"items": holders(1, 1, "2016-06-30")}), 409,
            "certificate_number_taken", "number")
    assert count(certs, "/certificates") == 2


def test_a_district_policy_version_sets_its_own_hours(certs):
    """D-5 figures are policy: a district's own version from a date applies to
    re-registrations from that date (S3-5 per-jurisdiction tables)."""
    certs.worker("王芳")
    certs.certified("王芳", ASSISTANT, "2021-09-01")
    certs.registered("王芳", "2021-10-01")
    assert certs.cpd("王芳", "72", "2023-05-10").status_code == 201
    rule = certs.officer(CITY).get("/policies/registration_cycle/in-force",
                                   params={"jurisdiction": GONGSHU, "as_of": "2024-01-01"}).json()["value"]
    assert rule["cpd_hours"][ASSISTANT] == 72
    r = certs.suite.api("certs", certs.suite.admin_token).post("/policies/registration_cycle", json={
        "jurisdiction": GONGSHU, "effective_from": "2024-07-15",
        "value": rule | {"cpd_hours": rule["cpd_hours"] | {ASSISTANT: 80}}, "note": "区定 80 学时"})
    assert r.status_code == 201, r.text
    body = problem(certs.register("王芳", "2024-07-20"), 422, "cpd_hours_short")
    assert body["extra"]["required_hours"] == "80.00"
    assert certs.register("王芳", "2024-07-14").status_code == 201  # the city's 72 were in force that day


def test_import_refuses_a_level_held_twice(certs):
    rows = holders(2, 2, "2016-06-30")
    rows[1] |= {"worker_id": rows[0]["worker_id"], "level": rows[0]["level"]}
    problem(certs.officer(CITY).post("/certificates/import", json={"items": rows}), 409, "level_already_held",
            "items[1].level")
    assert certs.officer(CITY).post("/certificates/import", json={"items": rows[:1]}).status_code == 201
    again = holders(1, 1, "2016-06-30", first_worker_id=100_000)
    again[0]["number"] = "OTHER-1"
    problem(certs.officer(CITY).post("/certificates/import", json={"items": again}), 409, "level_already_held",
            "items[0].level")
