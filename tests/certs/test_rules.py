"""certs_service.rules on their own: dates of a registration cycle (D-5),
reminders, shares (S2-7), eligibility and ranking (D-7)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from certs_service import rules
from certs_service.rules import ASSISTANT, SENIOR, SOCIAL_WORKER, Candidate, RegistrationRule, Scored, TalentRule
from certs_service.states import RegistrationState
from shared.dates import add_months

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
    assert add_months(day, months) == expected


def test_first_registration_deadline_is_the_same_day_a_year_later():
    assert rules.first_registration_deadline(date(2021, 9, 15), RULE) == date(2022, 9, 15)


def test_cycle_is_three_years_and_the_window_its_last_three_months():
    until = rules.valid_until(date(2021, 10, 1), RULE)
    assert until == date(2024, 9, 30)
    assert rules.renewal_window(until, RULE) == (date(2024, 7, 1), date(2024, 9, 30))
    # a cycle ending on the last day of February opens its window on 1 December
    assert rules.renewal_window(date(2027, 2, 28), RULE) == (date(2026, 12, 1), date(2027, 2, 28))


@pytest.mark.parametrize("as_of, ended, state", [
    (date(2024, 6, 30), None, RegistrationState.active),
    (date(2024, 7, 1), None, RegistrationState.due),
    (date(2024, 9, 30), None, RegistrationState.due),
    (date(2024, 10, 1), None, RegistrationState.lapsed),
    (date(2024, 8, 1), RegistrationState.lapsed, RegistrationState.lapsed),
    (date(2024, 8, 1), RegistrationState.renewed, RegistrationState.renewed),
    (date(2024, 8, 1), RegistrationState.closed, RegistrationState.closed),
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
    base = dict(worker_id=7, hired_on=date(2015, 3, 1), prior_service_years=0, left_on=None,
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
    assert (TALENT.min_service_years, TALENT.assessment_years, TALENT.notice_working_days,
            TALENT.term_years) == (5, 3, 5, 3)
    assert TALENT.allowance_fen_per_month == 1000 * 100


# --- the registration decision (D-5, S2-4): rules.may_register and rules.next_cycle ---

Refusal, Grant = rules.Refusal, rules.Grant
HELD = rules.Held(ASSISTANT, date(2021, 9, 1))
HOLDER = rules.Holder(7, real_name=True)
# the first cycle: registered 2021-10-01, valid until 2024-09-30, its window 2024-07-01 to 2024-09-30
CYCLE = rules.Cycle(1, date(2021, 10, 1), date(2024, 9, 30), date(2024, 7, 1), date(2021, 10, 1))


def refused(decision, code: str, status: int, field: str, clause: str | None = "D-5") -> Refusal:
    assert isinstance(decision, Refusal), decision
    assert (decision.code, decision.status, decision.field, decision.clause) == (code, status, field, clause)
    assert decision.detail and decision.detail_zh
    return decision


@pytest.mark.parametrize("on, ok", [(date(2024, 8, 1), True), (date(2024, 8, 2), False)])
def test_a_registration_is_made_on_a_day_already_come(on, ok):
    decision = rules.may_register(HELD, HOLDER, on, today=date(2024, 8, 1))
    if ok:
        assert decision is None
    else:
        refused(decision, "date_in_future", 422, "registered_on")


def test_the_holder_must_be_registered_under_real_name_s2_4():
    refused(rules.may_register(HELD, rules.Holder(7, real_name=False), date(2022, 1, 1), date(2024, 1, 1)),
            "real_name_required", 409, "certificate_id", "S2-4")


@pytest.mark.parametrize("left_on, ok", [
    (date(2023, 5, 31), False), (date(2023, 6, 1), False), (date(2023, 6, 2), True),
])
def test_a_worker_who_left_by_the_day_is_refused(left_on, ok):
    decision = rules.may_register(HELD, rules.Holder(7, True, left_on), date(2023, 6, 1), date(2024, 1, 1))
    if ok:
        assert decision is None
    else:
        assert refused(decision, "worker_left", 409, "certificate_id", None).detail == f"Worker 7 left on {left_on}."


def test_a_senior_certificate_registers_after_its_passed_review():
    refused(rules.may_register(rules.Held(SENIOR, None), HOLDER, date(2022, 1, 1), date(2024, 1, 1)),
            "senior_review_not_passed", 409, "certificate_id")


@pytest.mark.parametrize("on, ok", [(date(2021, 8, 31), False), (date(2021, 9, 1), True), (date(2021, 9, 2), True)])
def test_not_before_the_level_is_held(on, ok):
    decision = rules.may_register(HELD, HOLDER, on, date(2024, 1, 1))
    assert decision is None if ok else refused(decision, "registration_before_qualifying", 422, "registered_on")


@pytest.mark.parametrize("qualified, on, ok", [
    (date(2021, 9, 15), date(2022, 9, 14), True),
    (date(2021, 9, 15), date(2022, 9, 15), True),  # the same calendar day a year later
    (date(2021, 9, 15), date(2022, 9, 16), False),
    (date(2024, 2, 29), date(2025, 2, 28), True),  # a year from 29 February ends on 28 February
    (date(2024, 2, 29), date(2025, 3, 1), False),
])
def test_the_first_registration_is_within_a_year_of_qualifying(qualified, on, ok):
    decision = rules.next_cycle(rules.Held(ASSISTANT, qualified), None, 0, RULE, on)
    if ok:
        assert decision == Grant(rules.FIRST, 1, on, on, rules.valid_until(on, RULE),
                                 rules.renewal_window(rules.valid_until(on, RULE), RULE)[0], on, None)
    else:
        r = refused(decision, "first_registration_too_late", 422, "registered_on")
        assert r.extra == {"qualified_on": qualified.isoformat(), "deadline": "2022-09-15" if qualified.year == 2021
                           else "2025-02-28"}


def test_the_first_cycle_runs_three_years_from_its_day():
    grant = rules.next_cycle(rules.Held(ASSISTANT, date(2021, 9, 15)), None, 0, RULE, date(2022, 9, 15))
    assert (grant.valid_from, grant.valid_until, grant.renewal_opens_on, grant.cpd_from) == (
        date(2022, 9, 15), date(2025, 9, 14), date(2025, 6, 15), date(2022, 9, 15))
    assert grant.last_ends is None and grant.cpd_counted_centi is None


@pytest.mark.parametrize("on, kind", [
    (date(2024, 6, 30), None),  # the day before the window opens
    (date(2024, 7, 1), rules.RENEWAL),  # the window's first day
    (date(2024, 9, 30), rules.RENEWAL),  # its last day, the last valid day
    (date(2024, 10, 1), rules.RESTORE),  # the day after: lapsed
])
def test_re_registration_renews_in_the_window_and_restores_after_it(on, kind):
    decision = rules.next_cycle(HELD, CYCLE, 7200, RULE, on)
    if kind is None:
        r = refused(decision, "outside_renewal_window", 409, "registered_on")
        assert r.extra == {"window_opens_on": "2024-07-01", "window_closes_on": "2024-09-30"}
        return
    assert (decision.kind, decision.cycle, decision.registered_on, decision.cpd_counted_centi) == (kind, 2, on, 7200)
    assert decision.cpd_from == on + timedelta(days=1)
    if kind == rules.RENEWAL:  # continues the cycle; the last one ends renewed on the day
        assert (decision.valid_from, decision.valid_until) == (date(2024, 10, 1), date(2027, 9, 30))
        assert (decision.last_ends, decision.last_ended_on) == (RegistrationState.renewed, on)
    else:  # runs from its own day; the unrecorded lapse is recorded from the day after the last valid day
        assert (decision.valid_from, decision.valid_until) == (on, date(2027, 9, 30))
        assert (decision.last_ends, decision.last_ended_on) == (RegistrationState.lapsed, date(2024, 10, 1))


@pytest.mark.parametrize("level, centi, ok", [
    (ASSISTANT, 7100, False), (ASSISTANT, 7199, False), (ASSISTANT, 7200, True), (ASSISTANT, 7300, True),
    (SOCIAL_WORKER, 8900, False), (SOCIAL_WORKER, 8999, False), (SOCIAL_WORKER, 9000, True),
    (SOCIAL_WORKER, 9100, True), (SENIOR, 8999, False), (SENIOR, 9000, True),
])
def test_re_registration_needs_the_cycles_cpd_hours(level, centi, ok):
    decision = rules.next_cycle(rules.Held(level, date(2021, 9, 1)), CYCLE, centi, RULE, date(2024, 8, 1))
    if ok:
        assert decision.kind == rules.RENEWAL and decision.cpd_counted_centi == centi
    else:
        r = refused(decision, "cpd_hours_short", 422, "registered_on")
        need = "72.00" if level == ASSISTANT else "90.00"
        assert r.extra == {"required_hours": need, "counted_hours": str(rules.from_centi(centi)),
                           "counted_from": "2021-10-01"}


def test_outside_the_window_is_said_before_the_hours():
    refused(rules.next_cycle(HELD, CYCLE, 0, RULE, date(2024, 1, 1)), "outside_renewal_window", 409, "registered_on")


@pytest.mark.parametrize("on", [date(2021, 9, 30), date(2021, 10, 1)])
def test_a_registration_follows_the_last_one(on):
    refused(rules.next_cycle(HELD, CYCLE, 7200, RULE, on), "registration_out_of_order", 409, "registered_on")


def test_restoring_after_a_lapse_needs_the_lapsed_cycles_hours_too():
    refused(rules.next_cycle(HELD, CYCLE, 7199, RULE, date(2025, 6, 1)), "cpd_hours_short", 422, "registered_on")


@pytest.mark.parametrize("ended", [RegistrationState.lapsed, RegistrationState.closed])
def test_a_recorded_lapse_or_close_is_restored_without_touching_the_last_cycle(ended):
    last = rules.Cycle(1, date(2021, 10, 1), date(2024, 9, 30), date(2024, 7, 1), date(2021, 10, 1), ended)
    on = date(2024, 8, 1) if ended == RegistrationState.closed else date(2025, 1, 10)
    grant = rules.next_cycle(HELD, last, 7200, RULE, on)
    assert (grant.kind, grant.valid_from, grant.last_ends, grant.last_ended_on) == (rules.RESTORE, on, None, None)


def test_a_district_figure_changes_the_hours_and_the_window():
    rule = RegistrationRule(window_months=1, cpd_hours={ASSISTANT: 80, SOCIAL_WORKER: 90, SENIOR: 90})
    last = rules.Cycle(1, date(2021, 10, 1), date(2024, 9, 30), date(2024, 9, 1), date(2021, 10, 1))
    refused(rules.next_cycle(HELD, last, 7999, rule, date(2024, 9, 1)), "cpd_hours_short", 422, "registered_on")
    refused(rules.next_cycle(HELD, last, 8000, rule, date(2024, 8, 31)), "outside_renewal_window", 409,
            "registered_on")
    assert rules.next_cycle(HELD, last, 8000, rule, date(2024, 9, 1)).kind == rules.RENEWAL


def test_a_refusal_becomes_the_problem_it_words():
    conflict = rules.outside_window(date(2024, 7, 1), date(2024, 9, 30)).problem()
    assert (conflict.status, conflict.code, conflict.clause, conflict.field) == (
        409, "outside_renewal_window", "D-5", "registered_on")
    invalid = rules.may_register(HELD, HOLDER, date(2030, 1, 1), date(2024, 1, 1)).problem()
    assert (invalid.status, invalid.code) == (422, "date_in_future")
