"""The 1 July step increment (S4-10) over HTTP, and the scheduler's job."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hr_service.actors import job_handlers
from hr_service.tables import GradeChange, StepOutcome
from tests.hr.helpers import CITY, GONGSHU, XIHU, StatementCounter, assess, hire, outbox_types, service


def _team(admin):
    """Workers covering every outcome of the 2025 run."""
    ids = {}
    for key, grade, post, hired, assessment in [
        ("pass", 3, "委员", "2020-03-01", "合格"),
        ("excellent", 5, "副职", "2019-03-01", "优秀"),
        ("top", 12, "委员", "2010-03-01", "优秀"),
        ("basic", 3, "委员", "2020-03-01", "基本合格"),
        ("fail", 3, "委员", "2020-03-01", "不合格"),
        ("none", 3, "委员", "2020-03-01", None),
        ("new", 1, "委员", "2025-02-01", None),
    ]:
        w = hire(admin, name=key, post=post, grade=grade, hired_on=hired)
        ids[key] = w["id"]
        if assessment:
            assess(admin, w["id"], 2024, grade=assessment)
    return ids


def test_increment_outcomes_and_reasons(suite):
    admin = suite.hr.as_(suite.admin_token)
    ids = _team(admin)
    r = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"})
    assert r.status_code == 201, r.text
    run = r.json()
    assert run["assessment_year"] == 2024 and run["moved"] == 2 and run["not_moved_total"] == 5
    assert {k: v for k, v in run["counts"].items() if v} == {
        "advanced": 2, "top_of_band": 1, "basic_pass": 1, "fail": 1, "no_assessment": 1,
        "hired_after_assessment_year": 1}
    why = {n["worker_id"]: n for n in run["not_moved"]}
    assert why[ids["top"]]["outcome"] == "top_of_band" and "top" in why[ids["top"]]["reason"]
    assert why[ids["basic"]]["reason_zh"] == "考核基本合格，不晋档"
    assert ids["pass"] not in why
    assert admin.get(f"/workers/{ids['pass']}").json()["grade"] == 4
    assert admin.get(f"/workers/{ids['excellent']}").json()["last_step_on"] == "2025-07-01"
    step = admin.get(f"/workers/{ids['pass']}/grade-history").json()[-1]
    assert (step["kind"], step["from_grade"], step["grade"], step["clause"], step["step_run_id"]) == (
        "step", 3, 4, "S4-10", run["id"])
    assert outbox_types(suite).count("step.run.completed") == 1
    page = admin.get(f"/step-runs/{run['id']}/outcomes", params={"outcome": "advanced"}).json()
    assert page["total"] == 2 and {o["to_grade"] for o in page["items"]} == {4, 6}
    # the tallies are stored: the run read back says what the run said
    stored = admin.get(f"/step-runs/{run['id']}").json()
    assert (stored["moved"], stored["not_moved_total"], stored["counts"]) == (2, 5, run["counts"])
    listed = admin.get("/step-runs").json()
    assert listed["total"] == 1 and listed["items"][0]["moved"] == 2 and listed["items"][0]["counts"] == run["counts"]


def test_running_again_changes_nothing(suite):
    admin = suite.hr.as_(suite.admin_token)
    ids = _team(admin)
    first = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"}).json()
    again = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"})
    assert again.status_code == 200 and again.json()["repeated"] and again.json()["id"] == first["id"]
    district = admin.post("/step-runs", json={"jurisdiction": GONGSHU, "effective_on": "2025-07-01"})
    assert district.status_code == 201 and sum(district.json()["counts"].values()) == 0
    assert admin.get(f"/workers/{ids['pass']}").json()["grade"] == 4
    assert outbox_types(suite).count("step.run.completed") == 2  # the city's run and the district's


def test_dry_run_writes_nothing(suite):
    admin = suite.hr.as_(suite.admin_token)
    ids = _team(admin)
    before = outbox_types(suite)
    r = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01", "dry_run": True})
    assert r.status_code == 200 and r.json()["dry_run"] and r.json()["id"] is None and r.json()["moved"] == 2
    assert admin.get(f"/workers/{ids['pass']}").json()["grade"] == 3
    assert admin.get("/step-runs").json()["total"] == 0 and outbox_types(suite) == before
    # a dry run may look ahead; a real run may not
    assert admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2099-07-01",
                                          "dry_run": True}).status_code == 200
    r = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2099-07-01"})
    assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == ("date_in_future", "effective_on")


def test_effective_date_must_be_the_step_date(suite):
    admin = suite.hr.as_(suite.admin_token)
    for day in ("2025-06-30", "2025-07-02"):
        r = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": day})
        assert r.status_code == 422
        assert (r.json()["code"], r.json()["field"], r.json()["clause"]) == ("not_step_date", "effective_on", "S4-10")


def test_officer_runs_only_their_jurisdiction(suite):
    xihu = suite.hr.as_(suite.create_user("x", "hr_officer", XIHU))
    r = xihu.post("/step-runs", json={"jurisdiction": GONGSHU, "effective_on": "2025-07-01"})
    assert r.status_code == 403 and r.json()["code"] == "outside_jurisdiction"
    worker_token = suite.create_user("w", "worker", GONGSHU, worker_id=hire(suite.hr.as_(suite.admin_token))["id"])
    assert suite.hr.as_(worker_token).post("/step-runs", json={"jurisdiction": GONGSHU,
                                                               "effective_on": "2025-07-01"}).status_code == 403


def test_set_based_statement_count_does_not_grow_with_workers(suite):
    admin = suite.hr.as_(suite.admin_token)
    svc = service(suite)
    counts = []
    for n, day in ((3, "2024-07-01"), (30, "2025-07-01")):
        for i in range(n):
            w = hire(admin, name=f"w{n}-{i}", hired_on="2020-03-01", grade=2, community_code=None)
            assess(admin, w["id"], int(day[:4]) - 1)
        with StatementCounter(svc.db.engine) as c:
            assert admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": day}).status_code == 201
        counts.append(c.count)
    assert counts[0] == counts[1], counts


def test_the_scheduler_job_runs_the_increment_once(suite):
    admin = suite.hr.as_(suite.admin_token)
    ids = _team(admin)
    svc = service(suite)
    jobs = job_handlers(svc)
    with svc.db.transaction() as s:
        jobs["step_increment"](s, "2025-07-01")
    with svc.db.transaction() as s:
        jobs["step_increment"](s, "2025-07-01")
    with svc.db.read_session() as s:
        assert s.execute(select(func.count()).select_from(StepOutcome)).scalar() == 5  # the non-movers
        assert s.execute(select(func.count()).where(GradeChange.kind == "step")).scalar() == 2
    assert admin.get(f"/workers/{ids['pass']}").json()["grade"] == 4
    runs = admin.get("/step-runs").json()["items"]
    assert [(r["jurisdiction"], r["run_by"], r["moved"]) for r in runs] == [(CITY, "scheduler", 2)]


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_a_run_publishes_one_summary_event(request, backend):
    """One step.run.completed per run, however many move (no event per worker):
    it decodes as the contract and carries the stored tallies."""
    from shared.events import StepRunCompleted, from_message

    suite = request.getfixturevalue(backend)
    admin = suite.hr.as_(suite.admin_token)
    _team(admin)
    run = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"}).json()
    svc = service(suite)
    o = svc.infra.outbox
    with svc.db.read_session() as s:
        rows = s.execute(select(o.c.payload).where(o.c.event_type.like("step.%"))).all()
    events = [from_message(r.payload) for r in rows]
    assert len(events) == 1 and isinstance(events[0], StepRunCompleted)
    e = events[0]
    assert (e.run_id, e.jurisdiction, e.effective_on.isoformat(), e.assessment_year, e.supplementary) == (
        run["id"], CITY, "2025-07-01", 2024, False)
    assert e.counts == run["counts"] and e.counts["advanced"] == 2


def test_each_district_runs_under_its_own_step_rule(suite):
    """S3-5: policy tables are per jurisdiction; a city-wide run applies each district's rule."""
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/policies/step_rule", json={"jurisdiction": GONGSHU, "effective_from": "2025-01-01",
                                                "value": {"interval_years": 2, "month_day": "07-01",
                                                          "early_step": True}})
    assert r.status_code == 201
    two = hire(admin, name="two", grade=3, hired_on="2020-03-01")
    one = hire(admin, name="one", grade=3, hired_on="2020-03-01")
    early = hire(admin, name="early", grade=3, hired_on="2020-03-01")
    west = hire(admin, name="west", grade=3, hired_on="2020-03-01", jurisdiction=XIHU,
                community_code="XH-001")
    assessed = ((two, ("合格", "合格")), (one, (None, "合格")), (early, ("优秀", "优秀")), (west, (None, "合格")))
    for w, grades in assessed:
        for year, g in zip((2023, 2024), grades, strict=True):
            if g:
                assess(admin, w["id"], year, grade=g)
    run = admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"}).json()
    outcome = {o["worker_id"]: o["outcome"] for o in
               admin.get(f"/step-runs/{run['id']}/outcomes").json()["items"]}
    assert outcome == {two["id"]: "advanced", one["id"]: "interval_not_elapsed", early["id"]: "advanced",
                       west["id"]: "advanced"}
    assert run["policies"][GONGSHU]["step_rule"] != run["policies"][XIHU]["step_rule"]
