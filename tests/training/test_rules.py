"""The pure rules of training, one clause at a time (no database, no clock)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from training_service import rules
from training_service.rules import (
    TIER_ELIGIBILITY,
    Candidate,
    CompletionRule,
    Credit,
    Member,
    ObligationRule,
    Offer,
    completion,
    eligibility,
    obligations,
)

RULE = ObligationRule()


@pytest.mark.parametrize("days,present,completes", [
    (5, 4, True), (5, 3, False), (10, 8, True), (10, 7, False), (1, 1, True), (1, 0, False), (15, 12, True),
    (14, 11, False),
])
def test_completion_threshold_is_exact(days, present, completes):
    assert completion(days, present, False, None, CompletionRule(80)).completed is completes


def test_completion_needs_the_assessment_when_there_is_one():
    rule = CompletionRule(80)
    assert completion(5, 5, True, None, rule).reason == "assessment not taken"
    assert not completion(5, 5, True, False, rule).completed
    assert completion(5, 5, True, True, rule).completed
    assert completion(5, 4, False, None, CompletionRule(100)).completed is False
    assert completion(0, 0, False, None, rule).completed is False


@pytest.mark.parametrize("hours,problem", [
    (Decimal("7.5"), None), (Decimal("0"), None), (Decimal("-0.5"), "must not be negative"),
    (Decimal("1.005"), "has more than two decimals"), (Decimal("NaN"), "must be a number"),
])
def test_hours_are_exact_to_the_hundredth(hours, problem):
    assert rules.hours_problem(hours) == problem


def test_hours_round_trip_through_hundredths():
    assert rules.to_ch(Decimal("12.25")) == 1225 and rules.from_ch(1225) == Decimal("12.25")
    assert str(rules.from_ch(800)) == "8.00"


def test_overlap_is_strict_at_the_edges():
    nine, noon, five = datetime(2025, 5, 12, 9), datetime(2025, 5, 12, 12), datetime(2025, 5, 12, 17)
    assert rules.overlaps(nine, noon, datetime(2025, 5, 12, 11), five)
    assert not rules.overlaps(nine, noon, noon, five)


def test_probation_end_is_six_months_less_a_day():
    assert rules.probation_end(date(2025, 3, 1), RULE) == date(2025, 8, 31)
    assert rules.probation_end(date(2025, 8, 31), RULE) == date(2026, 2, 27)  # 31 Aug + 6 months clamps to 28 Feb


def candidate(post="委员", designations=(), jurisdiction="hangzhou.gongshu", active=True):
    return Candidate(1, post, jurisdiction, active, frozenset(designations))


def offer(tier="continuing", location="in_city", posts=(), designations=(), jurisdiction="hangzhou"):
    return Offer(tier, location, jurisdiction, 2025, list(posts), list(designations))


def test_eligibility_follows_the_tiers_and_the_programme():
    assert eligibility(candidate(), offer(), TIER_ELIGIBILITY, False) is None
    r = eligibility(candidate(), offer("secretary_director"), TIER_ELIGIBILITY, False)
    assert (r.code, r.clause) == ("not_eligible_for_tier", "S0-4")
    assert eligibility(candidate("正职"), offer("secretary_director"), TIER_ELIGIBILITY, False) is None
    assert eligibility(candidate(), offer("leader_talent"), TIER_ELIGIBILITY, False).clause == "S2-6"
    assert eligibility(candidate(designations=["leader_talent"]), offer("leader_talent"), TIER_ELIGIBILITY,
                       False) is None
    assert eligibility(candidate(), offer(posts=["副职"]), TIER_ELIGIBILITY, False).code == "not_eligible_for_programme"
    assert eligibility(candidate(), offer(location="abroad"), TIER_ELIGIBILITY, False).clause == "S2-3"
    assert eligibility(candidate(), offer(location="abroad"), TIER_ELIGIBILITY, True) is None
    assert eligibility(candidate(active=False), offer(), TIER_ELIGIBILITY, False).code == "worker_not_active"
    r = eligibility(candidate(jurisdiction="hangzhou.xihu"), offer(jurisdiction="hangzhou.gongshu"),
                    TIER_ELIGIBILITY, False)
    assert r.code == "outside_session_jurisdiction"


def credit(day: str, hours: str = "8", tier: str = "continuing", delivery: str = "offline") -> Credit:
    return Credit(date.fromisoformat(day), tier, delivery, rules.to_ch(Decimal(hours)))


def by_kind(obs):
    return {o.kind: o for o in obs}


def test_a_director_needs_seven_days_of_centralised_training_a_year():
    director = Member("正职", date(2015, 1, 1), None)
    done = [credit("2025-03-03", "24"), credit("2025-05-01", "16", delivery="online"), credit("2024-12-31", "40")]
    o = by_kind(obligations(director, done, 2025, date(2026, 1, 15), RULE))["annual_days"]
    assert (o.required, o.done, o.shortfall, o.shortfall_days, o.status) == (
        Decimal("56.00"), Decimal("24.00"), Decimal("32.00"), Decimal("4.00"), "behind")
    assert by_kind(obligations(director, done, 2025, date(2025, 12, 31), RULE))["annual_days"].status == "open"
    enough = done + [credit("2025-09-01", "32")]
    assert by_kind(obligations(director, enough, 2025, date(2026, 1, 15), RULE))["annual_days"].status == "met"
    # the hours in a day and the days in a year are parameters
    lighter = ObligationRule(days_per_year=5, hours_per_day=Decimal("6"))
    o = by_kind(obligations(director, done, 2025, date(2026, 1, 15), lighter))["annual_days"]
    assert (o.required, o.shortfall_days) == (Decimal("30.00"), Decimal("1.00"))


def test_others_need_one_programme_every_two_years():
    member = Member("委员", date(2015, 1, 1), None)
    assert by_kind(obligations(member, [credit("2024-01-10")], 2025, date(2026, 1, 1), RULE))[
        "periodic_programme"].status == "met"
    o = by_kind(obligations(member, [credit("2023-12-31")], 2025, date(2026, 1, 1), RULE))["periodic_programme"]
    assert (o.period_from, o.due_on, o.shortfall, o.status) == (
        date(2024, 1, 1), date(2025, 12, 31), Decimal(1), "behind")
    # hired inside the period: two full years from the hire date
    newcomer = Member("副职", date(2025, 3, 1), None)
    o = by_kind(obligations(newcomer, [], 2025, date(2026, 1, 1), RULE))["periodic_programme"]
    assert (o.due_on, o.status) == (date(2027, 2, 28), "open")


def test_induction_within_probation():
    hire = Member("委员", date(2025, 3, 1), date(2025, 8, 31))
    assert by_kind(obligations(hire, [], 2025, date(2025, 6, 1), RULE))["induction"].status == "open"
    assert by_kind(obligations(hire, [], 2025, date(2025, 9, 1), RULE))["induction"].status == "behind"
    on_time = [credit("2025-04-10", tier="induction")]
    assert by_kind(obligations(hire, on_time, 2025, date(2025, 9, 1), RULE))["induction"].status == "met"
    late = [credit("2025-10-10", tier="induction")]
    assert by_kind(obligations(hire, late, 2025, date(2025, 12, 1), RULE))["induction"].status == "late"
    # a later year the probation does not fall in owes no induction, done or not (D-6)
    assert "induction" not in by_kind(obligations(hire, on_time, 2026, date(2026, 6, 1), RULE))
    assert "induction" not in by_kind(obligations(hire, [], 2026, date(2026, 6, 1), RULE))
    # an old hand with no known probation has no induction obligation
    old_hand = Member("委员", date(2010, 1, 1), None)
    assert "induction" not in by_kind(obligations(old_hand, [], 2025, date(2025, 6, 1), RULE))


def test_nothing_is_due_before_the_hire():
    assert obligations(Member("正职", date(2026, 3, 1), None), [], 2025, date(2026, 1, 1), RULE) == []


def test_the_seeds_are_seven_classes_and_cite_their_clauses():
    assert len(rules.SEVEN_CLASSES.classes) == 7
    assert {c.clause for c in rules.SEVEN_CLASSES.classes} == {"S2-2", "D-6", "S2-6", "S4-15", "S4-4"}
    assert {s.key for s in rules.SEEDS} == {k.name for k in rules.POLICY_KEYS}
