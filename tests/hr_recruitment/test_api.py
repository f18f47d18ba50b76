"""Communities, campaigns and postings over the HR API: the whole run, and the
refusals that must leave nothing behind."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text

from tests.hr_recruitment.helpers import GONGSHU, XIHU, Hr, id_number_for
from tests.support.calendar import ensure_years


@pytest.fixture
def hr(suite) -> Hr:
    return Hr(suite.api("hr", suite.create_user("hr-gongshu", "hr_officer", GONGSHU)))


def outbox_rows(settings, event_type):
    engine = create_engine(settings.database_urls["hr"])
    try:
        with engine.connect() as c:
            rows = c.execute(text("SELECT payload FROM outbox WHERE event_type = :t ORDER BY id"), {"t": event_type})
            return [json.loads(r.payload) if isinstance(r.payload, str) else r.payload for r in rows]
    finally:
        engine.dispose()


def ready_campaign(hr: Hr, places=1, names=("张三", "李四", "王五")):
    """A campaign with one post, three eligible applicants, scored and ranked in the order given."""
    assert hr.community("GS001", 1200, 30).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001", count=places))["id"]
    ids = {}
    for i, name in enumerate(names):
        ids[name] = hr.ok(hr.apply(cid, pid, name, f"199{i}-05-01", education="本科"))["id"]
    hr.ok(hr.review(cid))
    for i, name in enumerate(names):
        hr.ok(hr.scores(cid, ids[name], written=90 - 5 * i, interview=80))
    hr.ok(hr.rank(cid))
    return cid, pid, ids


def test_a_campaign_from_announcement_to_hired_workers(suite, hr):
    cid, _, ids = ready_campaign(hr)
    assert hr.ok(hr.checks(cid, ids["张三"]))["campaign_status"] == "ranked"
    notice = hr.ok(hr.notice(cid, "2025-03-10"))
    assert (notice["ends_on"], notice["working_days"], notice["hire_from"]) == ("2025-03-14", 5, "2025-03-15")
    assert [c["name"] for c in notice["candidates"]] == ["张三"]
    out = hr.ok(hr.hire(cid, "2025-03-17"), 201)
    [h] = out["hired"]
    assert (h["name"], h["post"], h["grade"], h["community_code"]) == ("张三", "委员", 4, "GS001")  # 1 + 本科 3 (D-2)
    assert h["probation_ends_on"] == "2025-09-16" and out["campaign_status"] == "closed"
    worker = hr.ok(hr.api.get(f"/workers/{h['worker_id']}"))
    assert worker["jurisdiction"] == GONGSHU and worker["hired_on"] == "2025-03-17"
    [event] = outbox_rows(suite.settings, "worker.hired")
    assert event["worker_id"] == h["worker_id"] and event["probation_ends_on"] == "2025-09-16"
    assert event["grade"] == 4 and event["community_code"] == "GS001"
    steps = [e["step"] for e in hr.history(cid)]
    assert steps[:2] == ["announce", "add_post"] and steps[-3:] == ["start_notice", "hire", "close"]
    assert {"apply", "review", "score", "rank", "check"} <= set(steps)
    assert hr.staffing("GS001")["headcount"] == 1
    # and the closed campaign takes no more steps
    r = hr.hire(cid, "2025-03-18")
    assert r.status_code == 409 and r.json()["code"] == "step_out_of_order" and r.json()["clause"] == "D-4"


def test_hire_during_the_notice_writes_nothing(suite, hr):
    cid, _, ids = ready_campaign(hr)
    hr.ok(hr.checks(cid, ids["张三"]))
    ensure_years(suite.hr.as_(suite.admin_token))  # five working days from today may reach next year (D-10)
    hr.ok(hr.notice(cid))  # starts today: runs for five working days
    r = hr.hire(cid)
    assert r.status_code == 409, r.text
    assert (r.json()["code"], r.json()["clause"], r.json()["field"]) == ("notice_not_ended", "D-4", "hired_on")
    assert hr.staffing("GS001")["headcount"] == 0
    assert outbox_rows(suite.settings, "worker.hired") == []


def test_hire_dated_inside_a_past_notice_is_refused(hr):
    cid, _, ids = ready_campaign(hr)
    hr.ok(hr.checks(cid, ids["张三"]))
    hr.ok(hr.notice(cid, "2025-03-10"))
    assert hr.hire(cid, "2025-03-14").json()["code"] == "notice_not_ended"


def test_an_open_objection_blocks_the_hire_and_a_dismissed_one_does_not(hr):
    cid, _, ids = ready_campaign(hr)
    hr.ok(hr.checks(cid, ids["张三"]))
    hr.ok(hr.notice(cid, "2025-03-10"))
    oid = hr.ok(hr.objection(cid, ids["张三"], "2025-03-11"))["id"]
    r = hr.hire(cid, "2025-03-17")
    assert r.status_code == 409 and r.json()["code"] == "objection_open"
    # an objection outside the notice period is refused
    late = hr.objection(cid, ids["张三"], "2025-03-15")
    assert late.status_code == 409
    assert late.json()["code"] == "notice_not_running" and late.json()["field"] == "lodged_on"
    assert hr.ok(hr.resolve(cid, oid, "dismissed", "2025-03-13"))["next_in_rank"] is None
    assert [h["name"] for h in hr.ok(hr.hire(cid, "2025-03-17"))["hired"]] == ["张三"]


def test_upheld_objection_passes_the_place_and_the_next_gets_their_own_notice(hr):
    cid, _, ids = ready_campaign(hr)
    hr.ok(hr.checks(cid, ids["张三"]))
    first = hr.ok(hr.notice(cid, "2025-03-10"))
    oid = hr.ok(hr.objection(cid, ids["张三"], "2025-03-12"))["id"]
    out = hr.ok(hr.resolve(cid, oid, "upheld", "2025-03-13"))
    assert out["objection"]["status"] == "upheld" and out["next_in_rank"]["name"] == "李四"
    assert out["campaign_status"] == "notice"
    apps = hr.applications(cid)
    assert apps["张三"]["status"] == "removed" and apps["李四"]["status"] == "selected"
    # the next in rank needs the checks before a notice of their own
    assert hr.notice(cid, "2025-03-17").json()["code"] == "checks_pending"
    hr.ok(hr.checks(cid, ids["李四"]))
    second = hr.ok(hr.notice(cid, "2025-03-17"))
    assert second["id"] != first["id"] and [c["name"] for c in second["candidates"]] == ["李四"]
    assert second["ends_on"] == "2025-03-21"
    assert hr.hire(cid, "2025-03-20").json()["code"] == "notice_not_ended"
    assert [h["name"] for h in hr.ok(hr.hire(cid, "2025-03-24"))["hired"]] == ["李四"]
    steps = [e["step"] for e in hr.history(cid)]
    assert steps.count("start_notice") == 2 and "next_in_rank" in steps


def test_failed_check_passes_the_place_and_no_one_left_closes(hr):
    cid, _, ids = ready_campaign(hr, names=("张三", "李四"))
    out = hr.ok(hr.checks(cid, ids["张三"], physical="fail", background=None))
    assert out["application"]["status"] == "removed" and out["next_in_rank"]["name"] == "李四"
    out = hr.ok(hr.checks(cid, ids["李四"], physical="pass", background="fail"))
    assert out["next_in_rank"] is None and out["campaign_status"] == "closed"


def test_steps_out_of_order(hr):
    assert hr.community("GS001", 1200).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    aid = hr.ok(hr.apply(cid, pid, "张三", "1990-05-01"))["id"]
    for r in (hr.scores(cid, aid, written=80), hr.rank(cid), hr.notice(cid), hr.hire(cid)):
        assert r.status_code == 409 and r.json()["code"] == "step_out_of_order" and r.json()["clause"] == "D-4"
    hr.ok(hr.review(cid))
    for r in (hr.post(cid, "GS001", "副职"), hr.apply(cid, pid, "李四", "1991-05-01"), hr.review(cid), hr.notice(cid)):
        assert r.status_code == 409 and r.json()["code"] == "step_out_of_order"
    # ranking needs every eligible applicant scored
    hr.ok(hr.scores(cid, aid, written=80))
    r = hr.rank(cid)
    assert r.status_code == 409 and r.json()["code"] == "scores_missing" and r.json()["extra"]["applications"] == [aid]


def test_scores_out_of_range_and_precision(hr):
    assert hr.community("GS001", 1200).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    aid = hr.ok(hr.apply(cid, pid, "张三", "1990-05-01"))["id"]
    refused = hr.ok(hr.apply(cid, pid, "老李", "1970-05-01"))["id"]
    hr.ok(hr.review(cid))
    for body, field, code in (({"written": 100.5}, "written", "score_out_of_range"),
                              ({"interview": -1}, "interview", "score_out_of_range"),
                              ({"written": "80.125"}, "written", "score_precision")):
        r = hr.api.put(f"/campaigns/{cid}/applications/{aid}/scores", json=body)
        assert r.status_code == 422 and r.json()["field"] == field and r.json()["code"] == code, r.text
    assert hr.applications(cid)["张三"]["written"] is None
    r = hr.scores(cid, refused, written=80)
    assert r.status_code == 409 and r.json()["code"] == "not_eligible"
    assert hr.ok(hr.scores(cid, aid, written="87.35"))["written"] == "87.35"


def test_csv_upload_all_or_nothing(hr):
    assert hr.community("GS001", 1200).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    people = {n: id_number_for(b) for n, b in (("张三", "1990-05-01"), ("李四", "1991-05-01"))}
    for n, idn in people.items():
        hr.ok(hr.apply(cid, pid, n, f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}", id_number=idn))
    hr.ok(hr.review(cid))
    bad = (f"id_number,name,written,interview\n{people['张三']},张三,80,90\n{people['李四']},李四,abc,90\n"
           f"330105199001010000,无名,70,70\n")
    r = hr.upload(cid, bad)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "csv_rows_invalid" and body["field"] == "row 3: written"
    assert [(e["row"], e["field"]) for e in body["extra"]["rows"]] == [(3, "written"), (4, "id_number")]
    assert all(a["written"] is None for a in hr.applications(cid).values())
    good = f"id_number,name,written,interview\n{people['张三']},张三,80,90\n{people['李四']},李四,75.5,\n"
    assert hr.ok(hr.upload(cid, good.encode("gb18030")))["rows"] == 2  # as Excel in China saves it
    apps = hr.applications(cid)
    assert (apps["张三"]["written"], apps["张三"]["interview"]) == ("80.00", "90.00")
    assert (apps["李四"]["written"], apps["李四"]["interview"]) == ("75.50", None)
    r = hr.upload(cid, "name,score\n张三,80\n")
    assert r.status_code == 422 and r.json()["field"] == "header"
    r = hr.upload(cid, "id_number,written\n" + "9" * 200_000 + ",80\n")  # past the csv module's field limit
    assert r.status_code == 422 and r.json()["code"] == "csv_malformed" and r.json()["field"] == "file"
    r = hr.upload(cid, "id_number,written,interview\n")
    assert r.status_code == 422 and r.json()["code"] == "csv_empty"


def test_a_full_tie_across_the_last_place_must_be_broken_first(hr):
    assert hr.community("GS001", 1200).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    a = hr.ok(hr.apply(cid, pid, "张三", "1990-05-01"))["id"]
    b = hr.ok(hr.apply(cid, pid, "李四", "1991-05-01"))["id"]
    hr.ok(hr.review(cid))
    hr.ok(hr.scores(cid, a, 80, 80))
    hr.ok(hr.scores(cid, b, 80, 80))
    r = hr.rank(cid)
    assert r.status_code == 409 and r.json()["code"] == "unresolved_tie"
    assert hr.campaign_of(cid)["status"] == "examining"
    hr.ok(hr.scores(cid, b, interview="80.5"))
    ranking = hr.ok(hr.rank(cid))
    assert [c["name"] for c in ranking[0]["candidates"]] == ["李四", "张三"]


def test_quota_counts_places_held_by_other_campaigns_and_is_checked_again_at_hire(hr):
    assert hr.community("GS001", 800).status_code == 201  # quota 2
    one = hr.ok(hr.campaign(title="第一批"))["id"]
    hr.ok(hr.post(one, "GS001", count=1))
    two = hr.ok(hr.campaign(title="第二批"))["id"]
    hr.ok(hr.post(two, "GS001", "副职", count=1))
    r = hr.post(two, "GS001", "正职", count=1)
    assert r.status_code == 409 and r.json()["clause"] == "S4-1" and r.json()["extra"]["open_in_campaigns"] == 2
    st = hr.staffing("GS001")
    assert (st["quota"], st["vacancies"], st["open_in_campaigns"], st["available_for_new_posts"]) == (2, 2, 2, 0)
    hr.ok(hr.api.post(f"/campaigns/{two}/cancel", json={"reason": "合并招考"}))
    assert hr.staffing("GS001")["available_for_new_posts"] == 1
    # workers put on the rolls directly while campaign one runs: its hire is refused
    for n in ("甲", "乙"):
        assert hr.worker(n, "GS001").status_code == 201
    pid = hr.campaign_of(one)["posts"][0]["id"]
    aid = hr.ok(hr.apply(one, pid, "张三", "1990-05-01"))["id"]
    hr.ok(hr.review(one))
    hr.ok(hr.scores(one, aid, 80, 80))
    hr.ok(hr.rank(one))
    hr.ok(hr.checks(one, aid))
    hr.ok(hr.notice(one, "2025-03-10"))
    r = hr.hire(one, "2025-03-17")
    assert r.status_code == 409 and r.json()["code"] == "quota_full" and r.json()["clause"] == "S4-1"
    assert (r.json()["extra"]["quota"], r.json()["extra"]["headcount"], r.json()["extra"]["adding"]) == (2, 2, 1)
    assert hr.staffing("GS001")["headcount"] == 2 and hr.applications(one)["张三"]["status"] == "selected"


def test_applications_are_checked_on_arrival(hr):
    assert hr.community("GS001", 1200).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    good = id_number_for("1990-05-01")
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    cases = [
        (dict(id_number=bad_check), 422, "id_number_check_digit", "id_number"),
        (dict(born="1990-05-02", id_number=good), 422, "birth_date_mismatch", "birth_date"),
        (dict(education="小学"), 422, "unknown_education", "education"),
        (dict(certificates=["驾驶证"]), 422, "unknown_certificate", "certificates"),
        (dict(records=["parking_ticket"]), 422, "unknown_record_flag", "record_flags"),
    ]
    for kw, status, code, field in cases:
        args = dict(born="1990-05-01") | kw
        r = hr.apply(cid, pid, "张三", args.pop("born"), **args)
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (status, code, field), r.text
    r = hr.api.post(f"/campaigns/{cid}/applications", json={"post_id": 999, "name": "张三", "id_number": good,
                                                            "birth_date": "1990-05-01", "education": "本科",
                                                            "household_registration": "杭州"})
    assert r.status_code == 422 and r.json()["field"] == "post_id"
    hr.ok(hr.apply(cid, pid, "张三", "1990-05-01", id_number=good))
    r = hr.apply(cid, pid, "张三", "1990-05-01", id_number=good)
    assert r.status_code == 409 and r.json()["code"] == "already_applied"
    assert len(hr.applications(cid)) == 1


def test_another_district(suite, hr):
    assert hr.community("GS001", 1200).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    xihu = Hr(suite.api("hr", suite.create_user("hr-xihu", "hr_officer", XIHU)))
    r = xihu.post(cid, "GS001")
    assert r.status_code == 403 and r.json()["code"] == "outside_jurisdiction" and r.json()["clause"] == "D-8"
    assert xihu.api.get(f"/campaigns/{cid}").status_code == 404
    assert xihu.api.get("/communities/GS001/staffing").status_code == 404
    assert xihu.ok(xihu.api.get("/campaigns"))["total"] == 0
    # a Xihu campaign cannot take a Gongshu community
    xc = xihu.ok(xihu.campaign(jurisdiction=XIHU))["id"]
    r = xihu.post(xc, "GS001")
    assert r.status_code == 422 and r.json()["field"] == "community_code"
    assert xihu.community("GS009", 100, district=GONGSHU).status_code == 403
    city = Hr(suite.api("hr", suite.create_user("hr-city", "hr_officer", "hangzhou")))
    assert city.ok(city.api.get("/communities"))["total"] == 1


def test_postings_on_a_workers_record(suite, hr):
    assert hr.community("GS001", 1200).status_code == 201
    wid = hr.ok(hr.worker("王芳", "GS001", hired_on="2020-03-01"))["id"]
    p = hr.ok(hr.api.post(f"/workers/{wid}/postings", json={
        "kind": "secondment", "host_unit": "拱墅区民政局", "starts_on": "2024-03-01", "ends_on": "2024-08-31"}))
    assert (p["kind_zh"], p["clause"]) == ("挂职锻炼", "S4-8")
    r = hr.api.post(f"/workers/{wid}/postings", json={
        "kind": "exchange", "host_unit": "西湖区某社区", "starts_on": "2024-08-01"})
    assert r.status_code == 409 and r.json()["code"] == "posting_overlaps"
    hr.ok(hr.api.post(f"/workers/{wid}/postings", json={
        "kind": "exchange", "host_unit": "西湖区某社区", "starts_on": "2024-09-01"}))
    me = suite.api("hr", suite.create_user("wangfang", "worker", GONGSHU, worker_id=wid))
    assert [x["kind"] for x in me.get(f"/workers/{wid}/postings").json()] == ["secondment", "exchange"]
    other = hr.ok(hr.worker("李明", "GS001", hired_on="2024-03-01"))["id"]
    assert me.get(f"/workers/{other}/postings").status_code == 404
    r = hr.api.post(f"/workers/{other}/postings", json={
        "kind": "exchange", "host_unit": "西湖区某社区", "starts_on": "2025-09-01"})
    assert r.status_code == 409 and r.json()["code"] == "no_transfer_period" and r.json()["clause"] == "D-4"
    assert hr.api.get(f"/workers/{other}/postings").json() == []


def test_policy_figures_are_versions(suite, hr):
    admin = suite.api("hr", suite.admin_token)
    r = admin.post("/policies/recruitment", json={
        "jurisdiction": GONGSHU, "effective_from": "2025-01-01",
        "value": {"written_weight_bp": 6000, "interview_weight_bp": 5000}})
    assert r.status_code == 422 and r.json()["clause"] == "D-4"
    r = admin.post("/policies/recruitment", json={
        "jurisdiction": GONGSHU, "effective_from": "2025-01-01",
        "value": {"written_weight_bp": 6000, "interview_weight_bp": 4000, "notice_working_days": 7}})
    assert r.status_code == 201, r.text
    cid, _, ids = ready_campaign(hr)
    ranking = hr.ok(hr.api.get(f"/campaigns/{cid}/ranking"))
    assert ranking[0]["candidates"][0]["composite"] == "86.00"  # 90 × 60% + 80 × 40%
    hr.ok(hr.checks(cid, ids["张三"]))
    assert hr.ok(hr.notice(cid, "2025-03-10"))["ends_on"] == "2025-03-18"  # 7 working days
    keys = {k["key"]: k["clause"] for k in hr.ok(hr.api.get("/policies/keys"))}
    assert (keys["work_fund"], keys["work_fund_growth"], keys["party_work_fund"], keys["recruitment"]) == (
        "S4-7a", "S4-7b", "S4-7c", "D-4")


@pytest.mark.postgres
def test_the_run_on_postgresql(pg_suite):
    hr = Hr(pg_suite.api("hr", pg_suite.create_user("hr-gongshu", "hr_officer", GONGSHU)))
    cid, _, ids = ready_campaign(hr)
    hr.ok(hr.checks(cid, ids["张三"]))
    hr.ok(hr.notice(cid, "2025-03-10"))
    assert [h["name"] for h in hr.ok(hr.hire(cid, "2025-03-17"))["hired"]] == ["张三"]
    assert len(outbox_rows(pg_suite.settings, "worker.hired")) == 1


def test_withdrawals(hr):
    cid, _, ids = ready_campaign(hr)
    out = hr.ok(hr.api.post(f"/campaigns/{cid}/applications/{ids['张三']}/withdraw", json={"reason": "本人放弃"}))
    assert out["application"]["status"] == "withdrawn" and out["next_in_rank"]["name"] == "李四"
    r = hr.api.post(f"/campaigns/{cid}/applications/{ids['张三']}/withdraw", json={"reason": "again"})
    assert r.status_code == 409 and r.json()["code"] == "cannot_withdraw"
    # before ranking, a withdrawn applicant is simply not ranked
    assert hr.community("GS002", 400).status_code == 201
    other = hr.ok(hr.campaign(title="第二批"))["id"]
    pid = hr.ok(hr.post(other, "GS002"))["id"]
    a = hr.ok(hr.apply(other, pid, "赵一", "1990-05-01"))["id"]
    b = hr.ok(hr.apply(other, pid, "钱二", "1991-05-01"))["id"]
    hr.ok(hr.review(other))
    hr.ok(hr.scores(other, a, 80, 80))
    hr.ok(hr.api.post(f"/campaigns/{other}/applications/{b}/withdraw", json={"reason": "未参加面试"}))
    ranking = hr.ok(hr.rank(other))
    assert [c["name"] for c in ranking[0]["candidates"]] == ["赵一"]


def test_nobody_eligible_closes_the_campaign_at_ranking(hr):
    assert hr.community("GS001", 1200).status_code == 201
    cid = hr.ok(hr.campaign())["id"]
    pid = hr.ok(hr.post(cid, "GS001"))["id"]
    hr.ok(hr.apply(cid, pid, "老张", "1960-05-01"))
    [refused] = hr.ok(hr.review(cid))
    assert refused["status"] == "refused" and refused["refusals"][0]["code"] == "too_old"
    hr.ok(hr.rank(cid))
    assert hr.campaign_of(cid)["status"] == "closed"
    assert hr.staffing("GS001")["open_in_campaigns"] == 0


def test_openapi_lists_the_recruitment_routes(suite):
    paths = suite.hr.get("/schema/openapi.json").json()["paths"]
    for p in ("/communities/{code}/staffing", "/communities/{code}/work-fund", "/campaigns/{campaign_id}/scores/csv",
              "/campaigns/{campaign_id}/hire", "/workers/{worker_id}/postings"):
        assert p in paths


def test_the_shared_refusals_for_dates_and_years(hr):
    """One code and one wording for a date after today (applied, checked, lodged, hired), a start
    after an end, a posting before the hire, and a year outside the API's range."""
    later = (date.today() + timedelta(days=2)).isoformat()
    cid, pid, ids = ready_campaign(hr)
    r = hr.checks(cid, ids["张三"], checked_on=later)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "date_in_future", "checked_on"), r.text
    hr.ok(hr.checks(cid, ids["张三"]))
    hr.ok(hr.notice(cid, "2025-03-10"))
    r = hr.objection(cid, ids["张三"], later)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "date_in_future", "lodged_on")
    r = hr.hire(cid, later)
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "date_in_future", "hired_on")
    assert hr.staffing("GS001")["headcount"] == 0
    other = hr.ok(hr.campaign(title="第二批"))["id"]
    post = hr.ok(hr.post(other, "GS001"))["id"]
    r = hr.api.post(f"/campaigns/{other}/applications", json={
        "post_id": post, "name": "赵一", "id_number": id_number_for("1990-05-01"), "birth_date": "1990-05-01",
        "education": "本科", "household_registration": "杭州", "applied_on": later})
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "date_in_future", "applied_on")
    r = hr.api.get("/communities/GS001/work-fund", params={"year": 1800})
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (422, "invalid_year", "year")
    wid = hr.ok(hr.worker("王芳", "GS001", hired_on="2020-03-01"))["id"]
    for body, code, field in (({"starts_on": "2024-05-01", "ends_on": "2024-04-30"}, "ends_before_start", "ends_on"),
                              ({"starts_on": "2020-02-29"}, "before_hire", "starts_on")):
        r = hr.api.post(f"/workers/{wid}/postings", json={"kind": "secondment", "host_unit": "拱墅区民政局"} | body)
        assert (r.status_code, r.json()["code"], r.json()["field"], r.json()["clause"]) == (422, code, field, "S4-8")


def test_the_campaign_list_gives_each_campaigns_posts_and_applications_in_a_few_statements(suite, hr):
    from tests.hr.helpers import StatementCounter, service

    cid, pid, _ = ready_campaign(hr)
    other = hr.ok(hr.campaign(title="第二批"))["id"]
    other_post = hr.ok(hr.post(other, "GS001"))["id"]
    listed = {c["id"]: c for c in hr.ok(hr.api.get("/campaigns"))["items"]}
    assert listed[cid]["applications"] == {"selected": 1, "standby": 2}
    assert [p["id"] for p in listed[cid]["posts"]] == [pid]
    assert (listed[other]["applications"], [p["id"] for p in listed[other]["posts"]]) == ({}, [other_post])
    assert hr.campaign_of(cid)["applications"] == {"selected": 1, "standby": 2}
    engine = service(suite).db.engine
    with StatementCounter(engine) as two:
        hr.ok(hr.api.get("/campaigns"))
    for i in range(3):
        hr.ok(hr.campaign(title=f"第{i + 3}批"))
    with StatementCounter(engine) as five:
        assert hr.ok(hr.api.get("/campaigns"))["total"] == 5
    assert five.count == two.count  # no statement per campaign listed
