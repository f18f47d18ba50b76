"""Properties: the set-based step increment and pay run give, worker by worker
and to the fen, what the pure rules give (``rules.next_grade``,
``rules.pool_payslips``), for random populations: workers, policy versions
and the runs through the HTTP API; assessments and leaving through the store,
certificates and leader-talent terms through the certs event handlers, each
example's in one transaction (many API calls would cost more than the runs).

Each example is a fresh jurisdiction (``hangzhou.pN``) in one database per
test, so examples do not see each other's workers; the city's seeded policy
versions apply unless the example adds its own for its jurisdiction.
"""
from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from hr_service import rules, store
from hr_service.actors import on_certificate_registered, on_registration_lapsed, on_talent_selected
from hr_service.tables import Worker
from shared import idcard
from shared.dates import add_years, month_bounds
from shared.events import CertificateRegistered, RegistrationLapsed, TalentSelected
from tests.hr.helpers import CITY, service

MAX_WORKERS = 40
PROPERTY = settings(max_examples=25, deadline=None, derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])
BACKENDS = ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)]
DAY = timedelta(days=1)

_jurisdictions = itertools.count(1)
_people = itertools.count(1)
_certificates = itertools.count(1)


def fresh_jurisdiction() -> str:
    return f"{CITY}.p{next(_jurisdictions)}"


def id_number() -> str:
    """A valid ID number never used before in this run (a thousand per birth date)."""
    k = next(_people)
    return idcard.make("330105", date(1960, 1, 1) + timedelta(days=k // 1000), k)


def grades(post: str, scale: rules.PayScale = rules.PAY_SCALE_2024):
    """A grade of the post's band, often at or next to its edges."""
    ps = scale.posts[post]
    edges = sorted({ps.low, min(ps.low + 1, ps.high), max(ps.high - 1, ps.low), ps.high})
    return st.one_of(st.sampled_from(edges), st.integers(ps.low, ps.high))


def on_or_after(day: date, days):
    return st.one_of(st.sampled_from([d for d in days if d >= day] or [day]), st.just(day))


# --- loading through the API -------------------------------------------------------


def load_workers(admin, jurisdiction: str, people: list[dict]) -> list[int]:
    """Put ``people`` on the rolls in one import; returns their ids in order."""
    items = [{"name": f"w{i}", "id_number": id_number(), "jurisdiction": jurisdiction, "post": p["post"],
              "grade": p["grade"], "hired_on": p["hired_on"].isoformat(), "community_code": p.get("community"),
              "service_years": p.get("service_years", 0)} for i, p in enumerate(people)]
    r = admin.post("/workers/import", json={"items": items})
    assert r.status_code == 201, r.text
    return r.json()["ids"]


def load_records(suite, ids: list[int], people: list[dict], *, scores: str = "scores",
                 extra=None) -> None:
    """Each person's assessments (``{year: grade}`` or ``{year: score}``) and
    leaving, through the store in one transaction (as many API calls would),
    then ``extra(session)``."""
    svc = service(suite)
    stamp = datetime.now(UTC)
    with svc.db.transaction() as s:
        for wid, p in zip(ids, people, strict=True):
            w = s.get(Worker, wid)
            for year, value in p[scores].items():
                grade, score = (value, 8000) if isinstance(value, str) else ("合格", value)
                store.record_assessment(s, w, year=year, grade=grade, visits=[25] * 12, score=Decimal(score) / 100,
                                        residents_satisfaction=None, comment=None, actor="admin", now=stamp,
                                        today=date.today(), policies=svc.policies)
            if p["left_on"] is not None:
                store.leave(s, w, left_on=p["left_on"], reason="moved away", actor="admin", now=stamp)
        if extra is not None:
            extra(s)


def add_policy(admin, key: str, jurisdiction: str, effective_from: date, value) -> None:
    r = admin.post(f"/policies/{key}", json={"jurisdiction": jurisdiction, "effective_from": effective_from.isoformat(),
                                             "value": msgspec.to_builtins(value)})
    assert r.status_code == 201, r.text


def assessable(year: int, hired_on: date, left_on: date | None) -> bool:
    """The years the assessment API takes for a worker (S4-10)."""
    return hired_on.year <= year <= date.today().year and (left_on is None or year <= left_on.year)


# --- the step increment (S4-10) ------------------------------------------------------

NARROW = rules.PayScale(posts={"正职": rules.PAY_SCALE_2024.posts["正职"],
                               "委员": rules.PostScale(1, 10, rules.PAY_SCALE_2024.posts["委员"].amounts[:10])})
"""A jurisdiction's own table without 副职 and with a shorter 委员 band (post_not_in_scale, top_of_band)."""

ASSESSED = st.sampled_from(["优秀", "优秀", "合格", "合格", "合格", "基本合格", "不合格"])


@st.composite
def step_cases(draw):
    """A step rule, an effective date, maybe a narrower table, and workers around every edge of ``next_grade``."""
    kind = draw(st.sampled_from(["seeded", "own", "leap"]))
    if kind == "seeded":
        rule, eff = None, date(2025, 7, 1)
    elif kind == "own":
        rule = rules.StepRule(interval_years=draw(st.integers(1, 3)), early_step=draw(st.booleans()))
        eff = draw(st.sampled_from([date(2024, 7, 1), date(2025, 7, 1)]))
    else:  # 29 February: a cut-off a year back is 28 February
        rule = rules.StepRule(interval_years=draw(st.integers(1, 4)), month_day="02-29", early_step=draw(st.booleans()))
        eff = date(2024, 2, 29)
    narrow = draw(st.booleans())
    n = (rule or rules.StepRule()).interval_years
    size = draw(st.integers(1, MAX_WORKERS))
    people = draw(st.lists(step_person(eff, n, narrow), min_size=size, max_size=size))
    return {"rule": rule, "eff": eff, "narrow": narrow, "people": people}


@st.composite
def step_person(draw, eff: date, n: int, narrow: bool):
    ay = rules.assessment_year(eff)
    hired_on = draw(st.one_of(
        st.sampled_from([date(ay, 12, 31), date(ay + 1, 1, 1), eff - DAY, eff, eff + DAY, date(2020, 2, 29),
                         date(ay, 1, 1), date(ay - 1, 7, 1)]),
        st.dates(date(2012, 1, 1), eff)))
    post = "正职" if narrow and hired_on >= eff else draw(st.sampled_from(rules.POSTS))
    left_on = draw(st.one_of(st.none(), st.none(), on_or_after(hired_on, [eff - DAY, eff, eff + DAY])))
    assessments = {}
    for year in range(ay - 3, ay + 2):  # ay + 1: this year's, recorded before the run, which does not count
        g = draw(st.one_of(st.none(), ASSESSED))
        if g is not None and assessable(year, hired_on, left_on):
            assessments[year] = g
    cutoff = rules.step_cutoff(eff, n)
    last_step_on = draw(st.one_of(st.none(), st.sampled_from([cutoff - DAY, cutoff, cutoff + DAY]),
                                  st.dates(date(2012, 1, 1), eff - DAY)))
    if last_step_on is not None and last_step_on < hired_on:
        last_step_on = None
    return {"post": post, "grade": draw(grades(post)), "hired_on": hired_on, "left_on": left_on,
            "assessments": assessments, "last_step_on": last_step_on}


def load_step_case(suite, admin, jurisdiction: str, case: dict) -> list[int]:
    if case["rule"] is not None:
        add_policy(admin, "step_rule", jurisdiction, date(2004, 1, 1), case["rule"])
    if case["narrow"]:
        add_policy(admin, "pay_scale", jurisdiction, case["eff"], NARROW)
    ids = load_workers(admin, jurisdiction, case["people"])

    def last_steps(s) -> None:  # a step history the API does not take, as a migration loads it
        for wid, p in zip(ids, case["people"], strict=True):
            if p["last_step_on"] is not None:
                s.execute(update(Worker).where(Worker.id == wid).values(last_step_on=p["last_step_on"]))

    load_records(suite, ids, case["people"], scores="assessments", extra=last_steps)
    return ids


def expected_moves(case: dict, ids: list[int]) -> dict[int, rules.Move]:
    """``rules.next_grade`` for every worker on the rolls on the date."""
    eff = case["eff"]
    rule = case["rule"] or rules.StepRule()
    scale = NARROW if case["narrow"] else rules.PAY_SCALE_2024
    return {wid: rules.next_grade(p["grade"], rules.band_of(scale, p["post"]), p["assessments"], rule,
                                  effective_on=eff, hired_on=p["hired_on"], last_step_on=p["last_step_on"])
            for wid, p in zip(ids, case["people"], strict=True)
            if rules.on_rolls_during(p["hired_on"], p["left_on"], eff, eff)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_step_increment_is_the_rule(request, backend):
    suite = request.getfixturevalue(backend)
    admin = suite.hr.as_(suite.admin_token)

    @PROPERTY
    @given(case=step_cases())
    def check(case):
        jurisdiction = fresh_jurisdiction()
        ids = load_step_case(suite, admin, jurisdiction, case)
        want = expected_moves(case, ids)
        r = admin.post("/step-runs", json={"jurisdiction": jurisdiction, "effective_on": case["eff"].isoformat()})
        assert r.status_code == 201, r.text
        run = r.json()
        assert {k: v for k, v in run["counts"].items() if v} == dict(Counter(m.outcome for m in want.values()))
        items = admin.get(f"/step-runs/{run['id']}/outcomes", params={"limit": 500}).json()["items"]
        got = {o["worker_id"]: (o["outcome"], o["from_grade"], o["to_grade"], o["reason"], o["reason_zh"])
               for o in items}
        assert got == {wid: (m.outcome, m.from_grade, m.to_grade, *rules.OUTCOMES[m.outcome])
                       for wid, m in want.items()}
        workers = admin.get("/workers", params={"jurisdiction": jurisdiction, "limit": 500}).json()["items"]
        for w in workers:
            p = case["people"][ids.index(w["id"])]
            moved = w["id"] in want and want[w["id"]].outcome == "advanced"
            assert w["grade"] == (p["grade"] + 1 if moved else p["grade"]), w["id"]
            last = case["eff"] if moved else p["last_step_on"]
            assert w["last_step_on"] == (last and last.isoformat()), w["id"]

    check()


# --- the pay run (S4-10, S4-12, S2-5, S0-2, S4-11, D-3, D-7) ---------------------------

LEVELS = [*rules.ALLOWANCES_SEED.certificate, "心理咨询师"]  # the last is not in the allowance table
YEARS = {2025: rules.PAY_SCALE_2024, 2009: rules.PAY_SCALE_2004, 2003: rules.PAY_SCALE_2002}
"""Pay years and their tables: 2003 before the bonus pool, the allowances and
the floor; 2009 before the floor; 2025 with everything."""


def month_end(year: int, month: int) -> date:
    return month_bounds(f"{year}-{month:02d}")[1]


@st.composite
def pay_cases(draw):
    year = draw(st.sampled_from(list(YEARS)))
    months = sorted(draw(st.sets(st.integers(1, 6), min_size=1, max_size=3)))
    own = {}
    if draw(st.booleans()):
        own["bonus_pool"] = rules.BonusPool(ratio_bp=draw(st.integers(0, 5000)),
                                            default_score=draw(st.integers(0, 100)))
    if draw(st.booleans()):
        own["cost_split"] = rules.CostSplit(city_bp=draw(st.integers(0, 10_000)))
    if draw(st.booleans()):
        # 12,000,006 fen: a month's share of the floor ends in half a fen (rounded up)
        own["average_wage"] = rules.AverageWage(year - 1, draw(st.sampled_from([3_000_000, 6_000_000, 12_000_006,
                                                                                20_000_000])))
    size = draw(st.integers(1, MAX_WORKERS))
    people = draw(st.lists(pay_person(year, months), min_size=size, max_size=size))
    return {"year": year, "months": months, "own": own, "people": people}


@st.composite
def pay_person(draw, year: int, months: list[int]):
    ends = [month_end(year, m) for m in months]
    edges = [e + k * DAY for e in ends for k in (-1, 0, 1)]
    anniversaries = [add_years(e, -k) + d * DAY for e in ends for k in (1, 5, 10) for d in (-1, 0, 1)]
    hired_on = draw(st.one_of(st.sampled_from(edges + anniversaries + [date(2000, 2, 29), date(year - 1, 2, 28)]),
                              st.dates(date(year - 22, 1, 1), ends[-1])))
    post = draw(st.sampled_from(rules.POSTS))
    left_on = draw(st.one_of(st.none(), st.none(), st.none(), on_or_after(hired_on, edges)))
    scores = {}
    for y in range(year - 3, year + 1):  # the pay year's own assessment does not weigh its shares
        s = draw(st.one_of(st.none(), st.integers(0, 10_000)))
        if s is not None and assessable(y, hired_on, left_on):
            scores[y] = s
    day = st.sampled_from(edges + [date(year - 1, 6, 1), date(year + 1, 6, 1)])
    certificates = draw(st.lists(st.tuples(st.sampled_from(LEVELS), day, day, st.one_of(st.none(), day)), max_size=2))
    talents = draw(st.lists(st.tuples(day, day, st.sampled_from([50_000, 100_000, 123_456])), max_size=2))
    return {"post": post, "grade": draw(grades(post, YEARS[year])), "hired_on": hired_on, "left_on": left_on,
            "community": draw(st.sampled_from(["C1", "C1", "C2", "C3", None])),
            "service_years": draw(st.sampled_from([0, 0, 3, 4, 5, 9, 10, 19])), "scores": scores,
            "certificates": certificates, "talents": talents}


def certs_events(s, jurisdiction: str, ids: list[int], people: list[dict]) -> None:
    """Registrations, lapses and leader-talent terms, as the certs events deliver them."""
    for wid, p in zip(ids, people, strict=True):
        for level, registered_on, valid_until, lapsed_on in p["certificates"]:
            cid = next(_certificates)
            on_certificate_registered(s, CertificateRegistered(
                worker_id=wid, jurisdiction=jurisdiction, certificate_id=cid, level=level,
                registered_on=registered_on, valid_until=valid_until))
            s.flush()
            if lapsed_on is not None:
                on_registration_lapsed(s, RegistrationLapsed(
                    worker_id=wid, jurisdiction=jurisdiction, certificate_id=cid, level=level, lapsed_on=lapsed_on))
        for round_id, (starts, ends, amount) in enumerate(p["talents"], 1):
            on_talent_selected(s, TalentSelected(worker_id=wid, jurisdiction=jurisdiction, round_id=round_id,
                                                 term_starts_on=starts, term_ends_on=ends, allowance_fen=amount))
            s.flush()


def load_pay_case(suite, admin, jurisdiction: str, case: dict) -> list[int]:
    for key, value in case["own"].items():
        add_policy(admin, key, jurisdiction, date(case["year"], 1, 1), value)
    ids = load_workers(admin, jurisdiction, case["people"])
    load_records(suite, ids, case["people"], extra=lambda s: certs_events(s, jurisdiction, ids, case["people"]))
    return ids


def figures(case: dict) -> rules.PayFigures:
    """The figures in force in the case's year: the seeded ones (none before their first version), or its own."""
    year, own = case["year"], case["own"]
    wage = rules.AVERAGE_WAGE_SEEDS.get(year - 1)
    seeded = {"bonus": rules.BonusPool() if year >= 2004 else None,
              "allowances": rules.ALLOWANCES_SEED if year >= 2004 else None,
              "wage": rules.AverageWage(year - 1, wage * 100) if wage else None}
    chosen = {"bonus": own.get("bonus_pool", seeded["bonus"]), "split": own.get("cost_split", rules.CostSplit()),
              "allowances": seeded["allowances"], "wage": own.get("average_wage", seeded["wage"])}
    return rules.PayFigures(scale=YEARS[year], insurance=rules.INSURANCE_SEED,
                            **{k: v for k, v in chosen.items() if v is not None})


def earner(p: dict, end: date, f: rules.PayFigures, so_far: tuple[int, int]) -> rules.Earner:
    """A worker's facts on a month's last day, read from what was loaded."""
    levels = [lv for lv, reg, until, lapsed in p["certificates"]
              if reg <= end <= until and (lapsed is None or lapsed <= reg or lapsed > end)]
    talent = max((a for starts, ends, a in p["talents"] if starts <= end <= ends), default=0)
    return rules.Earner(
        post=p["post"], grade=p["grade"], score_centi=rules.performance_score(p["scores"], end.year, f.bonus),
        service_years=rules.service_years(p["service_years"], p["hired_on"], end),
        certificate_allowance=rules.certificate_allowance(levels, f.allowances), talent_allowance=talent,
        months_before=so_far[0], paid_before=so_far[1])


def expected_month(case: dict, ids: list[int], month: int, so_far: dict[int, tuple[int, int]]) -> dict[int, dict]:
    """``rules.pool_payslips`` for each pool of the workers on the rolls in the month."""
    start, end = month_bounds(f"{case['year']}-{month:02d}")
    f = figures(case)
    pools: dict[str, list[tuple[int, dict]]] = {}
    for wid, p in zip(ids, case["people"], strict=True):
        if rules.on_rolls_during(p["hired_on"], p["left_on"], start, end):
            pools.setdefault(p["community"] or f"worker:{wid}", []).append((wid, p))
    out = {}
    for key, members in pools.items():
        earners = [earner(p, end, f, so_far.get(wid, (0, 0))) for wid, p in members]
        for (wid, _), e, lines in zip(members, earners, rules.pool_payslips(earners, f), strict=True):
            out[wid] = {"pool_key": key, "post": e.post, "grade": e.grade, "performance_score": e.score_centi / 100,
                        "service_years": e.service_years, **{k: getattr(lines, k) for k in lines.__struct_fields__}}
    return out


NOT_SUMMED = ("bonus_pool", "floor_to_date", "months_to_date", "paid_before", "paid_to_date", "contribution_base")
"""The lines a run's totals do not add up: figures of the year so far, the bounded base, and the
pool (added once per pool below)."""


def check_totals(totals: dict, want: dict[int, dict]) -> None:
    summed = [c for c in rules.PayLines.__struct_fields__ if c not in NOT_SUMMED]
    assert set(totals) == {"workers", "bonus_pool", "bonus_pool_unallocated", *summed}
    assert totals["workers"] == len(want)
    for column in summed:
        assert totals[column] == sum(w[column] for w in want.values()), column
    pools = sum({w["pool_key"]: w["bonus_pool"] for w in want.values()}.values())
    assert (totals["bonus_pool"], totals["bonus_pool_unallocated"]) == (pools, pools - totals["bonus_share"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_pay_run_is_the_rule(request, backend):
    suite = request.getfixturevalue(backend)
    admin = suite.hr.as_(suite.admin_token)

    @PROPERTY
    @given(case=pay_cases())
    def check(case):
        jurisdiction = fresh_jurisdiction()
        ids = load_pay_case(suite, admin, jurisdiction, case)
        so_far: dict[int, tuple[int, int]] = {}
        for month in case["months"]:
            r = admin.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": f"{case['year']}-{month:02d}"})
            assert r.status_code == 201, r.text
            run = r.json()
            want = expected_month(case, ids, month, so_far)
            slips = admin.get(f"/pay-runs/{run['id']}/payslips", params={"limit": 500}).json()["items"]
            got = {s["worker_id"]: {k: s[k] for k in next(iter(want.values()), {})} for s in slips}
            assert got.keys() == want.keys()
            for wid, lines in want.items():
                assert got[wid] == lines, wid
                so_far[wid] = (lines["months_to_date"], lines["paid_to_date"])
            check_totals(run["totals"], want)

    check()
