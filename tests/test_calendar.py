"""The D-10 working-day calendar: the rule over the years it covers, the check
of a year as loaded, the shipped arrangements, and the store (versions,
seeding) on a database of its own."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.orm import Session

from shared.calendar import Calendars, ShippedCalendar, shipped_calendar
from shared.errors import Conflict, NotFound, Refusal
from shared.workdays import WorkCalendar, YearDays, calendar_table, year_days

D = date.fromisoformat
# 2025 as published: National Day 1-8 Oct, Sunday 28 Sept and Saturday 11 Oct worked in exchange
Y2025 = YearDays(2025, tuple(D(f"2025-10-0{i}") for i in range(1, 9)), (D("2025-09-28"), D("2025-10-11")))
CAL = WorkCalendar.of([Y2025])


# --- the rule ---------------------------------------------------------------


def test_the_calendar_knows_the_years_it_covers():
    assert CAL.years == frozenset({2025}) and CAL.covers(2025) and not CAL.covers(2026)
    assert CAL.is_working_day(D("2025-12-31"))  # the last day covered, a Wednesday
    assert not CAL.is_working_day(D("2025-01-04"))  # a plain Saturday of a covered year


@pytest.mark.parametrize("day, year", [("2026-01-01", 2026), ("2024-12-31", 2024)])
def test_a_day_outside_the_years_loaded_is_refused_never_guessed(day, year):
    with pytest.raises(Conflict) as caught:
        CAL.is_working_day(D(day))
    p = caught.value
    assert (p.status, p.code, p.clause, p.field) == (409, "calendar_not_loaded", "D-10", "year")
    assert p.extra == {"year": year}
    assert str(year) in p.detail and str(year) in p.detail_zh


def test_a_count_reaching_an_unloaded_year_is_refused_at_the_edge():
    # Monday 29 Dec .. Wednesday 31 Dec are three working days of 2025
    assert CAL.add_working_days(D("2025-12-29"), 3) == D("2025-12-31")
    with pytest.raises(Conflict) as caught:
        CAL.add_working_days(D("2025-12-29"), 4, field="starts_on")
    assert (caught.value.code, caught.value.field, caught.value.extra) == ("calendar_not_loaded", "starts_on",
                                                                            {"year": 2026})
    assert CAL.working_days_between(D("2025-12-29"), D("2025-12-31")) == 3
    with pytest.raises(Conflict):
        CAL.working_days_between(D("2025-12-29"), D("2026-01-02"))


def test_a_holiday_and_a_make_up_working_day():
    assert not CAL.is_working_day(D("2025-10-08"))  # a Wednesday in the National Day holiday
    assert CAL.is_working_day(D("2025-10-11"))  # a Saturday worked in exchange
    assert CAL.is_working_day(D("2025-09-28"))  # a Sunday worked in exchange
    # Monday 29 Sept: 29, 30 Sept, 9, 10, 11 Oct
    assert CAL.add_working_days(D("2025-09-29"), 5) == D("2025-10-11")
    # counted from a holiday, the count starts on the first working day after it
    assert CAL.add_working_days(D("2025-10-01"), 1) == D("2025-10-09")


def test_years_with_a_gap_refuse_the_gap():
    cal = WorkCalendar.of([YearDays(2024, ()), YearDays(2026, ())])
    assert cal.is_working_day(D("2026-01-05"))
    with pytest.raises(Conflict) as caught:
        cal.add_working_days(D("2024-12-30"), 5)
    assert caught.value.extra == {"year": 2025}


# --- a year as loaded -------------------------------------------------------


def refused(result) -> tuple[str, str | None]:
    assert isinstance(result, Refusal), result
    assert result.status == 422 and result.clause in ("D-10", None)
    return result.code, result.field


def test_a_valid_year_is_sorted():
    days = year_days(2025, [D("2025-10-02"), D("2025-10-01")], [D("2025-10-11"), D("2025-09-28")])
    assert days == YearDays(2025, (D("2025-10-01"), D("2025-10-02")), (D("2025-09-28"), D("2025-10-11")))
    assert year_days(2025, [], []) == YearDays(2025, (), ())


@pytest.mark.parametrize("holidays, working_days, code, field", [
    (["2025-10-01", "2026-01-01"], [], "date_outside_year", "holidays[1]"),
    (["2025-10-01"], ["2024-12-28"], "date_outside_year", "working_days[0]"),
    (["2025-10-01", "2025-10-02", "2025-10-01"], [], "duplicate_date", "holidays[2]"),
    ([], ["2025-09-28", "2025-09-28"], "duplicate_date", "working_days[1]"),
    ([], ["2025-09-29"], "working_day_not_weekend", "working_days[0]"),  # a Monday
    (["2025-10-04"], ["2025-10-11", "2025-10-04"], "day_both_holiday_and_working", "working_days[1]"),
])
def test_a_year_that_does_not_hold_is_refused_naming_the_field(holidays, working_days, code, field):
    assert refused(year_days(2025, [D(d) for d in holidays], [D(d) for d in working_days])) == (code, field)


def test_a_year_out_of_range_is_refused():
    assert refused(year_days(1899, [], [])) == ("invalid_year", "year")


# --- the shipped arrangements -----------------------------------------------


def test_the_shipped_calendar_covers_2004_to_2026_and_holds():
    shipped = shipped_calendar()
    assert sorted(shipped.years) == list(range(2004, 2027))
    assert shipped.clause == "D-10" and "国务院办公厅" in shipped.source and "chinesecalendar" in shipped.source
    cal = WorkCalendar.of(shipped.years.values())
    assert not cal.is_working_day(D("2020-01-31"))  # the Spring Festival extended in 2020
    assert cal.is_working_day(D("2020-01-19"))  # a Sunday worked in exchange
    assert not cal.is_working_day(D("2015-09-03"))  # the 70th anniversary holiday
    assert not cal.is_working_day(D("2026-02-20")) and cal.is_working_day(D("2026-02-28"))
    with pytest.raises(Conflict):
        cal.is_working_day(D("2027-01-04"))


# --- the store --------------------------------------------------------------

NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)


@pytest.fixture
def store():
    engine = create_engine("sqlite://")
    metadata = MetaData()
    calendars = Calendars(calendar_table(metadata))
    metadata.create_all(engine)
    with Session(engine) as s:
        yield s, calendars
    engine.dispose()


def test_loading_a_year_again_keeps_the_history_and_the_latest_is_in_force(store):
    s, calendars = store
    first = calendars.load(s, Y2025, source="国办发明电〔2024〕12号", created_by="admin", now=NOW)
    fixed = YearDays(2025, Y2025.holidays[:3], ())
    second = calendars.load(s, fixed, source="corrected", created_by="admin2", now=NOW, note="typo")
    assert [v.id for v in calendars.versions(s, 2025)] == [second.id, first.id]
    assert [(v.year, v.source, v.created_by) for v in calendars.loaded(s)] == [(2025, "corrected", "admin2")]
    cal = calendars.in_force(s, D("2025-01-01"))
    assert cal.years == {2025} and cal.is_working_day(D("2025-10-08")) and not cal.makeup_days


def test_in_force_reads_only_the_years_it_spans(store):
    s, calendars = store
    for year in (2024, 2025, 2026):
        calendars.load(s, YearDays(year, ()), source="s", created_by="admin", now=NOW)
    assert calendars.in_force(s, D("2025-06-01")).years == {2025, 2026}
    assert calendars.in_force(s, D("2024-06-01"), D("2025-01-01")).years == {2024, 2025}


def test_versions_of_a_year_not_loaded_is_not_found(store):
    s, calendars = store
    with pytest.raises(NotFound) as caught:
        calendars.versions(s, 2030)
    assert caught.value.status == 404 and caught.value.field == "year"


def test_seeding_loads_only_the_years_with_no_row_and_is_idempotent(store):
    s, calendars = store
    mine = calendars.load(s, Y2025, source="an administrator's own", created_by="admin", now=NOW)
    shipped = ShippedCalendar("published", "D-10", {2025: YearDays(2025, ()), 2026: YearDays(2026, ())})
    assert calendars.seed(s, NOW, shipped) == [2026]
    assert calendars.seed(s, NOW, shipped) == []
    t = calendars.table
    rows = s.execute(select(t.c.year, t.c.source, t.c.created_by).order_by(t.c.id)).all()
    assert [tuple(r) for r in rows] == [(2025, "an administrator's own", "admin"), (2026, "published", "seed")]
    assert calendars.versions(s, 2025)[0].id == mine.id


def test_the_shipped_seed_loads_every_year(store):
    s, calendars = store
    assert calendars.seed(s, NOW) == list(range(2004, 2027))
    assert [v.year for v in calendars.loaded(s)] == list(range(2004, 2027))
