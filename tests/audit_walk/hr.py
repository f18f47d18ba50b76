"""The HR service's write operations, each with a recipe (see the package); accounts, districts
and streets and the worker's profile are in ``hr_people``, community ratings in ``hr_ratings``."""
from __future__ import annotations

from datetime import timedelta

from shared.web import today
from tests.audit_walk import Call, Recipe, World, calendar_call, hr_people, hr_ratings, ok, policy_call
from tests.audit_walk.hr_world import admin, worker, worker_api
from tests.hr.communities import register
from tests.hr.helpers import CITY, GONGSHU, id_number
from tests.hr.pay_helpers import checker
from tests.hr_recruitment.helpers import Hr, id_number_for
from tests.support.api import Api

THIS = today().year
EXEMPT = {"POST /auth/login": "signs in: the attempt goes to the login log (D-18), no record changes"}


def post(path: str, entity: str, body=None, *, method: str = "POST") -> Recipe:
    """A request on a fresh worker: ``{wid}`` in the path is theirs."""
    def recipe(w: World) -> Call:
        wid = worker(w)
        return Call(admin(w), method, path.format(wid=wid), entity, body)
    return recipe


def probation(w: World) -> Call:
    ends = today() + timedelta(days=5)
    wid = worker(w, hired_on=(ends - timedelta(days=182)).isoformat(), status="probation",
                 probation_ends_on=ends.isoformat())
    return Call(admin(w), "POST", f"/workers/{wid}/probation", "worker",
                {"decision": "confirm", "effective_on": today().isoformat(), "reason": "assessed well"})


def reinstatement(w: World) -> Call:
    wid = worker(w)
    ok(admin(w).post(f"/workers/{wid}/leave", json={"left_on": "2025-05-31", "reason": "resigned"}))
    return Call(admin(w), "POST", f"/workers/{wid}/reinstatement", "worker", {"reason": "resignation withdrawn"})


def assessment(year: int = 2024, grade: str = "合格") -> dict:
    return {"year": year, "grade": grade, "visits": [25] * 12, "performance_score": 80}


def correction(w: World) -> Call:
    wid = worker(w)
    ok(admin(w).post(f"/workers/{wid}/assessments", json=assessment()))
    return Call(admin(w), "POST", f"/workers/{wid}/assessments/2024/corrections", "assessment",
                {"reason": "mis-keyed", "grade": "基本合格"})


def step_run(w: World) -> Call:
    wid = worker(w, grade=3)
    ok(admin(w).post(f"/workers/{wid}/assessments", json=assessment()))
    return Call(admin(w), "POST", "/step-runs", "step_run", {"jurisdiction": CITY, "effective_on": "2025-07-01"})


def supplementary(w: World) -> Call:
    late = worker(w, grade=3)
    ok(admin(w).post(f"/workers/{late}/assessments", json=assessment()))
    return Call(admin(w), "POST", "/step-runs/supplementary", "step_run",
                {"jurisdiction": CITY, "effective_on": "2025-07-01", "reason": "late assessment", "dry_run": False})


def pay_run(w: World, month: str) -> int:
    worker(w)
    return ok(admin(w).post("/pay-runs", json={"jurisdiction": GONGSHU, "month": month}))["id"]


def pay_runs(w: World) -> Call:
    worker(w)
    return Call(admin(w), "POST", "/pay-runs", "pay_run", {"jurisdiction": GONGSHU, "month": "2025-01"})


def submit(w: World) -> Call:
    run = pay_run(w, "2025-02")
    w.ids["submitted"] = run
    return Call(admin(w), "POST", f"/pay-runs/{run}/submit", "pay_run")


def approve(w: World) -> Call:
    run = w.ids.get("submitted") or pay_run(w, "2025-02")
    return Call(checker(w.suite.hr, w.suite.admin_token, CITY), "POST", f"/pay-runs/{run}/approve", "pay_run",
                {"note": "checked"}, actor="checker-hangzhou")


def reject(w: World) -> Call:
    run = pay_run(w, "2025-03")
    ok(admin(w).post(f"/pay-runs/{run}/submit"))
    return Call(checker(w.suite.hr, w.suite.admin_token, CITY), "POST", f"/pay-runs/{run}/reject", "pay_run",
                {"reason": "recheck the allowances"}, actor="checker-hangzhou")


def declaration(person: str = "老大") -> dict:
    return {"kind": "children_education", "monthly_fen": 100_000, "from_month": f"{THIS}-01", "person": person}


def deduction(w: World, *, mine: bool) -> tuple[int, int, Api]:
    wid = worker(w)
    api = worker_api(w, wid) if mine else admin(w)
    path = "/me/tax-deductions" if mine else f"/workers/{wid}/tax-deductions"
    return wid, ok(api.post(path, json=declaration()))["id"], api


def deduction_change(method: str, *, mine: bool) -> Recipe:
    def recipe(w: World) -> Call:
        wid, did, api = deduction(w, mine=mine)
        path = f"/me/tax-deductions/{did}" if mine else f"/workers/{wid}/tax-deductions/{did}"
        return Call(api, method, path, "tax_deduction", {"to_month": f"{THIS}-02"} if method == "PATCH" else None,
                    actor="*" if mine else None)
    return recipe


def my_declaration(w: World) -> Call:
    wid = worker(w)
    return Call(worker_api(w, wid), "POST", "/me/tax-deductions", "tax_deduction", declaration(), actor="*")


def absence_delete(w: World) -> Call:
    wid = worker(w)
    aid = ok(admin(w).post(f"/workers/{wid}/unpaid-absences", json={
        "first_day": "2025-09-02", "last_day": "2025-09-04", "reason": "personal leave"}))["id"]
    return Call(admin(w), "DELETE", f"/workers/{wid}/unpaid-absences/{aid}", "unpaid_absence")


def community(w: World) -> Call:
    return Call(admin(w), "POST", "/communities", "community", {
        "code": "WALK-1", "name": "走查社区", "district": GONGSHU, "households": 3000, "party_members": 10})


def community_change(w: World) -> Call:
    register(admin(w), "WALK-2", GONGSHU, effective_from="2024-01-01")
    return Call(admin(w), "PATCH", "/communities/WALK-2", "community_figures",
                {"households": 3200, "effective_from": "2025-01-01"})


def workers_import(w: World) -> Call:
    worker(w)
    items = [{"name": f"导入{i}", "id_number": id_number(), "jurisdiction": GONGSHU, "post": "委员",
              "hired_on": "2019-03-01", "community_code": "GS-001"} for i in range(2)]
    return Call(admin(w), "POST", "/workers/import", "worker", {"items": items})


RECIPES: dict[str, Recipe] = {
    "POST /policies/{key}": lambda w: policy_call(w, "hr"),
    "PUT /calendar/{year}": lambda w: calendar_call(w, "hr"),
    "POST /communities": community,
    "PATCH /communities/{code}": community_change,
    "POST /workers": lambda w: (worker(w), Call(admin(w), "POST", "/workers", "worker", {
        "name": "走查", "id_number": id_number(), "jurisdiction": GONGSHU, "post": "委员", "hired_on": "2020-03-01",
        "community_code": "GS-001"}))[1],
    "POST /workers/import": workers_import,
    "POST /workers/{worker_id}/post-changes": post("/workers/{wid}/post-changes", "worker", {
        "post": "副职", "effective_on": "2025-03-01", "reason": "elected deputy director"}),
    "POST /workers/{worker_id}/transfers": post("/workers/{wid}/transfers", "worker", {
        "community_code": "GS-002", "effective_on": "2025-09-01", "reason": "reorganisation"}),
    "POST /workers/{worker_id}/grade-corrections": post("/workers/{wid}/grade-corrections", "grade_change", {
        "post": "委员", "grade": 5, "effective_on": "2024-01-01", "reason": "hire grade mistyped"}),
    "POST /workers/{worker_id}/probation": probation,
    "POST /workers/{worker_id}/leave": post("/workers/{wid}/leave", "worker", {
        "left_on": "2025-05-31", "reason": "resigned"}),
    "POST /workers/{worker_id}/reinstatement": reinstatement,
    "POST /workers/{worker_id}/assessments": post("/workers/{wid}/assessments", "assessment", assessment()),
    "POST /workers/{worker_id}/assessments/{year}/corrections": correction,
    "POST /workers/{worker_id}/postings": post("/workers/{wid}/postings", "worker_posting", {
        "kind": "secondment", "host_unit": "拱墅区民政局", "starts_on": "2024-03-01", "ends_on": "2024-08-31"}),
    "POST /step-runs": step_run,
    "POST /step-runs/supplementary": supplementary,
    "POST /pay-runs": pay_runs,
    "POST /pay-runs/{run_id}/submit": submit,
    "POST /pay-runs/{run_id}/approve": approve,
    "POST /pay-runs/{run_id}/reject": reject,
    "POST /workers/{worker_id}/tax-deductions": post("/workers/{wid}/tax-deductions", "tax_deduction",
                                                     declaration()),
    "PATCH /workers/{worker_id}/tax-deductions/{deduction_id}": deduction_change("PATCH", mine=False),
    "DELETE /workers/{worker_id}/tax-deductions/{deduction_id}": deduction_change("DELETE", mine=False),
    "POST /me/tax-deductions": my_declaration,
    "PATCH /me/tax-deductions/{deduction_id}": deduction_change("PATCH", mine=True),
    "DELETE /me/tax-deductions/{deduction_id}": deduction_change("DELETE", mine=True),
    "PUT /workers/{worker_id}/contribution-wages/{year}": post(
        "/workers/{wid}/contribution-wages/" + str(THIS - 1), "contribution_wage",
        {"wage_fen": 3_000_000, "reason": "salary survey"}, method="PUT"),
    "POST /workers/{worker_id}/unpaid-absences": post("/workers/{wid}/unpaid-absences", "unpaid_absence", {
        "first_day": "2025-09-02", "last_day": "2025-09-04", "reason": "personal leave"}),
    "DELETE /workers/{worker_id}/unpaid-absences/{absence_id}": absence_delete,
    "PUT /workers/{worker_id}/bank-account": post("/workers/{wid}/bank-account", "worker_bank_account", {
        "bank": "中国工商银行杭州分行", "account_number": "6222 0212 3456 7890"}, method="PUT"),
    "POST /communities/{code}/reward-funds": lambda w: (worker(w), Call(
        admin(w), "POST", "/communities/GS-001/reward-funds", "reward_fund",
        {"year": THIS, "after_tax_income_fen": 10_000_000, "surplus_fen": 5_000_000}))[1],
    "POST /communities/{code}/rewards": lambda w: Call(
        admin(w), "POST", "/communities/GS-001/rewards", "reward_award",
        {"worker_id": worker(w, community_code="GS-001"), "year": THIS, "amount_fen": 100_000, "reason": "年度奖励"}),
}


# --- recruitment (D-4): one campaign taken through every step, two more withdrawn and cancelled -------------


def campaign_world(w: World) -> dict:
    if "recruitment_campaign" in w.ids:
        return w.ids["recruitment_campaign"]
    hr = Hr(admin(w))
    assert hr.community("WALK-R", 1200, 30).status_code == 201
    c = {"hr": hr, "id": hr.ok(hr.campaign())["id"]}
    w.ids["recruitment_campaign"] = c
    return c


def step(path: str, entity: str, body=None, method: str = "POST") -> Recipe:
    def recipe(w: World) -> Call:
        c = campaign_world(w)
        return Call(admin(w), method, path.format(**{k: v for k, v in c.items() if k != "hr"}), entity, body)
    return recipe


def campaign_post(w: World) -> Call:
    c = campaign_world(w)
    return Call(admin(w), "POST", f"/campaigns/{c['id']}/posts", "recruitment_post",
                {"community_code": "WALK-R", "post": "委员", "count": 1})


def applications(w: World) -> Call:
    c = campaign_world(w)
    hr = c["hr"]
    c["post"] = hr.ok(hr.api.get(f"/campaigns/{c['id']}"))["posts"][0]["id"]
    c["people"] = {n: id_number_for(f"199{i}-05-01") for i, n in enumerate(("张三", "李四", "王五"))}
    for i, name in enumerate(("李四", "王五")):
        hr.ok(hr.apply(c["id"], c["post"], name, f"199{i + 1}-05-01", id_number=c["people"][name]))
    return Call(admin(w), "POST", f"/campaigns/{c['id']}/applications", "recruitment_application", {
        "post_id": c["post"], "name": "张三", "id_number": c["people"]["张三"], "birth_date": "1990-05-01",
        "education": "本科", "household_registration": "浙江省杭州市", "certificates": [], "record_flags": [],
        "service_years": 0})


def scores(w: World) -> Call:
    c = campaign_world(w)
    apps = c["hr"].applications(c["id"])
    c["apps"] = {n: a["id"] for n, a in apps.items()}
    c["hr"].ok(c["hr"].scores(c["id"], c["apps"]["王五"], written=70, interview=70))
    return Call(admin(w), "PUT", f"/campaigns/{c['id']}/applications/{c['apps']['张三']}/scores",
                "recruitment_application", {"written": 90, "interview": 80})


def scores_csv(w: World) -> Call:
    c = campaign_world(w)
    text = f"id_number,name,written,interview\n{c['people']['李四']},李四,80,80\n"
    return Call(admin(w), "POST", f"/campaigns/{c['id']}/scores/csv", "recruitment_application", content=text.encode(),
                headers={"content-type": "text/csv"})


def checks(w: World) -> Call:
    c = campaign_world(w)
    return Call(admin(w), "POST", f"/campaigns/{c['id']}/applications/{c['apps']['张三']}/checks",
                "recruitment_application", {"physical_exam": "pass", "background_check": "pass"})


def objection(w: World) -> Call:
    c = campaign_world(w)
    return Call(admin(w), "POST", f"/campaigns/{c['id']}/objections", "recruitment_objection", {
        "application_id": c["apps"]["张三"], "lodged_on": "2025-03-11", "summary": "反映该考生报名材料不实"})


def resolve(w: World) -> Call:
    c = campaign_world(w)
    oid = c["hr"].ok(c["hr"].api.get(f"/campaigns/{c['id']}/objections"))[0]["id"]
    return Call(admin(w), "POST", f"/campaigns/{c['id']}/objections/{oid}/resolve", "recruitment_objection", {
        "outcome": "dismissed", "resolution": "经核实", "resolved_on": "2025-03-13"})


def other_campaign(w: World, title: str) -> tuple[Hr, int]:
    hr = campaign_world(w)["hr"]
    cid = hr.ok(hr.campaign(title=title))["id"]
    return hr, cid


def withdraw(w: World) -> Call:
    hr, cid = other_campaign(w, "撤回")
    pid = hr.ok(hr.post(cid, "WALK-R"))["id"]
    aid = hr.ok(hr.apply(cid, pid, "赵六", "1992-05-01"))["id"]
    return Call(admin(w), "POST", f"/campaigns/{cid}/applications/{aid}/withdraw", "recruitment_application",
                {"reason": "本人放弃"})


def cancel(w: World) -> Call:
    _, cid = other_campaign(w, "取消")
    return Call(admin(w), "POST", f"/campaigns/{cid}/cancel", "recruitment_campaign", {"reason": "合并招考"})


RECIPES |= {
    "POST /campaigns": lambda w: Call(admin(w), "POST", "/campaigns", "recruitment_campaign", {
        "title": "走查招考", "jurisdiction": GONGSHU, "announced_on": "2025-03-03"}),
    "POST /campaigns/{campaign_id}/posts": campaign_post,
    "POST /campaigns/{campaign_id}/applications": applications,
    "POST /campaigns/{campaign_id}/review": step("/campaigns/{id}/review", "recruitment_application"),
    "PUT /campaigns/{campaign_id}/applications/{application_id}/scores": scores,
    "POST /campaigns/{campaign_id}/scores/csv": scores_csv,
    "POST /campaigns/{campaign_id}/rank": step("/campaigns/{id}/rank", "recruitment_campaign"),
    "POST /campaigns/{campaign_id}/applications/{application_id}/checks": checks,
    "POST /campaigns/{campaign_id}/notices": step("/campaigns/{id}/notices", "recruitment_campaign",
                                                  {"starts_on": "2025-03-10"}),
    "POST /campaigns/{campaign_id}/objections": objection,
    "POST /campaigns/{campaign_id}/objections/{objection_id}/resolve": resolve,
    "POST /campaigns/{campaign_id}/hire": step("/campaigns/{id}/hire", "worker", {"hired_on": "2025-03-17"}),
    "POST /campaigns/{campaign_id}/applications/{application_id}/withdraw": withdraw,
    "POST /campaigns/{campaign_id}/cancel": cancel,
}

RECIPES |= hr_people.RECIPES | hr_ratings.RECIPES
