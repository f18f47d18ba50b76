"""The D-10 working-day calendar kept as data: the years loaded, each year's
versions (the latest in force, the earlier ones its audit trail), loading a
year, seeding the published arrangements, and the ``WorkCalendar`` a
working-day computation reads.

D-10: "The table is data kept per year by an administrator; a computation
that reaches a year with no calendar loaded is refused, never guessed."
"""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

import msgspec
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from shared.errors import NotFound, Refusal
from shared.workdays import CLAUSE, WorkCalendar, YearDays, year_days

SEED_LOCK = 0xD10  # a PostgreSQL advisory lock: API replicas starting together seed once


class CalendarVersion(msgspec.Struct, frozen=True):
    """One loading of a year: its days, where they come from, who loaded them and when."""

    id: int
    year: int
    holidays: list[date]
    working_days: list[date]
    source: str
    clause: str
    note: str | None
    created_by: str
    created_at: datetime

    def days(self) -> YearDays:
        return YearDays(self.year, tuple(self.holidays), tuple(self.working_days))


class ShippedCalendar(msgspec.Struct, frozen=True):
    """The published arrangements shipped in ``shared/data/calendar_cn.json``."""

    source: str
    clause: str
    years: dict[int, YearDays]


@lru_cache(maxsize=1)
def shipped_calendar() -> ShippedCalendar:
    """The shipped data, each year checked by the same rule as an administrator's load."""
    raw = json.loads(resources.files("shared").joinpath("data/calendar_cn.json").read_text("utf-8"))
    years: dict[int, YearDays] = {}
    for key, days in raw["years"].items():
        loaded = year_days(int(key), [date.fromisoformat(d) for d in days["holidays"]],
                           [date.fromisoformat(d) for d in days["working_days"]])
        if isinstance(loaded, Refusal):
            raise ValueError(f"shared/data/calendar_cn.json, year {key}: {loaded.detail}")
        years[loaded.year] = loaded
    return ShippedCalendar(raw["source"], raw["clause"], years)


def _version(r) -> CalendarVersion:
    return CalendarVersion(
        id=r.id, year=r.year, holidays=[date.fromisoformat(d) for d in r.holidays],
        working_days=[date.fromisoformat(d) for d in r.working_days], source=r.source, clause=r.clause,
        note=r.note, created_by=r.created_by, created_at=r.created_at,
    )


class Calendars:
    """The calendar store of one service: its ``work_calendar`` table."""

    def __init__(self, table: Table):
        self.table = table

    def _latest(self, first: int | None = None, last: int | None = None):
        """The latest row of each year in [first, last]."""
        t = self.table
        latest = select(func.max(t.c.id)).group_by(t.c.year)
        if first is not None:
            latest = latest.where(t.c.year >= first)
        if last is not None:
            latest = latest.where(t.c.year <= last)
        return select(t).where(t.c.id.in_(latest)).order_by(t.c.year)

    def loaded(self, session: Session) -> list[CalendarVersion]:
        """Each loaded year's version in force, by year."""
        return [_version(r) for r in session.execute(self._latest()).all()]

    def versions(self, session: Session, year: int) -> list[CalendarVersion]:
        """A year's versions, the one in force first; 404 when none is loaded."""
        t = self.table
        rows = session.execute(select(t).where(t.c.year == year).order_by(t.c.id.desc())).all()
        if not rows:
            raise NotFound("working-day calendar for", "工作日历：", year, field="year")
        return [_version(r) for r in rows]

    def in_force(self, session: Session, since: date, until: date | None = None) -> WorkCalendar:
        """The calendar in force for the years from ``since`` (to ``until``): a
        count that runs past them, or into a gap, is refused by the calendar."""
        rows = session.execute(self._latest(since.year, until.year if until else None)).all()
        return WorkCalendar.of(_version(r).days() for r in rows)

    def load(self, session: Session, days: YearDays, *, source: str, created_by: str, now: datetime,
             note: str | None = None, clause: str = CLAUSE) -> CalendarVersion:
        """Add a version of ``days.year``; it is in force from now on, the earlier ones kept."""
        t = self.table
        return _version(session.execute(insert(t).values(
            year=days.year, holidays=[d.isoformat() for d in days.holidays],
            working_days=[d.isoformat() for d in days.working_days], source=source, clause=clause, note=note,
            created_by=created_by, created_at=now,
        ).returning(*t.c)).one())

    def seed(self, session: Session, now: datetime, shipped: ShippedCalendar | None = None) -> list[int]:
        """Load each shipped year that has no row yet; the years added. Idempotent."""
        shipped = shipped or shipped_calendar()
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEED_LOCK})
        have = set(session.execute(select(self.table.c.year).distinct()).scalars())
        added = [y for y in sorted(shipped.years) if y not in have]
        for year in added:
            self.load(session, shipped.years[year], source=shipped.source, created_by="seed", now=now,
                      clause=shipped.clause)
        return added
