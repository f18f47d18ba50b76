"""The catalogue's rules at their boundaries: a programme's terms, a session's
plan, whether a session is open (no database, no clock)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from training_service import rules
from training_service.rules import ProgrammeTerms, SessionPlan, planned_days, programme_refusal

CLASSES = rules.SEVEN_CLASSES


def terms(**over) -> ProgrammeTerms:
    return ProgrammeTerms(**{"category": "continuing", "hours": Decimal("8"), **over})


def code(r) -> str | None:
    return r.code if isinstance(r, rules.Refusal) else None


def test_a_plain_programme_passes():
    assert programme_refusal(terms(), CLASSES) is None


def test_the_class_must_be_in_force():
    r = programme_refusal(terms(category="cooking"), CLASSES)
    assert (r.code, r.field, r.clause, r.status) == ("unknown_category", "category", "S2-2", 422)
    assert "continuing" in r.detail
    assert programme_refusal(terms(category="party_school"), CLASSES) is None


@pytest.mark.parametrize("hours,refused", [
    (Decimal("-0.01"), True), (Decimal("0"), False), (Decimal("0.01"), False), (Decimal("7.25"), False),
    (Decimal("7.255"), True), (Decimal("100000"), False), (Decimal("100000.01"), True),
])
def test_hours_are_exact_and_not_negative(hours, refused):
    r = programme_refusal(terms(hours=hours), CLASSES)
    assert (code(r) == "invalid_hours") is refused
    if refused:
        assert r.field == "hours"


@pytest.mark.parametrize("accredited,cpd,expected", [
    (True, Decimal("0"), "cpd_hours_required"),
    (True, Decimal("0.01"), None),
    (False, Decimal("0"), None),
    (False, Decimal("0.01"), "cpd_hours_without_accreditation"),
    (True, Decimal("-0.01"), "invalid_hours"),
])
def test_cpd_hours_exactly_when_accredited(accredited, cpd, expected):
    r = programme_refusal(terms(cpd_accredited=accredited, cpd_hours=cpd), CLASSES)
    assert code(r) == expected
    if expected:
        assert r.field == "cpd_hours"
    if expected and expected != "invalid_hours":
        assert r.clause == "D-6"


def test_posts_and_designations_must_be_known():
    assert programme_refusal(terms(eligible_posts=list(rules.POSTS)), CLASSES) is None
    assert code(programme_refusal(terms(eligible_posts=["主任"]), CLASSES)) == "unknown_post"
    assert programme_refusal(terms(eligible_designations=["leader_talent", "a" * 32]), CLASSES) is None
    for bad in ("Leader", "a" * 33, "9lives", ""):
        r = programme_refusal(terms(eligible_designations=[bad]), CLASSES)
        assert (code(r), r.field) == ("invalid_designation", "eligible_designations")


@pytest.mark.parametrize("cost,refused", [(-1, True), (0, False), (1, False)])
def test_the_cost_is_not_negative(cost, refused):
    assert (code(programme_refusal(terms(cost_fen=cost), CLASSES)) == "negative_cost") is refused


def test_the_first_problem_is_named():
    r = programme_refusal(terms(category="cooking", hours=Decimal("-1"), cost_fen=-1), CLASSES)
    assert r.code == "unknown_category"


# --- a session's plan ------------------------------------------------------------------

NINE = datetime(2025, 5, 12, 9)


def plan(starts=NINE, ends=NINE + timedelta(hours=8), **over) -> SessionPlan:
    return SessionPlan(**{"starts_at": starts, "ends_at": ends, "delivery": "offline", "venue": "党校", **over})


@pytest.mark.parametrize("ends,refused", [
    (NINE - timedelta(minutes=1), True), (NINE, True), (NINE + timedelta(minutes=1), False),
])
def test_a_session_ends_after_it_starts(ends, refused):
    r = planned_days(plan(ends=ends))
    assert (code(r) == "ends_before_start") is refused
    if refused:
        assert (r.field, r.status) == ("ends_at", 422)


def test_the_days_default_to_every_day_and_must_lie_within():
    three = plan(ends=datetime(2025, 5, 14, 17))
    assert planned_days(three) == [date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14)]
    chosen = plan(ends=datetime(2025, 5, 14, 17), days=[date(2025, 5, 14), date(2025, 5, 12), date(2025, 5, 14)])
    assert planned_days(chosen) == [date(2025, 5, 12), date(2025, 5, 14)]
    for outside in (date(2025, 5, 11), date(2025, 5, 15)):
        r = planned_days(plan(ends=datetime(2025, 5, 14, 17), days=[outside]))
        assert (code(r), r.field) == ("day_outside_session", "days")


@pytest.mark.parametrize("days,refused", [(399, False), (400, False), (401, True)])
def test_a_session_has_at_most_400_days(days, refused):
    ends = datetime(2025, 1, 1, 17) + timedelta(days=days - 1)
    r = planned_days(plan(starts=datetime(2025, 1, 1, 9), ends=ends))
    assert (code(r) == "session_too_long") is refused
    if not refused:
        assert len(r) == days


def test_offline_needs_a_venue_and_online_a_link():
    assert code(planned_days(plan(venue=None))) == "venue_required"
    assert code(planned_days(plan(delivery="online", venue=None))) == "online_link_required"
    assert planned_days(plan(delivery="online", venue=None, online_link="https://x")) == [date(2025, 5, 12)]


def test_a_session_is_held_within_its_programmes_jurisdiction():
    assert rules.held_within("hangzhou", "hangzhou") is None
    assert rules.held_within("hangzhou", "hangzhou.gongshu") is None
    r = rules.held_within("hangzhou.gongshu", "hangzhou")
    assert (r.code, r.clause, r.field) == ("outside_programme_jurisdiction", "D-8", "jurisdiction")
    assert rules.held_within("hangzhou.gongshu", "hangzhou.gongshuX") is not None


@pytest.mark.parametrize("status,open_", [("scheduled", True), ("closed", False), ("cancelled", False)])
def test_only_a_scheduled_session_is_open(status, open_):
    r = rules.session_open(7, status)
    assert (r is None) is open_
    if not open_:
        assert (r.code, r.status, r.field) == ("session_not_open", 409, "session_id")
        assert r.detail == f"Session 7 is {status}."
    r = rules.records_open(7, status)
    assert (r is None) is open_
    if not open_:
        assert (r.code, r.status) == ("session_closed", 409)


@pytest.mark.parametrize("capacity,refused", [(4, True), (5, False), (6, False)])
def test_capacity_does_not_fall_below_the_seated(capacity, refused):
    r = rules.capacity_refusal(capacity, 5)
    assert (r is not None) is refused
    if refused:
        assert (r.code, r.field) == ("capacity_below_enrolled", "capacity")
