"""Statistics: the person-times (人次, S3-7) of the sessions a jurisdiction
runs in a year, the hours credited, and spend against the budget (S2-2)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from shared.db import in_jurisdiction as in_scope
from shared.policy import Policies
from training_service import rules
from training_service.states import EnrolmentStatus, SessionStatus
from training_service.tables import CourseSession, Enrolment, Programme, TrainingCredit


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


def statistics(s: Session, policies: Policies, scope: str, year: int) -> Statistics:
    """The sessions ``scope`` ran that started in ``year`` (a city's include its
    districts'): person-times (人次, each seat held counts once), distinct
    workers, hours credited, and spend (programme cost per participant) against
    the year's budget."""
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    in_year = and_(in_scope(CourseSession.jurisdiction, scope), CourseSession.starts_at >= start,
                   CourseSession.starts_at < end, CourseSession.status != SessionStatus.cancelled)
    n_sessions = s.execute(select(func.count()).select_from(CourseSession).where(in_year)).scalar_one()
    seats = (select(Enrolment.id, Enrolment.worker_id, Enrolment.status, Programme.tier, Programme.category,
                    Programme.location, Programme.delivery, Programme.cost_fen)
             .join(CourseSession, CourseSession.id == Enrolment.session_id)
             .join(Programme, Programme.id == CourseSession.programme_id)
             .where(in_year, Enrolment.status.in_(rules.SEATED_STATUSES))).subquery()
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
