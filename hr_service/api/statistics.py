"""``/statistics``: the workforce by organisation level on a date (D-17):
headcount, quota and vacancies (S4-1, S4-3, D-9), age and education
structure, gender split and party members, per district or street."""
from __future__ import annotations

from datetime import date

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromQuery

from hr_service.store.statistics import AGE_BANDS, Unit, workforce
from shared.auth import STATISTICS_READERS, require_jurisdiction, requires
from shared.errors import refuse_future
from shared.levels import check_by
from shared.web import Svc, today


class WorkforceStatistics(msgspec.Struct):
    """The total of ``jurisdiction`` on ``as_of`` and, with ``by``, each unit's
    figures (a worker kept above the level asked counts in ``(no street)`` or
    ``(no district)``). Vacancies are each community's quota less its
    headcount that day, never below 0, summed."""

    jurisdiction: str
    as_of: date
    by: str | None
    age_bands: list[str]
    total: Unit
    units: list[Unit]
    clauses: list[str]


class StatisticsController(Controller):
    path = "/statistics"
    tags = ["statistics"]

    @get("/workforce", sync_to_thread=True, guards=[requires(*STATISTICS_READERS)])
    def workforce(self, svc: Svc, request: Request, as_of: FromQuery[date | None] = None,
                  by: FromQuery[str | None] = None, jurisdiction: FromQuery[str | None] = None) -> WorkforceStatistics:
        """Headcount on the rolls on ``as_of`` (default today; not after it),
        quota and vacancies, age bands (≤30, 31-40, 41-50, >50 on the date),
        education, gender and party members, within ``jurisdiction`` (default
        the caller's; outside it 403), per ``by=district|street`` (D-17)."""
        day = as_of or today()
        refuse_future(day, today(), "as_of")
        scope = jurisdiction or request.user.jurisdiction
        require_jurisdiction(request.user, scope)
        by = check_by(by)
        with svc.db.read_session() as s:
            total, units = workforce(s, svc.policies, scope, day, by)
        return WorkforceStatistics(scope, day, by, list(AGE_BANDS), total, units, ["D-17", "S4-1", "S4-3", "D-9"])
