"""The working-day calendar of clause D-10: weekends and public holidays as
data kept per year, with the weekend days that are worked in exchange (调休).

D-10: "Working days follow a calendar table (weekends, public holidays,
make-up working days), used by every "N working days" rule. The table is data
kept per year by an administrator; a computation that reaches a year with no
calendar loaded is refused, never guessed."
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import msgspec
from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, Text

from shared.db import BigId
from shared.errors import YEARS, Conflict, Refusal, invalid_year

CLAUSE = "D-10"


def calendar_not_loaded(year: int, field: str = "year") -> Conflict:
    """D-10: a working-day count reaching a year with no calendar is refused, never guessed."""
    return Conflict(
        "calendar_not_loaded",
        f"No working-day calendar is loaded for {year}; an administrator loads it (PUT /calendar/{year}) "
        f"before working days in {year} can be counted.",
        f"{year} 年的工作日历尚未载入，须由管理员载入（PUT /calendar/{year}）后才能计算该年的工作日。",
        field=field, clause=CLAUSE, extra={"year": year},
    )


class YearDays(msgspec.Struct, frozen=True):
    """One year of the calendar: its public holidays and its make-up working days."""

    year: int
    holidays: tuple[date, ...]
    working_days: tuple[date, ...] = ()


class WorkCalendar(msgspec.Struct, frozen=True):
    """The calendar over the years loaded. Asked about a day of any other year,
    it raises ``calendar_not_loaded`` (409) naming that year."""

    years: frozenset[int]
    holidays: frozenset[date] = frozenset()
    makeup_days: frozenset[date] = frozenset()  # weekend days worked in exchange (调休)

    @classmethod
    def of(cls, loaded: Iterable[YearDays]) -> WorkCalendar:
        loaded = list(loaded)
        return cls(
            years=frozenset(y.year for y in loaded),
            holidays=frozenset(d for y in loaded for d in y.holidays),
            makeup_days=frozenset(d for y in loaded for d in y.working_days),
        )

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_working_day(self, day: date, *, field: str = "year") -> bool:
        """A weekday that is not a public holiday, or a make-up working day.
        ``field`` names the input a refusal points at."""
        if day.year not in self.years:
            raise calendar_not_loaded(day.year, field)
        if day in self.makeup_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, n: int, *, field: str = "year") -> date:
        """The date on which a period of ``n`` working days that begins on
        ``start`` (counted if it is a working day) ends. ``n`` >= 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        counted = 0
        while True:
            if self.is_working_day(day, field=field):
                counted += 1
                if counted == n:
                    return day
            day += timedelta(days=1)

    def working_days_between(self, start: date, end: date, *, field: str = "year") -> int:
        """Working days in [start, end]."""
        n, day = 0, start
        while day <= end:
            n += self.is_working_day(day, field=field)
            day += timedelta(days=1)
        return n


def _misplaced(year: int, days: Sequence[date], name: str) -> Refusal | None:
    """The first day of ``days`` outside ``year`` or listed twice."""
    seen: set[date] = set()
    for i, day in enumerate(days):
        field = f"{name}[{i}]"
        if day.year != year:
            return Refusal("date_outside_year", f"{field} {day} is not in {year}.",
                           f"{field}（{day}）不在 {year} 年内。", field, CLAUSE)
        if day in seen:
            return Refusal("duplicate_date", f"{field} {day} is listed twice.", f"{field}（{day}）重复列出。",
                           field, CLAUSE)
        seen.add(day)
    return None


def year_days(year: int, holidays: Sequence[date], working_days: Sequence[date]) -> YearDays | Refusal:
    """D-10 "weekends, public holidays, make-up working days" kept per year: a
    year's calendar as loaded, or why not. Every date lies in its year and is
    listed once; a make-up working day is a Saturday or a Sunday (a weekday is a
    working day already) and is never a holiday as well."""
    if not YEARS[0] <= year <= YEARS[1]:
        return Refusal.of(invalid_year(year))
    refusal = _misplaced(year, holidays, "holidays") or _misplaced(year, working_days, "working_days")
    if refusal:
        return refusal
    off = set(holidays)
    for i, day in enumerate(working_days):
        field = f"working_days[{i}]"
        if day.weekday() < 5:
            return Refusal("working_day_not_weekend",
                           f"{field} {day} is a weekday; a make-up working day is a Saturday or a Sunday.",
                           f"{field}（{day}）是工作日；调休上班日须为周六或周日。", field, CLAUSE)
        if day in off:
            return Refusal("day_both_holiday_and_working", f"{field} {day} is also listed as a holiday.",
                           f"{field}（{day}）同时被列为节假日。", field, CLAUSE)
    return YearDays(year, tuple(sorted(holidays)), tuple(sorted(working_days)))


def calendar_table(metadata: MetaData) -> Table:
    """D-10's calendar as data: one row per year loaded (its public holidays and
    its make-up working days). A year is loaded again by adding a row; the
    latest row of a year is the one in force, the earlier ones its history."""
    return Table(
        "work_calendar",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("year", Integer, nullable=False, index=True),
        Column("holidays", JSON, nullable=False),  # ISO dates
        Column("working_days", JSON, nullable=False),  # make-up working days (调休), ISO dates
        Column("source", Text, nullable=False),
        Column("clause", String(32), nullable=False),
        Column("note", Text, nullable=True),
        Column("created_by", String(64), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
