"""Statistics: the person-times (人次, S3-7) of the sessions a jurisdiction
runs in a year, the hours credited, and spend against the budget (S2-2)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

import msgspec
from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import coalesce

from shared.db import in_jurisdiction as in_scope
from shared.levels import unit_of
from shared.policy import Policies
from training_service import rules
from training_service.states import EnrolmentStatus, SessionStatus
from training_service.tables import CourseSession, Enrolment, Programme, RosterWorker, TrainingCredit


class Statistics(NamedTuple):
    """The figures of ``/reports/statistics``, named as its ``StatisticsOut``
    names them (the API adds the scope, the year and the budget left)."""

    sessions: int
    person_times: int
    completed_person_times: int
    workers: int
    hours: Decimal
    cpd_hours: Decimal
    by_tier: dict[str, int]
    by_category: dict[str, int]
    by_location: dict[str, int]
    by_delivery: dict[str, int]
    spend_fen: int
    budget_fen: int
    budget_jurisdiction: str


def in_year(scope: str, year: int, until: date | None = None):
    """SQL: the sessions of ``scope`` (and below) that started in ``year``, up to ``until``, not cancelled."""
    end = min(datetime(year + 1, 1, 1), datetime.combine(until + timedelta(days=1), time()) if until else datetime.max)
    return and_(in_scope(CourseSession.jurisdiction, scope), CourseSession.starts_at >= datetime(year, 1, 1),
                CourseSession.starts_at < end, CourseSession.status != SessionStatus.cancelled)


def statistics(s: Session, policies: Policies, scope: str, year: int, until: date | None = None) -> Statistics:
    """The sessions ``scope`` ran that started in ``year`` (a city's include its
    districts'): person-times (人次, each seat held counts once), distinct
    workers, hours credited, and spend (programme cost per participant) against
    the year's budget; with ``until``, the sessions started up to that day."""
    window = in_year(scope, year, until)
    n_sessions = s.execute(select(func.count()).select_from(CourseSession).where(window)).scalar_one()
    seats = (select(Enrolment.id, Enrolment.worker_id, Enrolment.status, Programme.tier, Programme.category,
                    Programme.location, Programme.delivery, Programme.cost_fen)
             .join(CourseSession, CourseSession.id == Enrolment.session_id)
             .join(Programme, Programme.id == CourseSession.programme_id)
             .where(window, Enrolment.status.in_(rules.SEATED_STATUSES))).subquery()
    totals = s.execute(select(func.count(), func.count(distinct(seats.c.worker_id)),
                              func.coalesce(func.sum(seats.c.cost_fen), 0))).one()
    completed = s.execute(select(func.count()).select_from(seats)
                          .where(seats.c.status == EnrolmentStatus.completed)).scalar_one()

    def by(col) -> dict[str, int]:
        return {k: n for k, n in s.execute(select(col, func.count()).group_by(col).order_by(col)).all()}

    hours = s.execute(select(func.coalesce(func.sum(TrainingCredit.hours_ch), 0),
                             func.coalesce(func.sum(TrainingCredit.cpd_hours_ch), 0))
                      .where(TrainingCredit.enrolment_id.in_(select(seats.c.id)))).one()
    version = policies.version_in_force(s, "training_budget", scope, date(year, 12, 31))
    budget: rules.BudgetRule = policies.typed(version)
    return Statistics(
        n_sessions, totals[0], completed, totals[1], rules.from_ch(hours[0]), rules.from_ch(hours[1]),
        by(seats.c.tier), by(seats.c.category), by(seats.c.location), by(seats.c.delivery),
        int(totals[2]), budget.annual_fen, version.jurisdiction,
    )


class UnitTimes(msgspec.Struct):
    """S3-7 person-times of one district or street (D-17): the seats held, completed, and distinct workers."""

    unit: str
    person_times: int
    completed_person_times: int
    workers: int


def person_times_by(s: Session, scope: str, year: int, by: str, until: date | None = None) -> list[UnitTimes]:
    """The person-times (人次, S3-7) of ``statistics`` per district or street
    (``shared.levels.unit_of``, D-17) of the worker who held the seat (the
    session's own jurisdiction for a worker not on the roster), by unit."""
    where = coalesce(RosterWorker.jurisdiction, CourseSession.jurisdiction)
    rows = s.execute(
        select(where, Enrolment.worker_id, Enrolment.status)
        .join(CourseSession, CourseSession.id == Enrolment.session_id)
        .outerjoin(RosterWorker, RosterWorker.worker_id == Enrolment.worker_id)
        .where(in_year(scope, year, until), Enrolment.status.in_(rules.SEATED_STATUSES))
    ).all()
    seats: dict[str, list[int]] = {}
    workers: dict[str, set[int]] = {}
    for jurisdiction, worker_id, status in rows:
        unit = unit_of(jurisdiction, by)
        counts = seats.setdefault(unit, [0, 0])
        counts[0] += 1
        counts[1] += status == EnrolmentStatus.completed
        workers.setdefault(unit, set()).add(worker_id)
    return [UnitTimes(u, seats[u][0], seats[u][1], len(workers[u])) for u in sorted(seats)]
