"""D-16 maker-checker over HTTP: a pay run is submitted by one officer and
approved (closed) or rejected by another with authority over its
jurisdiction; nobody approves a run they computed or submitted; every step is
logged; the approver's review compares the run with the previous month."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from hr_service.pay.approval import NET_LINES, TOP
from hr_service.pay.tables import ContributionWage
from tests.hr.helpers import CITY, GONGSHU, XIHU, hire, service
from tests.hr.pay_helpers import close_run, pay_admin, regrade


def officer(suite, name: str, jurisdiction: str = GONGSHU, role: str = "hr_officer"):
    return suite.hr.as_(suite.create_user(name, role, jurisdiction))


def compute(api, month: str = "2025-03", jurisdiction: str = GONGSHU, status: int = 201) -> dict:
    r = api.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": month})
    assert r.status_code == status, r.text
    return r.json()


def problem(r, status: int, code: str, field: str | None = None, clause: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    if clause is not None:
        assert body["clause"] == clause, body
    return body


@pytest.fixture
def people(suite):
    """Two workers in Gongshu and three HR officers there."""
    admin = pay_admin(suite)
    hire(admin, name="甲", grade=3)
    hire(admin, name="乙", grade=5)
    return {"admin": admin, "a": officer(suite, "hr-a"), "b": officer(suite, "hr-b"), "c": officer(suite, "hr-c")}


def test_the_maker_cannot_approve_their_own_run_another_officer_does(suite, people):
    a, b = people["a"], people["b"]
    run = compute(a)
    submitted = a.post(f"/pay-runs/{run['id']}/submit")
    assert submitted.status_code == 200, submitted.text
    assert (submitted.json()["status"], submitted.json()["submitted_by"]) == ("submitted", "hr-a")
    refused = problem(a.post(f"/pay-runs/{run['id']}/approve", json={}), 403, "own_pay_run", clause="D-16")
    assert refused["detail_zh"] == "不能审批自己编制的工资，须由另一名有权限的人员审批。"
    assert a.get(f"/pay-runs/{run['id']}").json()["status"] == "submitted"  # nothing changed
    done = b.post(f"/pay-runs/{run['id']}/approve", json={"note": "核对无误"})
    assert done.status_code == 200, done.text
    closed = done.json()
    assert (closed["status"], closed["closed_by"], closed["submitted_by"]) == ("closed", "hr-b", "hr-a")
    assert closed["closed_at"] is not None and closed["totals"] == run["totals"]
    log = a.get(f"/pay-runs/{run['id']}/history").json()
    assert [(e["action"], e["actor"], e["note"]) for e in log] == [
        ("computed", "hr-a", None), ("submitted", "hr-a", None), ("approved", "hr-b", "核对无误")]
    assert all(e["totals"] == run["totals"] for e in log)
    # D-14: approval records the year's contribution wages of the run's workers
    with service(suite).db.read_session() as s:
        assert s.execute(select(func.count()).select_from(ContributionWage)
                         .where(ContributionWage.year == 2025)).scalar_one() == 2
    # a closed month is final: no step leads out of it, and it is not computed again
    for step, body in (("submit", None), ("approve", {}), ("reject", {"reason": "x"})):
        problem(people["c"].post(f"/pay-runs/{run['id']}/{step}", json=body), 409,
                "pay_run_not_draft" if step == "submit" else "pay_run_not_submitted", clause="D-16")
    problem(a.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-03"}), 409, "month_closed", "month")
    assert a.post(f"/pay-runs/{run['id']}/close").status_code in (404, 405)  # the one-step close is gone


def test_whoever_computed_the_run_may_not_approve_it_either(suite, people):
    a, b, c = people["a"], people["b"], people["c"]
    run = compute(a)
    assert b.post(f"/pay-runs/{run['id']}/submit").status_code == 200
    assert problem(a.post(f"/pay-runs/{run['id']}/approve"), 403, "own_pay_run")["extra"] == {
        "submitted_by": "hr-b", "computed_by": "hr-a"}
    problem(b.post(f"/pay-runs/{run['id']}/approve"), 403, "own_pay_run")
    assert c.post(f"/pay-runs/{run['id']}/approve").json()["closed_by"] == "hr-c"  # no body: no note


def test_the_approver_needs_authority_over_the_jurisdiction(suite, people):
    a = people["a"]
    run = compute(a)
    a.post(f"/pay-runs/{run['id']}/submit")
    xihu = officer(suite, "hr-xihu", XIHU)
    problem(xihu.post(f"/pay-runs/{run['id']}/approve"), 404, "not_found")  # not theirs to see (D-8)
    coordinator = officer(suite, "tc-gongshu", GONGSHU, "training_coordinator")
    problem(coordinator.post(f"/pay-runs/{run['id']}/approve"), 403, "role_not_allowed")
    city = officer(suite, "hr-city", CITY)
    assert city.post(f"/pay-runs/{run['id']}/approve").json()["closed_by"] == "hr-city"  # the city covers Gongshu


def test_a_city_run_is_not_submitted_or_approved_by_a_district_officer(suite, people):
    city = officer(suite, "hr-city", CITY)
    run = compute(city, jurisdiction=CITY)
    problem(people["a"].post(f"/pay-runs/{run['id']}/submit"), 404, "not_found")
    assert city.post(f"/pay-runs/{run['id']}/submit").status_code == 200
    problem(people["b"].post(f"/pay-runs/{run['id']}/approve"), 404, "not_found")
    assert officer(suite, "hr-city-2", CITY).post(f"/pay-runs/{run['id']}/approve").status_code == 200


def test_rejection_returns_the_run_to_draft_with_its_reason(suite, people):
    a, b, c = people["a"], people["b"], people["c"]
    run = compute(a)
    problem(a.post(f"/pay-runs/{run['id']}/approve"), 409, "pay_run_not_submitted")  # a draft is submitted first
    problem(b.post(f"/pay-runs/{run['id']}/reject", json={"reason": "x"}), 409, "pay_run_not_submitted")
    assert a.post(f"/pay-runs/{run['id']}/submit").status_code == 200
    problem(a.post(f"/pay-runs/{run['id']}/submit"), 409, "pay_run_not_draft")
    # a submitted run is not computed again: rejected first
    problem(a.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-03"}), 409, "pay_run_submitted",
            "month", "D-16")
    problem(b.post(f"/pay-runs/{run['id']}/reject", json={}), 400, "validation_failed", "reason")
    problem(b.post(f"/pay-runs/{run['id']}/reject", json={"reason": "   "}), 422, "reason_required", "reason")
    problem(b.post(f"/pay-runs/{run['id']}/reject", json={"reason": "x" * 2001}), 400, "validation_failed", "reason")
    problem(b.post(f"/pay-runs/{run['id']}/reject", json={"reason": "x", "why": 1}), 400, "validation_failed")
    back = b.post(f"/pay-runs/{run['id']}/reject", json={"reason": " 乙的档次有误 "})
    assert back.status_code == 200, back.text
    assert (back.json()["status"], back.json()["submitted_by"], back.json()["closed_by"]) == ("draft", None, None)
    again = compute(a, status=200)
    assert again["computations"] == 2
    # the maker withdraws their own submission the same way; the log tells the two apart
    assert a.post(f"/pay-runs/{run['id']}/submit").status_code == 200
    assert a.post(f"/pay-runs/{run['id']}/reject", json={"reason": "再核一遍"}).json()["status"] == "draft"
    assert c.post(f"/pay-runs/{run['id']}/submit").status_code == 200
    # c submitted, a computed: b approves
    problem(c.post(f"/pay-runs/{run['id']}/approve"), 403, "own_pay_run")
    assert b.post(f"/pay-runs/{run['id']}/approve").status_code == 200
    log = b.get(f"/pay-runs/{run['id']}/history").json()
    assert [(e["action"], e["actor"], e["note"]) for e in log] == [
        ("computed", "hr-a", None), ("submitted", "hr-a", None), ("rejected", "hr-b", "乙的档次有误"),
        ("computed", "hr-a", None), ("submitted", "hr-a", None), ("withdrawn", "hr-a", "再核一遍"),
        ("submitted", "hr-c", None), ("approved", "hr-b", None)]
    assert [e["id"] for e in log] == sorted(e["id"] for e in log)


def test_a_refused_step_logs_nothing_and_other_jurisdictions_see_no_log(suite, people):
    a = people["a"]
    run = compute(a)
    a.post(f"/pay-runs/{run['id']}/submit")
    a.post(f"/pay-runs/{run['id']}/approve")  # 403
    assert [e["action"] for e in a.get(f"/pay-runs/{run['id']}/history").json()] == ["computed", "submitted"]
    xihu = officer(suite, "hr-xihu", XIHU)
    problem(xihu.get(f"/pay-runs/{run['id']}/history"), 404, "not_found")
    problem(xihu.get(f"/pay-runs/{run['id']}/review"), 404, "not_found")
    problem(a.post("/pay-runs/999999/submit"), 404, "not_found")


def test_the_monthly_job_leaves_a_submitted_run_alone(suite, people):
    from hr_service.actors import job_handlers

    city = officer(suite, "hr-city", CITY)
    run = compute(city, jurisdiction=CITY)
    city.post(f"/pay-runs/{run['id']}/submit")
    svc = service(suite)
    with svc.db.transaction() as s:
        job_handlers(svc)["draft_pay_run"](s, "2025-03")  # refused with pay_run_submitted, logged, no error
    after = city.get(f"/pay-runs/{run['id']}").json()
    assert (after["status"], after["computations"]) == ("submitted", 1)


# --- the review ------------------------------------------------------------------------------------


def _slips(api, run_id: int) -> dict[int, dict]:
    return {s["worker_id"]: s for s in api.get(f"/pay-runs/{run_id}/payslips", params={"limit": 500}).json()["items"]}


def _expected_changes(now: dict[int, dict], before: dict[int, dict], names: dict[int, str]) -> list[dict]:
    """The reference: every worker paid both months whose net moved, the
    largest moves first (then by worker id), with the line that moved most."""
    out = []
    for w in sorted(set(now) & set(before)):
        d = now[w]["net_pay"] - before[w]["net_pay"]
        if d == 0:
            continue
        moved = [(k, now[w][k] - before[w][k]) for k in NET_LINES]
        line, by = max(moved, key=lambda m: abs(m[1]))  # the first of equals, as the review takes it
        out.append({"worker_id": w, "name": names[w], "net_pay": now[w]["net_pay"],
                    "previous_net_pay": before[w]["net_pay"], "difference": d, "line": line, "line_difference": by})
    out.sort(key=lambda c: (-abs(c["difference"]), c["worker_id"]))
    return out[:TOP]


def test_the_review_compares_with_last_month(suite, people):
    admin, a, b = people["admin"], people["a"], people["b"]
    workers = {w["id"]: w["name"] for w in admin.get("/workers", params={"limit": 500}).json()["items"]}
    leaver = hire(admin, name="丙", grade=2)["id"]
    raised = hire(admin, name="戊", post="正职", grade=8)["id"]  # raised well above the floor (S0-2) from February
    workers[raised] = "戊"
    jan = compute(a, "2025-01")
    assert a.post(f"/workers/{leaver}/leave", json={"left_on": "2025-01-31", "reason": "辞职"}).status_code == 200
    joiner = hire(admin, name="丁", grade=4, hired_on="2025-02-01")["id"]
    regrade(suite, raised, 16, date(2025, 2, 1), recheck=False)
    first = b.get(f"/pay-runs/{jan['id']}/review").json()
    assert first["previous_month"] == "2024-12" and first["previous_runs"] == []
    assert (first["joined"], first["gone"], first["largest_changes"]) == (None, None, [])
    assert all(t["previous"] is None and t["difference"] is None for t in first["totals"])
    close_run(suite, a, jan["id"])
    feb = compute(a, "2025-02")
    r = b.get(f"/pay-runs/{feb['id']}/review")
    assert r.status_code == 200, r.text
    review = r.json()
    assert review["run"]["id"] == feb["id"] and review["previous_month"] == "2025-01"
    assert review["previous_runs"] == [{"id": jan["id"], "jurisdiction": GONGSHU, "status": "closed"}]
    assert [t["key"] for t in review["totals"]] == list(feb["totals"])
    for t in review["totals"]:
        assert (t["current"], t["previous"]) == (feb["totals"][t["key"]], jan["totals"][t["key"]])
        assert t["difference"] == t["current"] - t["previous"]
    assert {t["key"]: t["difference"] for t in review["totals"]}["workers"] == 0  # one joined, one gone
    assert (review["joined"], review["gone"]) == (1, 1)
    now, before = _slips(b, feb["id"]), _slips(b, jan["id"])
    assert joiner in now and leaver not in now and leaver in before
    expected = _expected_changes(now, before, {**workers, joiner: "丁"})
    assert review["largest_changes"] == expected
    assert expected[0]["worker_id"] == raised and expected[0]["line"] == "grade_pay"


def test_the_review_lists_the_twenty_largest_changes(suite):
    admin = pay_admin(suite)
    ids = [hire(admin, name=f"工{i:02d}", grade=3, community_code=f"GS-{i % 9 + 1:03d}")["id"] for i in range(24)]
    names = {w: f"工{i:02d}" for i, w in enumerate(ids)}
    jan = compute(admin, "2025-01")
    close_run(suite, admin, jan["id"])
    for i, w in enumerate(ids):  # each raised a different number of grades from February
        regrade(suite, w, 4 + i % 9, date(2025, 2, 1), recheck=False)
    feb = compute(admin, "2025-02")
    review = officer(suite, "hr-b").get(f"/pay-runs/{feb['id']}/review").json()
    expected = _expected_changes(_slips(admin, feb["id"]), _slips(admin, jan["id"]), names)
    assert len(review["largest_changes"]) == TOP == len(expected)
    assert review["largest_changes"] == expected
    assert (review["joined"], review["gone"]) == (0, 0)


def test_a_city_run_is_reviewed_against_last_months_district_runs(suite):
    admin = pay_admin(suite)
    hire(admin, name="甲", grade=3)
    hire(admin, name="乙", grade=3, jurisdiction=XIHU, community_code=None)
    runs = [compute(admin, "2025-01", j) for j in (GONGSHU, XIHU)]
    feb = compute(admin, "2025-02", CITY)
    review = admin.get(f"/pay-runs/{feb['id']}/review").json()
    assert sorted(r["jurisdiction"] for r in review["previous_runs"]) == [GONGSHU, XIHU]
    assert [r["status"] for r in review["previous_runs"]] == ["draft", "draft"]
    previous = {t["key"]: t["previous"] for t in review["totals"]}
    assert previous["workers"] == 2
    assert previous["net_pay"] == sum(r["totals"]["net_pay"] for r in runs)
    assert (review["joined"], review["gone"]) == (0, 0)
    # the other way round, a district against last month's city run: not the same jurisdiction, no comparison
    mar = compute(admin, "2025-03", GONGSHU)
    back = admin.get(f"/pay-runs/{mar['id']}/review").json()
    assert (back["previous_runs"], back["joined"], back["largest_changes"]) == ([], None, [])


@pytest.mark.postgres
def test_maker_checker_on_postgresql(pg_suite):
    admin = pay_admin(pg_suite)
    hire(admin, name="甲", grade=3)
    a, b = officer(pg_suite, "hr-a"), officer(pg_suite, "hr-b")
    jan = compute(a, "2025-01")
    close_run(pg_suite, a, jan["id"])
    feb = compute(a, "2025-02")
    assert a.post(f"/pay-runs/{feb['id']}/submit").status_code == 200
    problem(a.post(f"/pay-runs/{feb['id']}/approve"), 403, "own_pay_run")
    problem(a.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-02"}), 409, "pay_run_submitted")
    assert b.post(f"/pay-runs/{feb['id']}/reject", json={"reason": "重算"}).json()["status"] == "draft"
    review = b.get(f"/pay-runs/{feb['id']}/review").json()
    assert review["previous_runs"][0]["id"] == jan["id"] and (review["joined"], review["gone"]) == (0, 0)
    assert [e["action"] for e in b.get(f"/pay-runs/{feb['id']}/history").json()] == [
        "computed", "submitted", "rejected"]
