"""Properties: the set-based step increment gives, worker by worker, what the
pure rule gives (``rules.next_grade``), for random populations: workers,
policy versions and the runs through the HTTP API; assessments and leaving
through the store, each example's in one transaction (many API calls would
cost more than the runs). The pay run's are in ``test_pay_properties.py``,
which uses the loaders here.

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
from hr_service.tables import Worker
from shared import idcard
from tests.hr.helpers import CITY, service

MAX_WORKERS = 40
PROPERTY = settings(max_examples=25, deadline=None, derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])
BACKENDS = ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)]
DAY = timedelta(days=1)

_jurisdictions = itertools.count(1)
_people = itertools.count(1)


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
