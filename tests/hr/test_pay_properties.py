"""Properties of the pay run: the set-based statement gives, worker by worker
and to the fen, what the pure rules give (``rules.pool_payslips``), for random
populations (workers, communities, policy versions, assessments, leaving,
certificates and leader-talent terms through the certs event handlers); each
pool is paid in full (S4-12, ``rules.bonus_shares``); and a change reaching
back into closed months is made good line by line as the rules give it (D-12).

Each example is a fresh jurisdiction (``hangzhou.pN``) with communities of its
own, loaded as ``test_properties.py`` loads them.
"""
from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hr_service import rules
from hr_service.actors import on_certificate_registered, on_registration_lapsed, on_talent_selected
from hr_service.pay.tables import TaxDeduction, UnpaidAbsence
from shared.dates import add_years, month_bounds
from shared.events import CertificateRegistered, RegistrationLapsed, TalentSelected
from tests.hr.pay_helpers import community
from tests.hr.test_properties import (
    BACKENDS,
    DAY,
    MAX_WORKERS,
    PROPERTY,
    add_policy,
    assessable,
    fresh_jurisdiction,
    grades,
    load_records,
    load_workers,
    on_or_after,
)

_certificates = itertools.count(1)

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
    return {"year": year, "months": months, "own": own, "people": within_quota(people)}


POOL_MAX = 15
"""D-9: at most 15 workers in a community (the quota of the largest)."""


def within_quota(people: list[dict]) -> list[dict]:
    """The people, those past a community's quota without one (a pool of their own)."""
    seen: Counter = Counter()
    out = []
    for p in people:
        seen[p["community"]] += 1
        out.append(p if p["community"] is None or seen[p["community"]] <= POOL_MAX else {**p, "community": None})
    return out


def with_communities(admin, jurisdiction: str, case: dict) -> dict:
    """The case with its communities registered in ``jurisdiction`` under codes of their own."""
    names = sorted({p["community"] for p in case["people"] if p["community"] is not None})
    for name in names:
        community(admin, f"{jurisdiction}.{name}", district=jurisdiction)
    people = [{**p, "community": p["community"] and f"{jurisdiction}.{p['community']}"} for p in case["people"]]
    return {**case, "people": people}


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
    absences = draw(st.lists(st.tuples(st.sampled_from(edges), st.integers(0, 12)), max_size=2))
    kinds = st.sampled_from([("children_education", 100_000), ("children_education", 200_000),
                             ("elderly_support", 150_000), ("housing_rent", 150_000), ("personal_pension", 83_333)])
    first = st.sampled_from([f"{year - 1}-11", f"{year}-01", *[f"{year}-{m:02d}" for m in months]])
    deductions = draw(st.lists(st.tuples(kinds, first, st.one_of(st.none(), first)), max_size=2))
    return {"post": post, "grade": draw(grades(post, YEARS[year])), "hired_on": hired_on, "left_on": left_on,
            "community": draw(st.sampled_from(["C1", "C1", "C2", "C3", None])),
            "service_years": draw(st.sampled_from([0, 0, 3, 4, 5, 9, 10, 19])), "scores": scores,
            "certificates": certificates, "talents": talents,
            "absences": sorted({(a, a + n * DAY) for a, n in absences}),
            "deductions": [rules.Declaration(kind, amount, lo, hi if hi is None or hi >= lo else lo)
                           for (kind, amount), lo, hi in deductions]}


def certs_events(s, jurisdiction: str, ids: list[int], people: list[dict]) -> None:
    """Registrations, lapses and leader-talent terms, as the certs events deliver
    them; unpaid absences (D-15) and declared deductions (D-13) as recorded."""
    stamp = datetime.now(UTC)
    for wid, p in zip(ids, people, strict=True):
        for first, last in p.get("absences", []):
            s.add(UnpaidAbsence(worker_id=wid, first_day=first, last_day=last, reason="事假", recorded_by="admin",
                                recorded_at=stamp))
        for d in p.get("deductions", []):
            s.add(TaxDeduction(worker_id=wid, kind=d.kind, monthly_fen=d.monthly_fen, from_month=d.from_month,
                               to_month=d.to_month, recorded_by="admin", recorded_at=stamp))
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
    """The case's policies, workers (in communities registered by ``with_communities``) and records."""
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
    return rules.PayFigures(scale=YEARS[year], insurance=rules.INSURANCE_SEED if year >= 2020 else rules.INSURANCE_2002,
                            **{k: v for k, v in chosen.items() if v is not None})


def earner(p: dict, month: str, f: rules.PayFigures, so_far: dict, arrears: int = 0) -> rules.Earner:
    """A worker's facts in a month, read from what was loaded, and the year so
    far carried by their previous payslip (``carried``)."""
    start, end = month_bounds(month)
    levels = [lv for lv, reg, until, lapsed in p["certificates"]
              if reg <= end <= until and (lapsed is None or lapsed <= reg or lapsed > end)]
    talent = max((a for starts, ends, a in p["talents"] if starts <= end <= ends), default=0)
    months = so_far.get("months_before", 0) + 1
    return rules.Earner(
        post=p["post"], grade=p["grade"], score_centi=rules.performance_score(p["scores"], end.year, f.bonus),
        service_years=rules.service_years(p["service_years"], p["hired_on"], end),
        certificate_allowance=rules.certificate_allowance(levels, f.allowances), talent_allowance=talent,
        paid_days=rules.month_paid_days(p["hired_on"], p["left_on"], p["absences"], start, end, f.proration),
        special_deductions_to_date=rules.declared_to_date(p["deductions"], month, months),
        arrears=arrears, worker_id=p["id"], **so_far)


def carried(lines: dict) -> dict:
    """What a payslip carries into the next month's ``rules.Earner``."""
    return {"months_before": lines["months_to_date"], "paid_days_before": lines["paid_days_to_date"],
            "paid_before": lines["paid_to_date"], "income_before": lines["income_to_date"],
            "contributions_before": lines["contributions_to_date"],
            "tax_withheld_before": lines["tax_withheld_before"] + lines["income_tax"]}


def expected_month(case: dict, ids: list[int], month: int, so_far: dict[int, dict],
                   arrears: dict[int, int] | None = None) -> dict[int, dict]:
    """``rules.pool_payslips`` for each pool of the workers on the rolls in the
    month, with the ``arrears`` each payslip makes good (D-12)."""
    name = f"{case['year']}-{month:02d}"
    start, end = month_bounds(name)
    f = figures(case)
    pools: dict[str, list[tuple[int, dict]]] = {}
    for wid, p in zip(ids, case["people"], strict=True):
        if rules.on_rolls_during(p["hired_on"], p["left_on"], start, end):
            pools.setdefault(p["community"] or f"worker:{wid}", []).append((wid, p))
    out = {}
    for key, members in pools.items():
        earners = [earner({**p, "id": wid}, name, f, so_far.get(wid, {}), (arrears or {}).get(wid, 0))
                   for wid, p in members]
        for (wid, _), e, lines in zip(members, earners, rules.pool_payslips(earners, f), strict=True):
            out[wid] = {"pool_key": key, "post": e.post, "grade": e.grade, "performance_score": e.score_centi / 100,
                        "service_years": e.service_years, **{k: getattr(lines, k) for k in lines.__struct_fields__}}
    return out


NOT_SUMMED = ("bonus_pool", "paid_days", "paid_days_to_date", "floor_to_date", "months_to_date", "paid_before",
              "paid_to_date", "contribution_wage", "contribution_base", "income_to_date", "basic_deduction_to_date",
              "contributions_to_date", "special_deductions_to_date", "taxable_to_date", "tax_due_to_date",
              "tax_withheld_before")
"""The lines a run's totals do not add up: figures of the year so far, days, the declared wage and
the bounded base, and the pool (added once per pool below)."""


def check_totals(totals: dict, want: dict[int, dict]) -> None:
    summed = [c for c in rules.PayLines.__struct_fields__ if c not in NOT_SUMMED]
    assert set(totals) == {"workers", "bonus_pool", "bonus_pool_unallocated", *summed}
    assert totals["workers"] == len(want)
    for column in summed:
        assert totals[column] == sum(w[column] for w in want.values()), column
    pools = sum({w["pool_key"]: w["bonus_pool"] for w in want.values()}.values())
    assert (totals["bonus_pool"], totals["bonus_pool_unallocated"]) == (pools, pools - totals["bonus_share"])
    # S4-12: a pool is paid in full unless nobody in it has any weight
    shares: dict[str, list[dict]] = {}
    for w in want.values():
        shares.setdefault(w["pool_key"], []).append(w)
    unpaid = sum(m[0]["bonus_pool"] for m in shares.values()
                 if all(w["grade_pay"] * round(w["performance_score"] * 100) == 0 for w in m))
    assert totals["bonus_pool_unallocated"] == unpaid


ZERO_WEIGHT_POOL = {
    "year": 2025, "months": [1], "own": {"bonus_pool": rules.BonusPool(ratio_bp=1, default_score=0)},
    "people": [{"post": "正职", "grade": 7, "hired_on": date(2025, 1, 30), "left_on": None, "community": None,
                "service_years": 0, "scores": {}, "certificates": [], "talents": [], "absences": [],
                "deductions": []}],
}
"""Found by the property: a pool of one fen whose only member has no score is not paid out (S4-12)."""


@pytest.mark.parametrize("backend", BACKENDS)
def test_pay_run_is_the_rule(request, backend):
    suite = request.getfixturevalue(backend)
    admin = suite.hr.as_(suite.admin_token)

    @PROPERTY
    @given(case=pay_cases())
    @example(case=ZERO_WEIGHT_POOL)
    def check(case):
        jurisdiction = fresh_jurisdiction()
        case = with_communities(admin, jurisdiction, case)
        ids = load_pay_case(suite, admin, jurisdiction, case)
        so_far: dict[int, dict] = {}
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
                so_far[wid] = carried(lines)
            check_totals(run["totals"], want)

    check()


# --- the pool paid in full (S4-12, S2-5) --------------------------------------------------

GRADE_PAYS = st.sampled_from([0, 700_000, 760_000, 1_190_000, 1_370_000])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(members=st.lists(st.tuples(st.one_of(GRADE_PAYS, st.integers(0, 2_000_000)),
                                  st.one_of(st.sampled_from([0, 6000, 8000]), st.integers(0, 10_000))),
                        min_size=1, max_size=40),
       ratio=st.one_of(st.sampled_from([0, 3000]), st.integers(0, 10_000)), data=st.data())
def test_the_pool_is_paid_in_full_by_the_largest_remainders(members, ratio, data):
    ids = data.draw(st.permutations(range(100, 100 + len(members))))
    pool, shares = rules.bonus_shares(members, rules.BonusPool(ratio_bp=ratio), ids)
    weights = [g * s for g, s in members]
    total = sum(weights)
    assert pool == (sum(g for g, _ in members) * ratio + 5000) // 10_000
    if total == 0:  # nothing to share it by
        assert shares == [0] * len(members)
        return
    assert sum(shares) == pool
    floors = [pool * w // total for w in weights]
    assert all(s - f in (0, 1) for s, f in zip(shares, floors, strict=True))

    def rank(i: int) -> tuple:  # the larger remainder, then the larger weight, then the lower id
        return pool * weights[i] % total, weights[i], -ids[i]

    extra = [i for i in range(len(members)) if shares[i] > floors[i]]
    rest = [i for i in range(len(members)) if shares[i] == floors[i]]
    if extra and rest:
        assert min(rank(i) for i in extra) > max(rank(i) for i in rest)
    assert all(pool * weights[i] % total > 0 for i in extra)
