"""The working-day calendar of clause D-10: weekends and public holidays as
data, with the weekend days that are worked in exchange (调休)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

import msgspec
from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, Text

from shared.db import BigId


class WorkCalendar(msgspec.Struct, frozen=True):
    holidays: frozenset[date]
    working_weekend_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The date on which a period of ``n`` working days that begins on
        ``start`` (counted if it is a working day) ends. ``n`` >= 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        counted = 0
        while True:
            if self.is_working_day(day):
                counted += 1
                if counted == n:
                    return day
            day += timedelta(days=1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in [start, end]."""
        n, day = 0, start
        while day <= end:
            n += self.is_working_day(day)
            day += timedelta(days=1)
        return n


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The mainland China calendar shipped in ``shared/data/calendar_cn.json``."""
    raw = json.loads(resources.files("shared").joinpath("data/calendar_cn.json").read_text("utf-8"))
    return WorkCalendar(
        holidays=frozenset(date.fromisoformat(d) for d in raw["holidays"]),
        working_weekend_days=frozenset(date.fromisoformat(d) for d in raw["working_weekend_days"]),
    )


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
