"""Monthly pay over HTTP: pay runs and payslips (S4-10, S4-12, S2-5, S0-2, S4-11, D-3),
checked against the pure rules on SQLite and PostgreSQL."""
from __future__ import annotations

import random
from datetime import date

import msgspec
import pytest

from hr_service import rules
from hr_service.actors import job_handlers, on_certificate_registered, on_registration_lapsed
from shared.dates import full_years, month_bounds
from shared.events import CertificateRegistered, RegistrationLapsed
from tests.hr.helpers import CITY, GONGSHU, XIHU, StatementCounter, assess, hire, service
from tests.hr.pay_helpers import close_run, pay_admin


def _register(suite, worker_id, cert_id, level, registered_on, valid_until):
    svc = service(suite)
    with svc.db.transaction() as s:
        on_certificate_registered(s, CertificateRegistered(
            worker_id=worker_id, jurisdiction=GONGSHU, certificate_id=cert_id, level=level,
            registered_on=registered_on, valid_until=valid_until))


def _reference(workers, month: str, so_far: dict) -> dict[int, dict]:
    """The payslips of ``month`` from the pure rules (``rules.pool_payslips``),
    for the seeded figures of 2025, every worker on the rolls the whole month."""
    end = _last_day(month)
    figures = rules.PayFigures(
        scale=rules.PAY_SCALE_2024, insurance=rules.INSURANCE_SEED, split=rules.CostSplit(), bonus=rules.BonusPool(),
        allowances=rules.ALLOWANCES_SEED, wage=rules.AverageWage(2024, rules.AVERAGE_WAGE_SEEDS[2024] * 100))
    pools: dict[str, list] = {}
    for w in workers:
        pools.setdefault(w["community_code"] or f"worker:{w['id']}", []).append(w)
    out = {}
    for members in pools.values():
        earners = []
        for w in members:
            score = w["score_centi"] if w["score_centi"] is not None else rules.BonusPool().default_score * 100
            years = w["service_years"] + full_years(date.fromisoformat(w["hired_on"]), end)
            cert = max([rules.ALLOWANCES_SEED.certificate[c] for c in w["certs"]], default=0)
            earners.append(rules.Earner(post=w["post"], grade=w["grade"], score_centi=score, service_years=years,
                                        certificate_allowance=cert, worker_id=w["id"], **so_far.get(w["id"], {})))
        for w, lines in zip(members, rules.pool_payslips(earners, figures), strict=True):
            out[w["id"]] = {**msgspec.structs.asdict(lines), "service_years": earners[members.index(w)].service_years}
    return out


def carried(slip: dict) -> dict:
    """What a payslip carries into the next month's ``rules.Earner``."""
    return {"months_before": slip["months_to_date"], "paid_days_before": slip["paid_days_to_date"],
            "paid_before": slip["paid_to_date"], "income_before": slip["income_to_date"],
            "contributions_before": slip["contributions_to_date"],
            "tax_withheld_before": slip["tax_withheld_before"] + slip["income_tax"]}


HEADER = ["worker_id", "month", "status", "run_id", "jurisdiction", "community_code", "pool_key", "post", "grade",
          "performance_score", "service_years"]
"""A payslip's fields before its amounts, in the order the API gives them."""


def _last_day(month: str) -> date:
    return month_bounds(month)[1]


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_pay_run_matches_the_rules(request, backend):
    suite = request.getfixturevalue(backend)
    admin = pay_admin(suite)
    rnd = random.Random(7)
    workers = []
    for i in range(36):
        post = rnd.choice(["正职", "副职", "委员", "委员", "委员"])
        band = rules.PAY_SCALE_2024.posts[post]
        community = rnd.choice(["GS-001", "GS-002", "GS-003", None])
        hired = date(rnd.randint(2003, 2024), rnd.randint(1, 12), rnd.randint(1, 28))
        w = hire(admin, name=f"w{i}", post=post, grade=rnd.randint(band.low, band.high), hired_on=hired.isoformat(),
                 community_code=community, service_years=rnd.choice([0, 0, 3, 8]))
        score = None
        if hired.year < 2024 or rnd.random() < 0.5:
            score = rnd.randint(5000, 10000)
            assess(admin, w["id"], 2024, score=score / 100, grade="合格")
        certs = []
        if rnd.random() < 0.3:
            certs = [rnd.choice(list(rules.ALLOWANCES_SEED.certificate))]
            _register(suite, w["id"], 1000 + i, certs[0], date(2024, 1, 1), date(2027, 1, 1))
        if rnd.random() < 0.1:  # a second, lower registration: only the highest is paid
            certs.append("助理社会工作师")
            _register(suite, w["id"], 2000 + i, "助理社会工作师", date(2024, 1, 1), date(2027, 1, 1))
        workers.append({**w, "score_centi": score, "certs": certs})
    so_far: dict[int, dict] = {}
    for month in ("2025-01", "2025-02", "2025-03"):
        r = admin.post("/pay-runs", json={"jurisdiction": CITY, "month": month})
        assert r.status_code == 201, r.text
        run = r.json()
        expected = _reference(workers, month, so_far)
        slips = admin.get(f"/pay-runs/{run['id']}/payslips", params={"limit": 500}).json()
        assert slips["total"] == len(workers)
        for slip in slips["items"]:
            want = expected[slip["worker_id"]]
            assert {k: slip[k] for k in want} == want, slip["worker_id"]
            so_far[slip["worker_id"]] = carried(slip)
        t = run["totals"]
        assert t["workers"] == len(workers)
        assert t["gross"] == sum(e["gross"] for e in expected.values())
        assert t["city_share"] + t["district_share"] == t["total_cost"]
        assert t["bonus_pool"] - t["bonus_share"] == t["bonus_pool_unallocated"] >= 0
    # the preview of a stored month is the stored slip
    one = workers[0]["id"]
    assert admin.get(f"/workers/{one}/payslips/2025-03").json()["status"] == "draft"


def test_draft_reruns_and_closed_month_is_immutable(suite):
    admin = pay_admin(suite)
    w = hire(admin, grade=3)
    preview = admin.get(f"/workers/{w['id']}/payslips/2025-05").json()
    assert preview["status"] == "preview" and preview["run_id"] is None
    assert list(preview) == [*HEADER, *rules.PayLines.__struct_fields__, "adjustments", "id", "lines"]
    assert preview["id"] is None
    assert preview["arrears"] == 0 and preview["adjustments"] == []
    r = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-05"})
    assert r.status_code == 201
    run = r.json()
    slip = admin.get(f"/workers/{w['id']}/payslips/2025-05").json()
    assert slip["status"] == "draft" and {k: v for k, v in slip.items() if k not in ("status", "run_id", "id")} == \
        {k: v for k, v in preview.items() if k not in ("status", "run_id", "id")}
    again = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-05"})
    assert again.status_code == 200 and again.json()["computations"] == 2 and again.json()["id"] == run["id"]
    assert close_run(suite, admin, run["id"])["status"] == "closed"
    for jurisdiction in (GONGSHU, CITY):  # the city's run would pay the same workers again
        r = admin.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": "2025-05"})
        assert r.status_code == 409 and (r.json()["code"], r.json()["field"]) == ("month_closed", "month")
    assert admin.post(f"/pay-runs/{run['id']}/submit").status_code == 409
    assert admin.get(f"/workers/{w['id']}/payslips/2025-05").json()["status"] == "closed"
    listed = admin.get(f"/pay-runs/{run['id']}/payslips").json()
    assert listed["total"] == 1
    assert list(listed["items"][0]) == [*HEADER, *rules.PayLines.__struct_fields__]  # the CLI export's columns


def test_bad_pay_input(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    for month in ("2025-13", "2025-5", "May 2025"):
        r = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": month})
        assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == ("malformed_month", "month")
    assert admin.get(f"/workers/{w['id']}/payslips/2025-13").json()["field"] == "month"
    r = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2099-01"})
    assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == ("date_in_future", "month")
    xihu = suite.hr.as_(suite.create_user("x", "hr_officer", XIHU))
    r = xihu.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-05"})
    assert r.status_code == 403 and r.json()["field"] == "jurisdiction"
    assert admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-05"}).status_code == 201
    r = admin.post("/pay-runs", json={"jurisdiction": CITY, "month": "2025-05"})
    assert r.status_code == 409 and r.json()["code"] == "overlapping_pay_run"
    assert admin.get("/pay-runs", params={"month": "2025-05"}).json()[0]["jurisdiction"] == GONGSHU
    assert xihu.get("/pay-runs").json() == []


def test_workers_see_only_their_own_payslip(suite):
    admin = pay_admin(suite)
    mine, other = hire(admin)["id"], hire(admin, name="乙")["id"]
    me = suite.hr.as_(suite.create_user("w", "worker", GONGSHU, worker_id=mine))
    assert me.get("/me/payslips/2025-05").json()["worker_id"] == mine
    assert me.get(f"/workers/{mine}/payslips/2025-05").status_code == 200
    assert me.get(f"/workers/{other}/payslips/2025-05").status_code == 404
    assert me.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-05"}).status_code == 403


def test_the_step_pays_from_july(suite):
    admin = pay_admin(suite)
    w = hire(admin, grade=3)
    assess(admin, w["id"], 2024)
    assert admin.post("/step-runs", json={"jurisdiction": CITY, "effective_on": "2025-07-01"}).status_code == 201
    june = admin.get(f"/workers/{w['id']}/payslips/2025-06").json()
    july = admin.get(f"/workers/{w['id']}/payslips/2025-07").json()
    assert (june["grade"], june["grade_pay"]) == (3, 760_000)
    assert (july["grade"], july["grade_pay"]) == (4, 790_000)


def test_the_2002_flat_table(suite):
    admin = pay_admin(suite)
    w = hire(admin, post="正职", grade=9, hired_on="2002-03-01", community_code=None)
    slip = admin.get(f"/workers/{w['id']}/payslips/2002-05").json()
    assert (slip["grade_pay"], slip["welfare"], slip["floor_top_up"]) == (85_000, 10_000, 0)  # S4-9; no floor yet
    assert slip["bonus_share"] == 0 and slip["gross"] == 95_000  # the 30% pool dates from 2004 (S4-12)
    w2 = hire(admin, post="委员", grade=2, hired_on="2002-03-01", community_code=None)
    slip = admin.get(f"/workers/{w2['id']}/payslips/2005-05").json()  # 三岗十八级 as first tried
    assert slip["grade_pay"] == 85_000 and slip["bonus_share"] == 25_500 and slip["welfare"] == 0


def test_certificate_allowance_starts_and_stops(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    _register(suite, w["id"], 77, "社会工作师", date(2025, 3, 10), date(2028, 3, 9))
    assert admin.get(f"/workers/{w['id']}/payslips/2025-02").json()["certificate_allowance"] == 0
    assert admin.get(f"/workers/{w['id']}/payslips/2025-03").json()["certificate_allowance"] == 40_000
    svc = service(suite)
    with svc.db.transaction() as s:
        on_registration_lapsed(s, RegistrationLapsed(worker_id=w["id"], jurisdiction=GONGSHU, certificate_id=77,
                                                     level="社会工作师", lapsed_on=date(2025, 6, 15)))
    assert admin.get(f"/workers/{w['id']}/payslips/2025-05").json()["certificate_allowance"] == 40_000
    assert admin.get(f"/workers/{w['id']}/payslips/2025-06").json()["certificate_allowance"] == 0


def test_pay_run_is_set_based(suite):
    admin = pay_admin(suite)
    svc = service(suite)
    counts = []
    for n, month in ((3, "2025-01"), (40, "2025-02")):
        for i in range(n):
            hire(admin, name=f"w{i}", community_code=f"GS-{i % 4}")
        with StatementCounter(svc.db.engine) as c:
            assert admin.post("/pay-runs", json={"jurisdiction": CITY, "month": month}).status_code == 201
        counts.append(c.count)
    assert counts[0] == counts[1], counts


def test_the_monthly_job_drafts_and_leaves_closed_months(suite):
    admin = pay_admin(suite)
    hire(admin)
    svc = service(suite)
    jobs = job_handlers(svc)
    with svc.db.transaction() as s:
        jobs["draft_pay_run"](s, "2025-04")
    runs = admin.get("/pay-runs").json()
    assert [(r["jurisdiction"], r["month"], r["created_by"]) for r in runs] == [(CITY, "2025-04", "scheduler")]
    close_run(suite, admin, runs[0]["id"])
    with svc.db.transaction() as s:
        jobs["draft_pay_run"](s, "2025-04")  # closed: left alone, no error
    assert admin.get("/pay-runs").json()[0]["computations"] == 1


def test_a_grade_the_new_table_lacks_is_refused(suite):
    admin = pay_admin(suite)
    w = hire(admin, grade=12)
    scale = rules.PAY_SCALE_2024
    shrunk = {"posts": {**{p: {"low": s.low, "high": s.high, "amounts": s.amounts} for p, s in scale.posts.items()},
                        "委员": {"low": 1, "high": 11, "amounts": scale.posts["委员"].amounts[:11]}}}
    r = admin.post("/policies/pay_scale", json={"jurisdiction": CITY, "effective_from": "2025-01-01", "value": shrunk})
    assert r.status_code == 201, r.text
    r = admin.post("/pay-runs", json={"jurisdiction": CITY, "month": "2025-01"})
    assert r.status_code == 409 and r.json()["code"] == "no_grade_pay" and r.json()["extra"]["workers"] == [w["id"]]
    assert admin.get("/pay-runs").json() == []


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_a_gap_in_the_year_and_an_older_assessment(request, backend):
    """The year so far comes from the latest earlier payslip when last month has none;
    the score from the latest assessment before this year when last year's is missing."""
    suite = request.getfixturevalue(backend)
    admin = pay_admin(suite)
    w = hire(admin, grade=2, hired_on="2021-03-01", community_code=None)
    peer = hire(admin, name="乙", grade=2, hired_on="2021-03-01", community_code="GS-009")
    other = hire(admin, name="丙", grade=2, hired_on="2021-03-01", community_code="GS-009")
    assess(admin, peer["id"], 2023, score=95)  # nothing for 2024: the 2023 score counts
    assess(admin, other["id"], 2024, score=60)
    assert admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-01"}).status_code == 201
    jan = admin.get(f"/workers/{w['id']}/payslips/2025-01").json()
    assert admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-03"}).status_code == 201
    mar = admin.get(f"/workers/{w['id']}/payslips/2025-03").json()
    assert (mar["months_to_date"], mar["paid_before"]) == (2, jan["gross"])
    assert mar["floor_to_date"] == (rules.AVERAGE_WAGE_SEEDS[2024] * 100 * 2 + 6) // 12
    assert mar["paid_to_date"] == jan["gross"] + mar["gross"] == mar["floor_to_date"]
    p = admin.get(f"/workers/{peer['id']}/payslips/2025-03").json()
    o = admin.get(f"/workers/{other['id']}/payslips/2025-03").json()
    assert (p["performance_score"], o["performance_score"]) == (95.0, 60.0)
    assert p["bonus_share"] > o["bonus_share"]
    runs = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-01"}).json()
    assert runs["later_months_to_recompute"] == ["2025-03"]
