"""Placement at its boundaries: a seat or the waitlist, one place per session,
no overlaps, cancelling; and the session's close, places abroad."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from training_service import rules
from training_service.rules import TIER_ELIGIBILITY, Candidate, Held, Offer, Slot, cancellation, placement
from training_service.states import EnrolmentStatus

NINE, NOON, FIVE = datetime(2025, 5, 12, 9), datetime(2025, 5, 12, 12), datetime(2025, 5, 12, 17)
WORKER = Candidate(1, "委员", "hangzhou.gongshu", True)
OFFER = Offer("continuing", "in_city", "hangzhou", 2025)


def slot(seated=0, capacity=2, status="scheduled", starts=NOON, ends=FIVE, session_id=10) -> Slot:
    return Slot(session_id, status, starts, ends, capacity, seated)


def place(s: Slot = None, held=(), worker=WORKER, offer=OFFER, abroad=False):
    return placement(worker, s or slot(), offer, TIER_ELIGIBILITY, abroad, list(held))


@pytest.mark.parametrize("seated,expected", [
    (0, EnrolmentStatus.enrolled), (1, EnrolmentStatus.enrolled), (2, EnrolmentStatus.waitlisted),
    (3, EnrolmentStatus.waitlisted),
])
def test_a_free_seat_else_the_waitlist(seated, expected):
    assert place(slot(seated=seated, capacity=2)) is expected


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_a_session_not_scheduled_takes_no_one(status):
    r = place(slot(status=status))
    assert (r.code, r.status) == ("session_not_open", 409)


def test_one_place_per_session():
    r = place(held=[Held(10, NOON, FIVE, "waitlisted", 33)])
    assert (r.code, r.status, r.field, r.extra) == ("already_enrolled", 409, "worker_id", {"enrolment_id": 33})
    assert "(waitlisted)" in r.detail


@pytest.mark.parametrize("held_end,clash", [
    (NOON - timedelta(minutes=1), False), (NOON, False), (NOON + timedelta(minutes=1), True),
])
def test_overlap_is_strict_at_the_edges(held_end, clash):
    r = place(held=[Held(20, NINE, held_end, "enrolled", 5)])
    assert (isinstance(r, rules.Refusal) and r.code == "overlapping_session") is clash
    if clash:
        assert (r.status, r.field, r.extra) == (409, "session_id", {"overlapping_session_id": 20})


def test_the_earliest_clash_is_named():
    held = [Held(21, datetime(2025, 5, 12, 13), datetime(2025, 5, 12, 14), "enrolled"),
            Held(20, datetime(2025, 5, 12, 11), datetime(2025, 5, 12, 13), "enrolled")]
    assert place(held=held).extra == {"overlapping_session_id": 20}


def test_the_refusals_come_in_order():
    leaver = Candidate(1, "委员", "hangzhou.gongshu", False)
    overlapping = [Held(20, NINE, FIVE, "enrolled")]
    assert place(slot(status="closed"), held=[Held(10, NOON, FIVE, "enrolled")]).code == "session_not_open"
    assert place(held=[Held(10, NOON, FIVE, "enrolled")] + overlapping).code == "already_enrolled"
    assert place(held=overlapping, worker=leaver).code == "worker_not_active"
    r = place(held=overlapping, offer=Offer("secretary_director", "in_city", "hangzhou", 2025))
    assert (r.code, r.status) == ("not_eligible_for_tier", 422)
    assert place(held=overlapping).code == "overlapping_session"


def test_abroad_needs_the_selection_list():
    abroad = Offer("continuing", "abroad", "hangzhou", 2025)
    assert place(offer=abroad).code == "not_selected_abroad"
    assert place(offer=abroad, abroad=True) is EnrolmentStatus.enrolled


@pytest.mark.parametrize("status,session_status,allowed", [
    ("enrolled", "scheduled", True), ("waitlisted", "scheduled", True),
    ("cancelled", "scheduled", False), ("completed", "scheduled", False), ("not_completed", "scheduled", False),
    ("enrolled", "closed", False), ("waitlisted", "cancelled", False),
])
def test_only_an_open_place_in_a_scheduled_session_is_cancelled(status, session_status, allowed):
    r = cancellation(4, status, session_status)
    assert (r is None) is allowed
    if not allowed:
        assert (r.code, r.status, r.field) == ("not_cancellable", 409, "enrolment_id")


@pytest.mark.parametrize("as_of,refused", [(date(2025, 5, 13), True), (date(2025, 5, 14), False),
                                           (date(2025, 5, 15), False)])
def test_a_session_closes_on_its_last_day_or_later(as_of, refused):
    """Its completions are dated its last day: closing before it would record a fact dated in the future."""
    r = rules.session_over(date(2025, 5, 14), as_of)
    assert (r is not None) is refused
    if refused:
        assert (r.code, r.status, r.field, r.clause) == ("date_in_future", 422, "completed_on", "D-6")


@pytest.mark.parametrize("as_of,refused", [(date(2025, 5, 13), True), (date(2025, 5, 14), False),
                                           (date(2025, 5, 15), False)])
def test_attendance_is_taken_for_a_day_that_has_come(as_of, refused):
    r = rules.attendance_day(date(2025, 5, 14), as_of)
    assert (r is not None) is refused
    if refused:
        assert (r.code, r.status, r.field, r.clause) == ("date_in_future", 422, "day", "D-6")


def test_only_an_active_worker_is_selected_abroad():
    assert rules.selectable(9, True) is None
    r = rules.selectable(9, False)
    assert (r.code, r.status, r.field) == ("worker_not_active", 422, "worker_id")


@pytest.mark.parametrize("taken,refused", [(9, False), (10, True), (11, True)])
def test_places_abroad_are_counted_per_year(taken, refused):
    r = rules.abroad_refusal(9, 2025, False, 10, taken, "hangzhou.gongshu")
    assert (r is not None) is refused
    if refused:
        assert (r.code, r.clause, r.status, r.field) == ("abroad_places_full", "S2-3", 409, "year")
        assert r.extra == {"places_per_year": 10, "taken": taken}


def test_a_worker_is_on_a_years_list_once():
    r = rules.abroad_refusal(9, 2025, True, 10, 0, "hangzhou")
    assert (r.code, r.clause, r.field) == ("already_selected", "S2-3", "worker_id")
