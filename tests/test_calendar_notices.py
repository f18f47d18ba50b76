"""The 公示 periods counted on the calendar loaded (D-10): recruitment's notice
(D-4) on hr and the talent round's notice (D-7) on certs, over a loaded year,
and reaching a year with no calendar: 409 ``calendar_not_loaded`` naming that
year, nothing written; once an administrator loads it the same notice runs."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine, text

from shared.workdays import WorkCalendar, YearDays
from tests.certs.support import CITY, Certs, eligible_worker, score_sheet
from tests.hr_recruitment.helpers import GONGSHU, XIHU, Hr

CRITERIA = ("integrity", "recognition", "results", "training", "certificate")
D = date.fromisoformat


def last_loaded(api) -> int:
    return max(y["year"] for y in api.get("/calendar").json())


def refused_for(r, year: int, field: str) -> None:
    assert r.status_code == 409, r.text
    body = r.json()
    assert (body["code"], body["clause"], body["field"], body["extra"]) == (
        "calendar_not_loaded", "D-10", field, {"year": year})
    assert str(year) in body["detail"] and str(year) in body["detail_zh"]


# --- recruitment (D-4) ------------------------------------------------------


@pytest.fixture
def hr(suite) -> Hr:
    return Hr(suite.api("hr", suite.create_user("hr-gongshu", "hr_officer", GONGSHU)))


def checked_campaign(hr: Hr) -> int:
    """A campaign whose first-ranked candidate passed both checks, ready for a notice."""
    assert hr.community("GS001", 1200, 30).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    aid = hr.ok(hr.apply(cid, pid, "张三", "1990-05-01"))["id"]
    hr.ok(hr.review(cid))
    hr.ok(hr.scores(cid, aid, written=90, interview=80))
    hr.ok(hr.rank(cid))
    hr.ok(hr.checks(cid, aid))
    return cid


def test_a_recruitment_notice_counts_the_loaded_holidays(hr):
    cid = checked_campaign(hr)
    notice = hr.ok(hr.notice(cid, "2025-09-29"))
    # 29, 30 Sept; 1-8 Oct National Day; 9, 10 Oct; Saturday 11 Oct worked in exchange
    assert (notice["ends_on"], notice["hire_from"]) == ("2025-10-11", "2025-10-12")


def test_a_recruitment_notice_reaching_an_unloaded_year_is_refused_until_it_is_loaded(suite, hr):
    cid = checked_campaign(hr)
    year = last_loaded(hr.api)
    starts_on = f"{year}-12-28"  # at most four working days are left in the year
    refused_for(hr.notice(cid, starts_on), year + 1, "starts_on")
    assert hr.ok(hr.api.get(f"/campaigns/{cid}/notices")) == []
    assert hr.campaign_of(cid)["status"] == "ranked"
    assert "start_notice" not in [e["step"] for e in hr.history(cid)]
    # the administrator loads the next year, 1 January a holiday: the same notice now runs into it
    loaded = {"holidays": [f"{year + 1}-01-01"], "source": "国务院办公厅通知"}
    assert suite.api("hr", suite.admin_token).put(f"/calendar/{year + 1}", json=loaded).status_code == 200
    last = hr.ok(hr.api.get(f"/calendar/{year}"))["in_force"]
    cal = WorkCalendar.of([YearDays(year, tuple(map(D, last["holidays"])), tuple(map(D, last["working_days"]))),
                           YearDays(year + 1, (date(year + 1, 1, 1),))])
    expected = cal.add_working_days(D(starts_on), 5)
    assert expected.year == year + 1 and expected != date(year + 1, 1, 1)
    assert hr.ok(hr.notice(cid, starts_on))["ends_on"] == expected.isoformat()


# --- the talent round (D-7) -------------------------------------------------


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def ranked_round(certs, names=("王芳", "李明")) -> int:
    """A round opened in 2025 with one place, ranked in the order of ``names``."""
    city = certs.officer(CITY)
    r = city.post("/talent-rounds", json={"name": "领军人才", "jurisdiction": CITY, "city_quota": 1,
                                         "opened_on": "2025-03-01", "district_quotas": {GONGSHU: 2, XIHU: 2}})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    for name in names:
        eligible_worker(certs, name, GONGSHU)
        assert certs.officer(GONGSHU).post(f"/talent-rounds/{rid}/nominations", json={
            "worker_id": certs.workers[name], "nominated_on": "2025-04-01"}).status_code == 201
    assert city.post(f"/talent-rounds/{rid}/close-nominations").status_code == 200
    sheet = {certs.workers[n]: {c: str(90 - 10 * i) for c in CRITERIA} for i, n in enumerate(names)}
    for expert in ("e1", "e2", "e3"):
        assert city.post(f"/talent-rounds/{rid}/scores", json=score_sheet(expert, sheet)).status_code == 200
    assert city.post(f"/talent-rounds/{rid}/rank").status_code == 200
    return rid


def test_a_talent_round_notice_counts_the_loaded_holidays(certs):
    rid = ranked_round(certs)
    r = certs.officer(CITY).post(f"/talent-rounds/{rid}/notice", json={"starts_on": "2025-09-29"})
    assert r.status_code == 200, r.text
    assert r.json()["notice_ends_on"] == "2025-10-11"


def test_a_talent_round_notice_reaching_an_unloaded_year_writes_nothing(certs):
    rid = ranked_round(certs)
    city = certs.officer(CITY)
    year = last_loaded(city)
    refused_for(city.post(f"/talent-rounds/{rid}/notice", json={"starts_on": f"{year}-12-28"}), year + 1,
                "starts_on")
    assert city.get(f"/talent-rounds/{rid}").json()["state"] == "ranked"
    assert {n["notice_starts_on"] for n in city.get(f"/talent-rounds/{rid}/nominations").json()} == {None}


def test_a_substitute_notice_reaching_an_unloaded_year_undoes_the_decision(suite, certs):
    rid = ranked_round(certs)
    city = certs.officer(CITY)
    assert city.post(f"/talent-rounds/{rid}/notice", json={"starts_on": "2025-12-22"}).status_code == 200
    oid = city.post(f"/talent-rounds/{rid}/objections", json={
        "worker_id": certs.workers["王芳"], "raised_on": "2025-12-23", "grounds": "x"}).json()["id"]
    _unload(suite.settings, "certs", 2026)  # as a deployment would be whose calendar ends in 2025
    decision = {"outcome": "upheld", "decided_on": "2025-12-31", "decision": "属实"}
    refused_for(city.post(f"/talent-rounds/{rid}/objections/{oid}/decision", json=decision), 2026, "decided_on")
    [objection] = city.get(f"/talent-rounds/{rid}/objections").json()
    assert objection["outcome"] is None
    outcomes = {n["name"]: n["outcome"] for n in city.get(f"/talent-rounds/{rid}/nominations").json()}
    assert outcomes == {"王芳": "selected", "李明": "reserve"}


def _unload(settings, service: str, year: int) -> None:
    engine = create_engine(settings.database_urls[service])
    try:
        with engine.begin() as c:
            c.execute(text("DELETE FROM work_calendar WHERE year = :y"), {"y": year})
    finally:
        engine.dispose()
