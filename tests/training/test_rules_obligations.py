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
    o = rules.induction(hire, [credit(done_on, tier="induction")], 2025, date(2025, 12, 1))
    assert o.status == status and o.due_on == date(2025, 8, 31)


def test_induction_belongs_to_the_year_probation_ends():
    hire = Member("委员", date(2025, 9, 1), date(2026, 2, 28))
    assert rules.induction(hire, [], 2025, date(2025, 12, 1)) is None
    assert rules.induction(hire, [], 2026, date(2026, 3, 1)).status == "behind"


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
