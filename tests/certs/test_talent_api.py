"""Leader-talent rounds over HTTP: the states in order, the refusals that
write nothing, who may run which step (D-7, S1-2, D-8)."""
from __future__ import annotations

import pytest

from tests.certs.support import CITY, GONGSHU, XIHU, Certs, eligible_worker, score_sheet
from tests.certs.test_registration_api import problem

CRITERIA = ("integrity", "recognition", "results", "training", "certificate")


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def open_round(certs, quota=1, **quotas):
    r = certs.officer(CITY).post("/talent-rounds", json={
        "name": "领军人才", "jurisdiction": CITY, "city_quota": quota, "opened_on": "2025-03-01",
        "district_quotas": quotas or {GONGSHU: 2, XIHU: 2},
    })
    assert r.status_code == 201, r.text
    return r.json()["id"]


def nominate(certs, rid, name, district=GONGSHU):
    return certs.officer(district).post(f"/talent-rounds/{rid}/nominations",
                                        json={"worker_id": certs.workers[name], "nominated_on": "2025-04-01"})


def marks(value="80"):
    return {c: value for c in CRITERIA}


def test_round_setup_is_checked(certs):
    city = certs.officer(CITY)
    body = {"name": "x", "jurisdiction": CITY, "city_quota": 5, "opened_on": "2025-03-01",
            "district_quotas": {"shanghai.pudong": 3}}
    problem(city.post("/talent-rounds", json=body), 422, "district_outside_round", "district_quotas.shanghai.pudong",
            "D-7")
    problem(city.post("/talent-rounds", json=body | {"district_quotas": {}}), 422, "no_district_quotas")
    problem(city.post("/talent-rounds", json=body | {"city_quota": 0, "district_quotas": {GONGSHU: 1}}), 400,
            "validation_failed", "city_quota")
    problem(certs.officer(GONGSHU).post("/talent-rounds", json=body | {"district_quotas": {GONGSHU: 1}}), 403,
            "outside_jurisdiction", clause="D-8")


def test_steps_in_order_and_by_whom(certs):
    rid = open_round(certs)
    eligible_worker(certs, "王芳", GONGSHU)
    eligible_worker(certs, "李明", GONGSHU)
    problem(certs.officer(CITY).post(f"/talent-rounds/{rid}/close-nominations"), 409, "no_nominations")
    assert nominate(certs, rid, "王芳").status_code == 201
    problem(nominate(certs, rid, "王芳"), 409, "already_nominated")
    # a district officer reads the round but does not run the city's steps
    assert certs.officer(GONGSHU).get(f"/talent-rounds/{rid}").status_code == 200
    problem(certs.officer(GONGSHU).post(f"/talent-rounds/{rid}/close-nominations"), 403, "outside_jurisdiction")
    for step in ("rank", "notice", "finalise"):
        body = {"starts_on": "2025-09-01"} if step == "notice" else {"on": "2025-09-01"}
        r = certs.officer(CITY).post(f"/talent-rounds/{rid}/{step}", json=body)
        assert problem(r, 409, "round_step_out_of_order", "state", "D-7")["extra"]["state"] == "nominating"
    problem(certs.officer(CITY).post(f"/talent-rounds/{rid}/scores", json=score_sheet("e", {1: marks()})), 409,
            "round_step_out_of_order")
    assert certs.officer(CITY).post(f"/talent-rounds/{rid}/close-nominations").status_code == 200
    problem(nominate(certs, rid, "李明"), 409, "round_step_out_of_order")


def test_scores_are_checked_and_every_nominee_needs_the_panel(certs):
    rid = open_round(certs)
    wid = eligible_worker(certs, "王芳", GONGSHU)
    other = eligible_worker(certs, "李明", GONGSHU)
    assert nominate(certs, rid, "王芳").status_code == 201
    assert certs.officer(CITY).post(f"/talent-rounds/{rid}/close-nominations").status_code == 200
    city = certs.officer(CITY)
    path = f"/talent-rounds/{rid}/scores"
    problem(city.post(path, json=score_sheet("e1", {wid: marks() | {"results": "-1"}})), 422, "score_out_of_range",
            "entries[0].scores.results")
    problem(city.post(path, json=score_sheet("e1", {wid: marks() | {"results": "80.125"}})), 422, "score_out_of_range")
    problem(city.post(path, json=score_sheet("e1", {wid: {"integrity": "80"}})), 422, "criteria_mismatch",
            "entries[0].scores")
    problem(city.post(path, json=score_sheet("e1", {other: marks()})), 422, "not_nominated", "entries[0].worker_id")
    assert city.post(path, json=score_sheet("e1", {wid: marks("60")})).status_code == 200
    assert city.post(path, json=score_sheet("e1", {wid: marks("70.5")})).status_code == 200  # replaces e1's sheet
    assert city.post(path, json=score_sheet("e2", {wid: marks("70.5")})).status_code == 200
    body = problem(city.post(f"/talent-rounds/{rid}/rank"), 409, "scores_missing", clause="D-7")
    assert body["extra"] == {"workers": [wid]}
    assert city.post(path, json=score_sheet("e3", {wid: marks("70.5")})).status_code == 200
    assert city.post(f"/talent-rounds/{rid}/rank").status_code == 200
    [nom] = city.get(f"/talent-rounds/{rid}/nominations").json()
    assert nom["composite"] == "70.50" and nom["means"]["results"] == "70.50" and nom["outcome"] == "selected"


def _ranked(certs, quota=1):
    rid = open_round(certs, quota)
    for name in ("王芳", "李明", "张伟"):
        eligible_worker(certs, name, GONGSHU if name != "张伟" else XIHU)
    assert nominate(certs, rid, "王芳").status_code == 201
    assert nominate(certs, rid, "李明").status_code == 201
    assert nominate(certs, rid, "张伟", XIHU).status_code == 201
    city = certs.officer(CITY)
    assert city.post(f"/talent-rounds/{rid}/close-nominations").status_code == 200
    sheet = {certs.workers["王芳"]: marks("90"), certs.workers["李明"]: marks("80"), certs.workers["张伟"]: marks("70")}
    for e in ("e1", "e2", "e3"):
        assert city.post(f"/talent-rounds/{rid}/scores", json=score_sheet(e, sheet)).status_code == 200
    assert city.post(f"/talent-rounds/{rid}/rank").status_code == 200
    return rid


def test_objections_and_finalising(certs):
    rid = _ranked(certs)
    city = certs.officer(CITY)
    r = city.post(f"/talent-rounds/{rid}/notice", json={"starts_on": "2025-09-29"})
    assert r.json()["notice_ends_on"] == "2025-10-11"  # across the National Day holiday
    objection = {"worker_id": certs.workers["李明"], "raised_on": "2025-09-30", "grounds": "x"}
    problem(city.post(f"/talent-rounds/{rid}/objections", json=objection), 409, "not_on_notice", clause="S1-2")
    objection["worker_id"] = certs.workers["王芳"]
    problem(city.post(f"/talent-rounds/{rid}/objections", json=objection | {"raised_on": "2025-09-28"}), 409,
            "objection_outside_notice")
    oid = city.post(f"/talent-rounds/{rid}/objections", json=objection).json()["id"]
    problem(city.post(f"/talent-rounds/{rid}/finalise", json={"on": "2025-10-20"}), 409, "objections_pending")
    decision = {"outcome": "dismissed", "decided_on": "2025-10-09", "decision": "查无实据"}
    problem(city.post(f"/talent-rounds/{rid}/objections/{oid}/decision", json=decision | {"outcome": "maybe"}), 422,
            "unknown_outcome")
    decided = city.post(f"/talent-rounds/{rid}/objections/{oid}/decision", json=decision).json()
    assert decided["outcome"] == "dismissed" and decided["substitute"] is None
    problem(city.post(f"/talent-rounds/{rid}/objections/{oid}/decision", json=decision), 409, "objection_decided")
    problem(city.post(f"/talent-rounds/{rid}/finalise", json={"on": "2025-10-11"}), 409, "notice_not_over")
    [d] = city.post(f"/talent-rounds/{rid}/finalise", json={"on": "2025-10-13"}).json()
    assert d["worker_id"] == certs.workers["王芳"]
    assert city.get(f"/talent-rounds/{rid}").json()["state"] == "final"
    problem(city.post(f"/talent-rounds/{rid}/finalise", json={"on": "2025-10-14"}), 409, "round_step_out_of_order")
    mine = certs.suite.create_user("w-wf", "worker", GONGSHU, worker_id=certs.workers["王芳"])
    terms = certs.suite.api("certs", mine).get("/me/certificates").json()["leader_talent_terms"]
    assert [t["term_ends_on"] for t in terms] == ["2028-10-12"]


def test_upheld_objection_without_a_reserve_leaves_the_place_empty(certs):
    rid = open_round(certs, 1, **{GONGSHU: 1})
    eligible_worker(certs, "王芳", GONGSHU)
    assert nominate(certs, rid, "王芳").status_code == 201
    city = certs.officer(CITY)
    city.post(f"/talent-rounds/{rid}/close-nominations")
    for e in ("e1", "e2", "e3"):
        city.post(f"/talent-rounds/{rid}/scores", json=score_sheet(e, {certs.workers["王芳"]: marks()}))
    city.post(f"/talent-rounds/{rid}/rank")
    city.post(f"/talent-rounds/{rid}/notice", json={"starts_on": "2025-06-02"})
    oid = city.post(f"/talent-rounds/{rid}/objections", json={
        "worker_id": certs.workers["王芳"], "raised_on": "2025-06-03", "grounds": "x"}).json()["id"]
    r = city.post(f"/talent-rounds/{rid}/objections/{oid}/decision",
                  json={"outcome": "upheld", "decided_on": "2025-06-04", "decision": "属实"})
    assert r.json()["substitute"] is None
    assert city.post(f"/talent-rounds/{rid}/finalise", json={"on": "2025-06-10"}).json() == []
    assert certs.outbox("talent.selected") == []


def test_a_leaver_is_withdrawn_and_a_term_ends(certs):
    from datetime import date

    from shared.events import WorkerLeft

    rid = _ranked(certs, quota=2)
    city = certs.officer(CITY)
    city.post(f"/talent-rounds/{rid}/notice", json={"starts_on": "2025-06-02"})
    certs.deliver(WorkerLeft(worker_id=certs.workers["李明"], jurisdiction=GONGSHU, left_on=date(2025, 6, 5)))
    designations = city.post(f"/talent-rounds/{rid}/finalise", json={"on": "2025-06-10"}).json()
    assert [d["name"] for d in designations] == ["王芳"]
    noms = {n["name"]: n["status"] for n in city.get(f"/talent-rounds/{rid}/nominations").json()}
    assert noms == {"王芳": "active", "李明": "withdrawn", "张伟": "active"}
    certs.deliver(WorkerLeft(worker_id=certs.workers["王芳"], jurisdiction=GONGSHU, left_on=date(2026, 1, 31)))
    assert city.get("/leader-talents", params={"as_of": "2026-01-30"}).json()["total"] == 1
    assert city.get("/leader-talents", params={"as_of": "2026-01-31"}).json()["total"] == 0
    r = city.get(f"/profiles/{certs.workers['王芳']}/supervisor-eligibility", params={"as_of": "2029-01-01"})
    assert r.json()["eligible"] is False  # the term was cut short


def test_eligibility_is_explained(certs):
    rid = open_round(certs)
    eligible_worker(certs, "王芳", GONGSHU)
    certs.worker("赵磊", GONGSHU, hired_on="2021-03-01")
    city = certs.officer(CITY)
    ok = city.get(f"/talent-rounds/{rid}/eligibility/{certs.workers['王芳']}").json()
    assert ok["eligible"] and ok["facts"] == {"service_years": 10, "levels_held": ["助理社会工作师"],
                                                "assessments": {"2022": "合格", "2023": "合格", "2024": "合格"}}
    no = city.get(f"/talent-rounds/{rid}/eligibility/{certs.workers['赵磊']}").json()
    assert [r["code"] for r in no["reasons"]] == ["service_too_short", "certificate_level_too_low"]
    assert all(r["clause"] == "D-7" and r["detail_zh"] for r in no["reasons"])
