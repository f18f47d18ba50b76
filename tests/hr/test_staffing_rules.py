"""The staffing rules at their boundaries (``hr_service.rules.staffing``): a
community's dated figures (D-11), the room on its rolls on a date (S4-1, S4-3,
D-9), the rows of a file counted together, a worker's time on each
community's rolls through transfers."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from hr_service.rules import staffing as st
from hr_service.rules.staffing import Figures, Place, QuotaStep, Room, Transfer

DAY = timedelta(days=1)
V1 = Figures(date(2024, 1, 1), 1200, 30)
V2 = Figures(date(2025, 7, 1), 2000, 120)


# --- dated figures (D-11) -------------------------------------------------------------


@pytest.mark.parametrize(("day", "want"), [
    (date(2020, 1, 1), V1),  # before the first version: the first
    (date(2024, 1, 1), V1), (date(2025, 6, 30), V1), (date(2025, 7, 1), V2), (date(2030, 1, 1), V2),
])
def test_the_figures_in_force_on_a_day(day, want):
    assert st.figures_on([V2, V1], day) == want


@pytest.mark.parametrize(("effective_from", "code"), [
    (date(2025, 6, 30), "figures_before_latest"), (date(2025, 7, 1), "figures_exist_for_date"),
    (date(2025, 7, 2), None),
])
def test_a_new_version_comes_after_the_latest(effective_from, code):
    refused = st.figures_dating(date(2025, 7, 1), effective_from)
    assert (refused and refused.code) == code
    if refused:
        assert (refused.status, refused.field, refused.clause) == (409, "effective_from", "D-11")
        assert "2025-07-01" in refused.detail and refused.detail_zh


# --- room on the rolls (S4-1, S4-3, D-9) ---------------------------------------------------


@pytest.mark.parametrize(("headcount", "adding", "ok"), [(2, 1, True), (3, 1, False), (1, 2, True), (2, 2, False),
                                                         (0, 3, True)])
def test_the_last_place_can_be_taken_and_not_one_more(headcount, adding, ok):
    room = Room("GS001", "hangzhou.gongshu", 3, headcount, date(2025, 3, 1))
    refused = st.room_refusal(room, adding)
    assert (refused is None) is ok
    if refused:
        assert (refused.code, refused.status, refused.field, refused.clause) == (
            "quota_full", 409, "community_code", "S4-1")
        assert refused.extra == {"community_code": "GS001", "quota": 3, "headcount": headcount, "adding": adding,
                                 "on": "2025-03-01"}
        assert "GS001" in refused.detail and "quota is 3" in refused.detail and f"{headcount} worker" in refused.detail
        zh = refused.detail_zh
        assert "GS001" in zh and "编制3名" in zh and f"在册{headcount}名" in zh


def test_a_quota_set_by_the_cap_cites_d9():
    refused = st.room_refusal(Room("GS001", "d", 15, 15, capped=True))
    assert refused.clause == "D-9"


def test_an_unknown_community_is_named():
    r = st.unknown_community("NOPE-999")
    assert (r.code, r.status, r.field) == ("unknown_community", 422, "community_code") and "NOPE-999" in r.detail


@pytest.mark.parametrize(("day", "n"), [(date(2024, 2, 29), 0), (date(2024, 3, 1), 1), (date(2024, 12, 31), 2),
                                        (date(2025, 1, 1), 1), (date(2026, 1, 1), 1)])
def test_the_headcount_on_a_day_counts_those_hired_by_then_and_not_left_before(day, n):
    places = [Place(date(2024, 3, 1)), Place(date(2024, 6, 1), date(2024, 12, 31))]
    assert st.headcount_on(places, day) == n


STEPS = [QuotaStep(date(2024, 1, 1), 2), QuotaStep(date(2025, 7, 1), 3)]


def room_on(places, on, adding=1, until=None):
    return st.room("GS001", "hangzhou.gongshu", places, STEPS, on, adding, until)


def test_the_quota_of_the_day_is_the_one_in_force_then():
    two = [Place(date(2024, 3, 1)), Place(date(2024, 4, 1))]
    assert isinstance(room_on(two, date(2025, 6, 30)), st.Refusal)  # quota 2 until 1 July
    r = room_on(two, date(2025, 7, 1))
    assert isinstance(r, Room) and (r.quota, r.headcount, r.on) == (3, 2, date(2025, 7, 1))
    assert room_on([], date(2020, 1, 1)).quota == 2  # before the first step, the first


def test_a_hire_dated_back_must_fit_every_day_up_to_until():
    later = [Place(date(2024, 5, 1)), Place(date(2024, 6, 1))]
    assert isinstance(room_on(later, date(2024, 4, 1)), Room)  # on its own day there is room
    refused = room_on(later, date(2024, 4, 1), until=date(2025, 6, 30))
    assert refused.code == "quota_full" and refused.extra["on"] == "2024-06-01"  # the day the rolls filled
    # the quota rises on 1 July 2025: from then on the back-dated hire fits
    assert isinstance(room_on(later, date(2025, 7, 1), until=date(2026, 1, 1)), Room)
    left = [Place(date(2024, 5, 1), date(2024, 5, 31)), Place(date(2024, 6, 1))]
    assert isinstance(room_on(left, date(2024, 4, 1), until=date(2025, 6, 30)), Room)


def test_the_rows_of_a_file_are_counted_together_in_its_order():
    joining = [date(2024, 3, 1), date(2024, 2, 1), date(2025, 8, 1), date(2025, 9, 1)]
    decided = st.admissions("GS001", "d", [Place(date(2024, 1, 1))], STEPS, joining, until=date(2026, 1, 1))
    assert [r and r.code for r in decided] == [None, "quota_full", None, "quota_full"]
    # the second row fits on its own day, not from 1 March 2024 when the first row joins
    assert decided[1].extra["on"] == "2024-03-01" and decided[1].extra["headcount"] == 2
    assert decided[3].extra == {"community_code": "GS001", "quota": 3, "headcount": 3, "adding": 1,
                                "on": "2025-09-01"}
    # without ``until`` each row is checked on its own day only
    decided = st.admissions("GS001", "d", [Place(date(2024, 1, 1))], STEPS, joining)
    assert [r and r.code for r in decided] == [None, None, "quota_full", "quota_full"]


# --- a worker's time on each community's rolls (D-11) -----------------------------------


def test_a_worker_never_moved_is_on_the_rolls_of_one_community():
    assert st.stints(date(2020, 1, 1), None, "A", []) == [("A", Place(date(2020, 1, 1)))]
    assert st.stints(date(2020, 1, 1), date(2021, 1, 1), None, []) == []


def test_transfers_split_the_time_on_the_rolls():
    moves = [Transfer(date(2023, 1, 1), "B", "C"), Transfer(date(2021, 6, 1), "A", "B")]
    assert st.stints(date(2020, 1, 1), date(2024, 12, 31), "C", moves) == [
        ("A", Place(date(2020, 1, 1), date(2021, 5, 31))),
        ("B", Place(date(2021, 6, 1), date(2022, 12, 31))),
        ("C", Place(date(2023, 1, 1), date(2024, 12, 31))),
    ]
    # moved on the day of the hire: never on the first community's rolls
    assert st.stints(date(2020, 1, 1), None, "B", [Transfer(date(2020, 1, 1), "A", "B")]) == [
        ("B", Place(date(2020, 1, 1)))]
