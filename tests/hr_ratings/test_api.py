"""Community ratings over HTTP (S1-4): access (D-8), the order of the steps,
the refusals that leave nothing behind, objections both ways, statistics."""
from __future__ import annotations

import pytest

from tests.hr.org_helpers import DISTRICT, EAST, WEST, community, street
from tests.hr_ratings.helpers import PANEL, Ratings
from tests.hr_recruitment.helpers import GONGSHU, XIHU, Hr


def officer(suite, name, jurisdiction, role="hr_officer"):
    api = suite.api("hr", suite.create_user(name, role, jurisdiction))
    return Hr(api), Ratings(api)


@pytest.fixture
def gs(suite):
    hr, rt = officer(suite, "hr-gs", GONGSHU)
    for code in ("GS101", "GS102"):
        hr.ok(hr.community(code, 1200), 201)
    return rt


def ranked_round(rt, *entries, scores=(80, 80)):
    rid = rt.ok(rt.open_round(2025, GONGSHU), 201)["id"]
    for code, level in entries:
        rt.ok(rt.apply(rid, code, level), 201)
    panel = rt.panel(rid)
    rt.ok(rt.review(rid))
    rt.score_all(rid, panel, *scores)
    rt.ok(rt.rank(rid))
    return rid


def problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.json()["code"] == code, r.text
    return r.json()


def test_officers_elsewhere_and_other_roles(suite, gs):
    rid = gs.ok(gs.open_round(2025, GONGSHU), 201)["id"]
    _, xihu = officer(suite, "hr-xihu", XIHU)
    problem(xihu.api.get(f"/rating-rounds/{rid}"), 404, "not_found")
    problem(xihu.apply(rid, "GS101", "规范"), 403, "outside_jurisdiction")
    problem(xihu.open_round(2025, GONGSHU), 403, "outside_jurisdiction")
    assert xihu.ok(xihu.api.get("/rating-rounds"))["items"] == []
    _, coordinator = officer(suite, "tc-gs", GONGSHU, "training_coordinator")
    problem(coordinator.api.get(f"/rating-rounds/{rid}"), 403, "role_not_allowed")
    problem(coordinator.api.get("/community-ratings/summary", params={"year": 2025}), 403, "role_not_allowed")
    assert gs.applications(rid) == {}


def test_a_round_is_a_districts_or_a_streets_and_one_a_year(gs):
    problem(gs.api.post("/rating-rounds", json={"year": 2025, "jurisdiction": "hangzhou", "title": "x"}), 403,
            "outside_jurisdiction")
    gs.ok(gs.open_round(2025, GONGSHU), 201)
    problem(gs.open_round(2025, GONGSHU), 409, "rating_round_exists")
    problem(gs.api.post("/rating-rounds", json={"year": 2025, "jurisdiction": "Not A Path", "title": "x"}), 400,
            "validation_failed")


def test_a_city_round_is_refused(suite):
    city = Ratings(suite.hr.as_(suite.admin_token))
    problem(city.open_round(2025, "hangzhou"), 422, "rating_jurisdiction_level")


def test_applications_stars_duplicates_and_withdrawal(gs):
    rid = gs.ok(gs.open_round(2025, GONGSHU), 201)["id"]
    problem(gs.apply(rid, "GS101", "规范", stars=3), 422, "stars_not_allowed")
    problem(gs.apply(rid, "GS101", "金牌"), 422, "unknown_rating_level")
    problem(gs.apply(rid, "NOPE", "规范"), 404, "not_found")
    a = gs.ok(gs.apply(rid, "GS101", "规范"), 201)
    problem(gs.apply(rid, "GS101", "规范"), 409, "already_applied")
    out = gs.ok(gs.api.post(f"/rating-rounds/{rid}/applications/{a['id']}/withdraw", json={"reason": "材料未齐"}))
    assert out["status"] == "withdrawn"
    problem(gs.apply(rid, "GS101", "规范"), 409, "already_applied")  # one application per community and round
    problem(gs.review(rid), 409, "no_applications")
    b = gs.ok(gs.apply(rid, "GS102", "规范"), 201)
    gs.ok(gs.review(rid))
    problem(gs.api.post(f"/rating-rounds/{rid}/applications/{b['id']}/withdraw", json={"reason": "x"}), 409,
            "round_not_open")
    problem(gs.apply(rid, "GS101", "规范"), 409, "round_not_open")


def test_ranking_needs_a_full_panel_and_every_sheet(gs):
    rid = gs.ok(gs.open_round(2025, GONGSHU), 201)["id"]
    aid = gs.ok(gs.apply(rid, "GS101", "规范"), 201)["id"]
    panel = gs.panel(rid, PANEL[:4])
    gs.ok(gs.review(rid))
    problem(gs.score(rid, aid, 999, 80, 80), 422, "unknown_reviewer")
    gs.score_all(rid, panel)
    out = problem(gs.rank(rid), 409, "panel_too_small")
    assert out["extra"] == {"reviewers": 4, "needed": 5}
    fifth = gs.ok(gs.reviewer(rid, PANEL[4]), 201)["id"]
    out = problem(gs.rank(rid), 409, "scores_missing")
    assert out["extra"]["missing"] == [[aid, fifth]]
    assert gs.ok(gs.api.get(f"/rating-rounds/{rid}"))["status"] == "reviewing"
    gs.ok(gs.score(rid, aid, fifth, 50, 50))
    gs.ok(gs.score(rid, aid, fifth, 100, 90))  # entered again: replaces the first sheet
    sheets = gs.ok(gs.api.get(f"/rating-rounds/{rid}/applications/{aid}/scores"))
    assert [s["mark"] for s in sheets if s["reviewer_id"] == fifth] == ["94.00"]
    ranking = gs.ok(gs.rank(rid))
    assert ranking["levels"][0]["applications"][0]["score"] == "80.00"  # 94 and one 80 dropped
    problem(gs.score(rid, aid, fifth, 70, 70), 409, "round_not_reviewing")


def test_a_dismissed_objection_keeps_the_result(gs):
    rid = ranked_round(gs, ("GS101", "规范"))
    aid = gs.applications(rid)["GS101"]["id"]
    problem(gs.object(rid, aid, "2025-05-06"), 409, "round_not_notice")
    notice = gs.ok(gs.notice(rid, "2025-04-30"), 201)["notice"]
    assert notice["ends_on"] == "2025-05-09" and notice["working_days"] == 5
    problem(gs.object(rid, aid, "2025-05-12"), 409, "notice_not_running")
    oid = gs.ok(gs.object(rid, aid, "2025-05-06"), 201)["id"]
    problem(gs.finalise(rid, "2025-05-12"), 409, "objection_open")
    problem(gs.resolve(rid, oid, "dismissed", "2025-05-05"), 422, "bad_resolution_date")
    out = gs.ok(gs.resolve(rid, oid, "dismissed", "2025-05-07"))
    assert (out["objection"]["status"], out["application"]["status"]) == ("dismissed", "proposed")
    problem(gs.resolve(rid, oid, "upheld", "2025-05-07"), 409, "objection_resolved")
    final = gs.ok(gs.finalise(rid, "2025-05-12"))
    assert [(x["year"], x["level"], x["effective_from"]) for x in final["results"]] == [(2025, "规范", "2025-05-12")]
    problem(gs.api.post(f"/rating-rounds/{rid}/cancel"), 409, "rating_round_not_cancelled")


def test_nobody_above_the_pass_mark_has_no_notice(gs):
    rid = ranked_round(gs, ("GS101", "规范"), scores=(50, 50))
    assert gs.applications(rid)["GS101"]["status"] == "failed"
    problem(gs.notice(rid, "2025-04-30"), 409, "nobody_to_announce")
    assert gs.ok(gs.api.post(f"/rating-rounds/{rid}/cancel"))["status"] == "cancelled"
    gs.ok(gs.open_round(2025, GONGSHU), 201)  # a cancelled round makes room for another


def test_summary_is_the_callers_jurisdiction(suite, gs):
    gs.full_round(2024, GONGSHU, [("GS101", "规范", None), ("GS102", "规范", None)])
    out = gs.ok(gs.api.get("/community-ratings/summary", params={"year": 2024}))
    assert out["units"] == [{"unit": GONGSHU, "counts": {"规范": 2, "星级": 0, "花园": 0}, "stars": {}, "total": 2}]
    assert out["totals"] == {"规范": 2, "星级": 0, "花园": 0}
    assert gs.ok(gs.api.get("/community-ratings/summary", params={"year": 2023}))["units"] == []
    _, xihu = officer(suite, "hr-xihu", XIHU)
    assert xihu.ok(xihu.api.get("/community-ratings/summary", params={"year": 2024}))["units"] == []
    problem(gs.api.get("/community-ratings/summary", params={"year": 2024, "by": "city"}), 400, "validation_failed")


@pytest.mark.postgres
def test_a_round_and_its_statistics_on_postgresql(pg_suite):
    hr, rt = officer(pg_suite, "hr-gs", GONGSHU)
    for code in ("GS101", "GS102"):
        hr.ok(hr.community(code, 1200), 201)
    rt.full_round(2023, GONGSHU, [("GS101", "规范", None)])
    rt.full_round(2024, GONGSHU, [("GS101", "星级", 2), ("GS102", "规范", None)])
    out = rt.ok(rt.api.get("/community-ratings/summary", params={"year": 2024, "by": "street"}))
    assert out["units"] == [{"unit": "(no street)", "counts": {"规范": 1, "星级": 1, "花园": 0}, "stars": {"2": 1},
                             "total": 2}]
    ratings = hr.ok(hr.api.get("/communities/GS101"))["ratings"]
    assert [(x["year"], x["level"], x["stars"]) for x in ratings] == [(2023, "规范", None), (2024, "星级", 2)]


def test_summary_by_street_counts_each_street_and_a_street_officer_sees_their_own(suite):
    """D-17: a community's rating counts under its street; the district sees both, a street its own."""
    street(suite, DISTRICT, "east", "东街道")
    street(suite, DISTRICT, "west", "西街道")
    community(suite, "GS201", EAST)
    community(suite, "GS202", WEST)
    community(suite, "GS203", EAST)
    _, gs = officer(suite, "hr-gs", GONGSHU)
    gs.full_round(2024, GONGSHU, [("GS201", "规范", None), ("GS202", "规范", None), ("GS203", "规范", None)])
    by_street = gs.ok(gs.api.get("/community-ratings/summary", params={"year": 2024, "by": "street"}))
    assert {u["unit"]: u["total"] for u in by_street["units"]} == {EAST: 2, WEST: 1}
    by_district = gs.ok(gs.api.get("/community-ratings/summary", params={"year": 2024, "by": "district"}))
    assert [(u["unit"], u["total"]) for u in by_district["units"]] == [(GONGSHU, 3)]
    _, west = officer(suite, "hr-west", WEST)
    mine = west.ok(west.api.get("/community-ratings/summary", params={"year": 2024, "by": "street"}))
    assert [(u["unit"], u["counts"]["规范"]) for u in mine["units"]] == [(WEST, 1)]
