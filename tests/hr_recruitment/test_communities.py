"""A community's households and party members are dated versions (D-11): the
quota (S4-1, S4-3, D-9), the headcount and the work fund (S4-7a/b/c) of a
date use the figures in force then; the past is not rewritten; the history
shows every version, who recorded it, when, why and the quota it gives."""
from __future__ import annotations

import pytest

from shared.web import today
from tests.hr_recruitment.helpers import GONGSHU, XIHU, Hr


@pytest.fixture
def hr(suite) -> Hr:
    return Hr(suite.api("hr", suite.create_user("hr-gongshu", "hr_officer", GONGSHU)))


def register(hr: Hr, code: str, households: int, party_members: int = 0, effective_from: str | None = "2024-01-01",
             **extra) -> dict:
    body = {"code": code, "name": f"{code}社区", "district": GONGSHU, "households": households,
            "party_members": party_members, **extra}
    if effective_from:
        body["effective_from"] = effective_from
    return hr.ok(hr.api.post("/communities", json=body), 201)


def change(hr: Hr, code: str, **body):
    return hr.api.patch(f"/communities/{code}", json=body)


def staffing(hr: Hr, code: str, as_of: str) -> dict:
    return hr.ok(hr.api.get(f"/communities/{code}/staffing", params={"as_of": as_of}))


def test_changed_figures_move_the_quota_from_their_date_only(hr):
    register(hr, "GS001", 1200, 30)
    assert hr.api.post("/communities", json={"code": "GS001", "name": "x", "district": GONGSHU,
                                             "households": 1}).json()["code"] == "community_exists"
    r = change(hr, "GS001", households=1300, party_members=100, effective_from="2025-07-01", reason="新小区交付")
    assert r.status_code == 200, r.text
    assert (r.json()["households"], r.json()["party_members"]) == (1300, 100)  # the latest version
    before, after = staffing(hr, "GS001", "2025-06-30"), staffing(hr, "GS001", "2025-07-01")
    assert (before["base"], before["party_posts"], before["quota"], before["figures_from"]) == (3, 0, 3, "2024-01-01")
    assert (after["base"], after["party_posts"], after["quota"], after["figures_from"]) == (4, 2, 6, "2025-07-01")
    assert staffing(hr, "GS001", "2020-01-01")["quota"] == 3  # before the first version: the first
    assert hr.staffing("GS001")["quota"] == 6
    # one figure given: the other carried from the latest version
    hr.ok(change(hr, "GS001", party_members=99, effective_from="2025-09-01"))
    assert (staffing(hr, "GS001", "2025-09-01")["households"], hr.staffing("GS001")["party_posts"]) == (1300, 0)
    assert hr.api.patch("/communities/GS001", json={"households": -1}).json()["field"] == "households"


def test_the_past_is_not_rewritten(hr):
    register(hr, "GS001", 1200)
    hr.ok(change(hr, "GS001", households=1600, effective_from="2025-07-01"))
    r = change(hr, "GS001", households=2000, effective_from="2025-06-30")
    assert r.status_code == 409 and (r.json()["code"], r.json()["field"], r.json()["clause"]) == (
        "figures_before_latest", "effective_from", "D-11")
    r = change(hr, "GS001", households=2000, effective_from="2025-07-01")
    assert r.status_code == 409 and r.json()["code"] == "figures_exist_for_date"
    r = change(hr, "GS001", effective_from="2025-08-01", reason="nothing to date")
    assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == ("figures_required", "households")
    assert hr.ok(change(hr, "GS001", name="新名称"))["name"] == "新名称"  # the name is a plain field: no version
    assert [v["households"] for v in hr.ok(hr.api.get("/communities/GS001/history"))] == [1200, 1600]
    assert staffing(hr, "GS001", "2025-06-30")["households"] == 1200


def test_the_history_shows_each_version_who_when_why_and_its_quota(suite, hr):
    register(hr, "GS001", 1200, 30, reason="2023 年底户籍统计")
    hr.ok(change(hr, "GS001", households=6500, party_members=150, effective_from="2025-07-01", reason="合并社区"))
    history = hr.ok(hr.api.get("/communities/GS001/history"))
    assert [(v["effective_from"], v["households"], v["party_members"], v["quota"], v["party_posts"], v["capped"],
             v["reason"], v["recorded_by"]) for v in history] == [
        ("2024-01-01", 1200, 30, 3, 0, False, "2023 年底户籍统计", "hr-gongshu"),
        ("2025-07-01", 6500, 150, 15, 2, True, "合并社区", "hr-gongshu")]
    assert all(v["recorded_at"] for v in history)
    # registered without a date: the first version is from today
    register(hr, "GS002", 400, effective_from=None)
    [v] = hr.ok(hr.api.get("/communities/GS002/history"))
    assert (v["effective_from"], v["reason"], v["quota"]) == (today().isoformat(), None, 1)
    xihu = Hr(suite.api("hr", suite.create_user("hr-xihu", "hr_officer", XIHU)))
    assert xihu.api.get("/communities/GS001/history").status_code == 404
    assert hr.api.get("/communities/NOPE/history").status_code == 404


def test_the_work_fund_of_a_year_uses_the_figures_of_1_january(hr):
    register(hr, "GS001", 1000, 50, effective_from="2004-01-01")
    fund_2025 = hr.ok(hr.api.get("/communities/GS001/work-fund", params={"year": 2025}))
    hr.ok(change(hr, "GS001", households=2000, party_members=120, effective_from="2025-07-01"))
    assert hr.ok(hr.api.get("/communities/GS001/work-fund", params={"year": 2025})) == fund_2025
    f2004 = hr.ok(hr.api.get("/communities/GS001/work-fund", params={"year": 2004}))
    assert (f2004["households"], f2004["total_yuan"]) == (1000, "80500.00")
    f2026 = hr.ok(hr.api.get("/communities/GS001/work-fund", params={"year": 2026}))
    assert (f2026["households"], f2026["party_members"], f2026["has_party_committee"]) == (2000, 120, True)


def test_the_headcount_is_of_the_day_asked(hr):
    register(hr, "GS001", 1200)
    a = hr.ok(hr.worker("甲", "GS001", hired_on="2024-03-01"))
    hr.ok(hr.worker("乙", "GS001", hired_on="2024-09-01"))
    hr.ok(hr.api.post(f"/workers/{a['id']}/leave", json={"left_on": "2024-12-31", "reason": "辞职"}))
    assert [staffing(hr, "GS001", d)["headcount"] for d in ("2024-02-29", "2024-03-01", "2024-09-01", "2024-12-31",
                                                            "2025-01-01")] == [0, 1, 2, 2, 1]
    assert staffing(hr, "GS001", "2024-09-01")["vacancies"] == 1


def test_a_transfer_moves_the_worker_between_the_headcounts_from_its_date(hr):
    """D-11: the headcount of a day counts each worker where they were that day."""
    register(hr, "GS001", 1200)
    register(hr, "GS002", 400)  # quota 1
    w = hr.ok(hr.worker("甲", "GS001", hired_on="2020-03-01"))
    r = hr.api.post(f"/workers/{w['id']}/transfers", json={"community_code": "GS002", "effective_on": "2025-09-01",
                                                           "reason": "工作需要"})
    assert r.status_code == 201, r.text
    assert [staffing(hr, c, d)["headcount"] for c in ("GS001", "GS002") for d in ("2025-08-31", "2025-09-01")] == [
        1, 0, 0, 1]
    # GS002's one place is taken from 1 September: a hire dated before it would still be there then
    assert hr.worker("乙", "GS002", hired_on="2025-08-01").status_code == 409
    assert hr.worker("丙", "GS001", hired_on="2025-08-01").status_code == 201


@pytest.mark.postgres
def test_dated_figures_and_transfers_on_postgresql(pg_suite):
    hr = Hr(pg_suite.api("hr", pg_suite.create_user("hr-gongshu", "hr_officer", GONGSHU)))
    test_a_transfer_moves_the_worker_between_the_headcounts_from_its_date(hr)
    hr.ok(change(hr, "GS002", households=800, effective_from="2025-10-01"))
    assert (staffing(hr, "GS002", "2025-09-30")["quota"], staffing(hr, "GS002", "2025-10-01")["quota"]) == (1, 2)
    assert hr.worker("丁", "GS002", hired_on="2025-10-01").status_code == 201
