"""``/calendar``: the D-10 working-day calendar over HTTP, the same on every
service that counts working days. Any officer reads the years loaded and a
year's days with its earlier versions; only an administrator loads a year.

``<svc>/app.py`` mounts ``calendar_routes(CALENDAR)`` (its store's
``Calendars``) and names it ``CALENDAR``, so that ``deploy.services.prepare``
seeds the shipped years beside the policy tables.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, Router, get, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from sqlalchemy import func, select

from shared.auth import Principal, Role, requires
from shared.calendar import Calendars, CalendarVersion
from shared.errors import Refusal
from shared.types import Note, YearArg
from shared.web import Svc, now
from shared.workdays import year_days

Days = Annotated[list[date], msgspec.Meta(max_length=366)]


class CalendarYearIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A year's calendar as published: its public holidays (weekend days inside a
    holiday period may be listed), its make-up working days (调休, Saturdays and
    Sundays worked), where the arrangement comes from and a note."""

    holidays: Days
    working_days: Days = []
    source: Note
    note: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class LoadedYear(msgspec.Struct, frozen=True):
    """A loaded year in brief: the version in force, and how many versions it has had."""

    year: int
    holidays: int
    working_days: int
    versions: int
    source: str
    clause: str
    note: str | None
    created_by: str
    created_at: datetime


class CalendarYearOut(msgspec.Struct, frozen=True):
    """A year's calendar: the version in force and the earlier ones, newest first."""

    year: int
    in_force: CalendarVersion
    earlier: list[CalendarVersion]


Calendar = NamedDependency[Calendars]
"""How a handler asks for its service's calendar store: ``calendars: Calendar``."""


def year_out(versions: list[CalendarVersion]) -> CalendarYearOut:
    return CalendarYearOut(versions[0].year, versions[0], versions[1:])


class CalendarController(Controller):
    """D-10: working days follow this calendar, kept per year by an administrator."""

    path = "/"
    tags = ["calendar"]
    guards = [requires(Role.hr_officer, Role.training_coordinator, Role.cert_officer)]

    @get("/", sync_to_thread=True)
    def loaded_years(self, svc: Svc, calendars: Calendar) -> list[LoadedYear]:
        """The years loaded, each with the source, loader and time of the version in force."""
        t = calendars.table
        with svc.db.read_session() as s:
            counts: dict[int, int] = dict(s.execute(select(t.c.year, func.count()).group_by(t.c.year)).all())
            return [LoadedYear(v.year, len(v.holidays), len(v.working_days), counts[v.year], v.source, v.clause,
                               v.note, v.created_by, v.created_at) for v in calendars.loaded(s)]

    @get("/{year:int}", sync_to_thread=True)
    def year(self, svc: Svc, calendars: Calendar, year: FromPath[YearArg]) -> CalendarYearOut:
        """A year's holidays and make-up working days, and its earlier versions (404 if not loaded)."""
        with svc.db.read_session() as s:
            return year_out(calendars.versions(s, year))

    @put("/{year:int}", sync_to_thread=True, guards=[requires(Role.admin)])
    def load(self, svc: Svc, calendars: Calendar, request: Request, year: FromPath[YearArg],
             data: JSONBody[CalendarYearIn]) -> CalendarYearOut:
        """Load a year (administrators): a new version, in force from now; the earlier ones are kept.
        Every date in the year, none listed twice, make-up working days on weekends and never holidays."""
        days = year_days(year, data.holidays, data.working_days)
        if isinstance(days, Refusal):
            raise days.problem()
        principal: Principal = request.user
        with svc.db.transaction() as s:
            calendars.load(s, days, source=data.source.strip(), note=data.note, created_by=principal.sub,
                           now=now())
            return year_out(calendars.versions(s, year))


def calendar_routes(calendars: Calendars) -> Router:
    """``/calendar`` over one service's calendar table."""
    return Router(path="/calendar", route_handlers=[CalendarController],
                  dependencies={"calendars": Provide(lambda: calendars, use_cache=True, sync_to_thread=False)})

