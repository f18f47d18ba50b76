"""The D-6 obligations at their boundaries: the day before, on and after each due date."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from training_service import rules
from training_service.rules import Credit, Member, ObligationRule

RULE = ObligationRule()


def credit(day: date, hours: str = "8", tier: str = "continuing", delivery: str = "offline") -> Credit:
    return Credit(day, tier, delivery, rules.to_ch(Decimal(hours)))


@pytest.mark.parametrize("as_of,verdict", [
    (date(2025, 12, 30), "open"), (date(2025, 12, 31), "open"), (date(2026, 1, 1), "behind"),
])
def test_an_unmet_obligation_is_open_until_due_and_behind_after(as_of, verdict):
    assert rules.verdict(False, date(2025, 12, 31), as_of) == verdict
    assert rules.verdict(True, date(2025, 12, 31), as_of) == "met"


@pytest.mark.parametrize("hired,ends", [
    (date(2025, 3, 1), date(2025, 8, 31)), (date(2025, 8, 31), date(2026, 2, 27)),
    (date(2024, 8, 31), date(2025, 2, 27)), (date(2023, 8, 31), date(2024, 2, 28)),
])
def test_probation_is_six_months_less_a_day_clipped_to_the_months_end(hired, ends):
    assert rules.probation_end(hired, RULE) == ends


@pytest.mark.parametrize("done_on,status", [
    (date(2025, 8, 30), "met"), (date(2025, 8, 31), "met"), (date(2025, 9, 1), "late"),
])
def test_induction_is_on_time_up_to_the_last_day_of_probation(done_on, status):
    hire = Member("委员", date(2025, 3, 1), date(2025, 8, 31))
    o = rules.induction(hire, [credit(done_on, tier="induction")], 2025, date(2025, 12, 1), RULE)
    assert o.status == status and o.due_on == date(2025, 8, 31) and o.period_from == date(2025, 3, 1)


def test_induction_is_owed_in_each_year_the_probation_falls_in():
    """D-6: probation from September 2025 to February 2026 falls in both years."""
    hire = Member("委员", date(2025, 9, 1), date(2026, 2, 28))
    assert rules.induction(hire, [], 2025, date(2025, 12, 1), RULE).status == "open"
    assert rules.induction(hire, [], 2026, date(2026, 3, 1), RULE).status == "behind"
    assert rules.induction(hire, [], 2027, date(2027, 3, 1), RULE) is None
    assert rules.induction(hire, [], 2024, date(2025, 3, 1), RULE) is None


@pytest.mark.parametrize("hired,ends,owed", [
    (date(2011, 3, 1), date(2011, 8, 31), False),  # long-serving: nothing in 2025, done or not
    (date(2024, 7, 1), date(2024, 12, 31), False),  # probation ends on the last day before the year
    (date(2024, 7, 2), date(2025, 1, 1), True),  # ends on the year's first day
    (date(2025, 12, 31), date(2026, 6, 30), True),  # begins on the year's last day
    (date(2026, 1, 1), date(2026, 6, 30), False),  # begins the day after the year
])
def test_induction_is_owed_only_when_the_probation_overlaps_the_year(hired, ends, owed):
    o = rules.induction(Member("委员", hired, ends), [], 2025, date(2026, 11, 1), RULE)
    assert (o is not None) is owed
    if owed:
        assert (o.status, o.due_on) == ("behind", ends)


def test_a_long_serving_worker_owes_no_induction_however_old_the_probation():
    """The worker page once told a worker hired in 2011 that induction was due in August 2011."""
    veteran = Member("正职", date(2011, 3, 1), date(2011, 8, 31))
    kinds = [o.kind for o in rules.obligations(veteran, [], 2026, date(2026, 11, 28), RULE)]
    assert kinds == ["annual_days"]


def test_without_a_hire_date_probation_runs_its_months_back_from_its_end():
    member = Member("委员", None, date(2025, 2, 28))
    assert rules.probation_period(member, RULE) == (date(2024, 9, 1), date(2025, 2, 28))
    assert rules.induction(member, [], 2024, date(2024, 12, 1), RULE).period_from == date(2024, 9, 1)
    assert rules.probation_period(Member("委员", date(2024, 9, 1), None), RULE) is None


@pytest.mark.parametrize("hours,status", [("55.99", "behind"), ("56", "met"), ("56.01", "met")])
def test_a_director_needs_exactly_seven_days_of_eight_hours(hours, status):
    o = rules.annual_days([credit(date(2025, 6, 1), hours)], 2025, date(2026, 1, 1), RULE)
    assert o.status == status and o.required == Decimal("56.00")


@pytest.mark.parametrize("day,counts", [
    (date(2024, 12, 31), False), (date(2025, 1, 1), True), (date(2025, 12, 31), True), (date(2026, 1, 1), False),
])
def test_only_the_calendar_years_centralised_hours_count(day, counts):
    o = rules.annual_days([credit(day, "56")], 2025, date(2026, 1, 1), RULE)
    assert (o.status == "met") is counts
    online = rules.annual_days([credit(date(2025, 6, 1), "56", delivery="online")], 2025, date(2026, 1, 1), RULE)
    assert online.status == "behind"


@pytest.mark.parametrize("day,counts", [
    (date(2023, 12, 31), False), (date(2024, 1, 1), True), (date(2025, 12, 31), True), (date(2026, 1, 1), False),
])
def test_one_programme_in_the_two_calendar_years(day, counts):
    member = Member("委员", date(2015, 1, 1), None)
    o = rules.periodic_programme(member, [credit(day)], 2025, date(2026, 1, 2), RULE)
    assert (o.status == "met") is counts


@pytest.mark.parametrize("hired,due", [
    (date(2024, 1, 1), date(2025, 12, 31)),  # on the period's first day: the period itself
    (date(2024, 1, 2), date(2026, 1, 1)),  # a day later: two full years from the hire date
    (date(2024, 2, 29), date(2026, 2, 27)),  # 29 February + 2 years is 28 February, less a day
])
def test_a_worker_hired_inside_the_period_has_two_years_from_the_hire(hired, due):
    o = rules.periodic_programme(Member("委员", hired, None), [], 2025, date(2025, 6, 1), RULE)
    assert o.due_on == due


@pytest.mark.parametrize("hired,empty", [(date(2025, 12, 31), False), (date(2026, 1, 1), True)])
def test_nothing_is_due_for_a_year_before_the_hire(hired, empty):
    assert (rules.obligations(Member("委员", hired, None), [], 2025, date(2026, 1, 1), RULE) == []) is empty
