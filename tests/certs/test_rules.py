"""certs_service.rules on their own: dates of a registration cycle (D-5),
reminders, shares (S2-7), eligibility and ranking (D-7)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from certs_service import rules
from certs_service.rules import ASSISTANT, SENIOR, SOCIAL_WORKER, Candidate, RegistrationRule, Scored, TalentRule

RULE = RegistrationRule()
TALENT = TalentRule()


@pytest.mark.parametrize("day, months, expected", [
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 10, 1), -3, date(2024, 7, 1)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 12, 15), 1, date(2025, 1, 15)),
])
def test_add_months_clips_to_month_end(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_first_registration_deadline_is_the_same_day_a_year_later():
    assert rules.first_registration_deadline(date(2021, 9, 15), RULE) == date(2022, 9, 15)


def test_cycle_is_three_years_and_the_window_its_last_three_months():
    until = rules.valid_until(date(2021, 10, 1), RULE)
    assert until == date(2024, 9, 30)
    assert rules.renewal_window(until, RULE) == (date(2024, 7, 1), date(2024, 9, 30))
    # a cycle ending on the last day of February opens its window on 1 December
    assert rules.renewal_window(date(2027, 2, 28), RULE) == (date(2026, 12, 1), date(2027, 2, 28))


@pytest.mark.parametrize("as_of, ended, state", [
    (date(2024, 6, 30), None, rules.ACTIVE),
    (date(2024, 7, 1), None, rules.DUE),
    (date(2024, 9, 30), None, rules.DUE),
    (date(2024, 10, 1), None, rules.LAPSED),
    (date(2024, 8, 1), rules.ENDED_LAPSED, rules.LAPSED),
    (date(2024, 8, 1), rules.ENDED_RENEWED, rules.ENDED_RENEWED),
    (date(2024, 8, 1), rules.ENDED_CLOSED, rules.ENDED_CLOSED),
])
def test_registration_state(as_of, ended, state):
    assert rules.registration_state(date(2024, 9, 30), date(2024, 7, 1), ended, as_of) == state


def test_cpd_requirement_per_level():
    assert [rules.required_cpd_centi(lv, RULE) for lv in (ASSISTANT, SOCIAL_WORKER, SENIOR)] == [7200, 9000, 9000]


@pytest.mark.parametrize("days_left, band", [(91, None), (90, 90), (61, 90), (60, 60), (31, 60), (30, 30), (0, 30),
                                             (-1, None)])
def test_reminder_band(days_left, band):
    until = date(2024, 9, 30)
    as_of = date.fromordinal(until.toordinal() - days_left)
    assert rules.reminder_band(until, as_of, RULE.reminder_days) == band


def test_share_of_community_workers_s2_7():
    assert rules.percent(6633, 8307) == Decimal("79.85")
    assert rules.percent(0, 0) == Decimal("0.00")
    assert rules.percent(1, 3) == Decimal("33.33") and rules.percent(2, 3) == Decimal("66.67")


def test_senior_level_is_held_from_its_passed_review():
    assert rules.qualified_on(SOCIAL_WORKER, date(2020, 9, 1), None, None) == date(2020, 9, 1)
    assert rules.qualified_on(SENIOR, date(2020, 9, 1), "pending", None) is None
    assert rules.qualified_on(SENIOR, date(2020, 9, 1), "failed", date(2021, 1, 1)) is None
    assert rules.qualified_on(SENIOR, date(2020, 9, 1), "passed", date(2021, 1, 1)) == date(2021, 1, 1)


def _candidate(**kw) -> Candidate:
    base = dict(hired_on=date(2015, 3, 1), prior_service_years=0, left_on=None,
                assessments={2022: "合格", 2023: "优秀", 2024: "合格"}, levels_held=[ASSISTANT])
    return Candidate(**(base | kw))


def test_eligible_worker_has_no_reasons():
    assert rules.eligibility(_candidate(), date(2025, 3, 1), TALENT) == []


def test_five_years_are_counted_to_the_day_with_prior_service():
    as_of = date(2025, 3, 1)
    assert rules.eligibility(_candidate(hired_on=date(2020, 3, 1)), as_of, TALENT) == []
    [r] = rules.eligibility(_candidate(hired_on=date(2020, 3, 2)), as_of, TALENT)
    assert r.code == "service_too_short" and r.clause == "D-7"
    assert rules.eligibility(_candidate(hired_on=date(2023, 3, 2), prior_service_years=4), as_of, TALENT) == []


def test_only_the_last_three_years_count_and_each_failing_year_is_a_reason():
    as_of = date(2025, 3, 1)
    old = _candidate(assessments={2021: "不合格", 2022: "合格", 2023: "合格", 2024: "合格"})
    assert rules.eligibility(old, as_of, TALENT) == []
    bad = _candidate(assessments={2022: "基本合格", 2023: "合格", 2024: "不合格"})
    reasons = rules.eligibility(bad, as_of, TALENT)
    assert [r.code for r in reasons] == ["assessment_below_pass"] * 2
    assert "基本合格 in 2022" in reasons[0].detail and "不合格 in 2024" in reasons[1].detail


def test_every_reason_is_given():
    c = _candidate(hired_on=date(2023, 1, 1), assessments={2024: "不合格"}, levels_held=[], left_on=date(2025, 1, 1))
    assert [r.code for r in rules.eligibility(c, date(2025, 3, 1), TALENT)] == [
        "worker_left", "service_too_short", "assessment_below_pass", "certificate_level_too_low"]


def test_combine_is_mean_per_criterion_then_weighted_sum():
    weights = TALENT.weights
    sheets = {"a": {c: 9000 for c in weights}, "b": {c: 8000 for c in weights} | {"results": 7000}}
    composite, means = rules.combine(sheets, weights)
    assert means["integrity"] == 85 and means["results"] == 80
    assert composite == Fraction(85 * 7000 + 80 * 3000, 10000)  # 83.5
    assert rules.points(composite) == Decimal("83.50")


def _scored(nid, marks, days=3000):
    return Scored(nid, days, {"e1": {c: v * 100 for c, v in marks.items()}})


def test_rank_settles_a_tie_at_the_line_by_the_heaviest_criterion():
    w = TALENT.weights
    a = _scored(1, {"integrity": 95, "recognition": 95, "results": 95, "training": 95, "certificate": 95})
    b = _scored(2, {"integrity": 90, "recognition": 80, "results": 80, "training": 85, "certificate": 80})
    c = _scored(3, {"integrity": 80, "recognition": 80, "results": 90, "training": 80, "certificate": 80})
    ranked = rules.rank([a, b, c], 2, w)
    assert [(r.nomination_id, r.selected) for r in ranked] == [(1, True), (3, True), (2, False)]
    assert ranked[1].composite == ranked[2].composite == 83


def test_rank_falls_back_to_longer_service_then_earlier_nomination():
    marks = {c: 80 for c in TALENT.weights}
    ranked = rules.rank([_scored(1, marks, 2000), _scored(2, marks, 4000), _scored(3, marks, 4000)], 1, TALENT.weights)
    assert [r.nomination_id for r in ranked] == [2, 3, 1] and [r.selected for r in ranked] == [True, False, False]


def test_term_and_supervisor_role():
    ends = rules.term_ends_on(date(2025, 10, 13), TALENT)
    assert ends == date(2028, 10, 12)
    assert not rules.supervisor_eligible([(ends, None)], date(2028, 10, 12))
    assert rules.supervisor_eligible([(ends, None)], date(2028, 10, 13))
    assert not rules.supervisor_eligible([(ends, date(2026, 1, 1))], date(2029, 1, 1))  # left before the term ended


def test_seeds_match_the_clauses():
    assert RULE.cpd_hours == {ASSISTANT: 72, SOCIAL_WORKER: 90, SENIOR: 90} and RULE.degree_hours == 90
    assert (RULE.first_within_months, RULE.validity_years, RULE.window_months) == (12, 3, 3)
    assert sum(TALENT.weights.values()) == 10_000
    assert (TALENT.min_service_years, TALENT.assessment_years, TALENT.notice_working_days, TALENT.term_years) == (5, 3, 5, 3)
    assert TALENT.allowance_fen_per_month == 1000 * 100
