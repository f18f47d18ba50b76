"""``/reports``: D-6 compliance, and S3-7 person-times with S2-2 spend."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from litestar import Controller, Request, get
from litestar.params import FromQuery

from shared.auth import STATISTICS_READERS, require_jurisdiction, requires
from shared.errors import check_year, refuse_future
from shared.levels import check_by
from shared.types import OptYearArg
from shared.web import Svc, today
from training_service import rules, store
from training_service.api.common import COORDINATOR, who
from training_service.api.schemas import ComplianceOut, ComplianceRow, StatisticsOut
from training_service.store.reports import person_times_by


def budget_used_percent(spend_fen: int, budget_fen: int) -> Decimal:
    """Spend as a share of the budget, in percent to the hundredth (0 without a budget)."""
    return (Decimal(spend_fen * 100) / Decimal(budget_fen)).quantize(Decimal("0.01")) if budget_fen else Decimal(0)


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]

    @get("/compliance", sync_to_thread=True, guards=[COORDINATOR])
    def compliance(self, svc: Svc, request: Request, year: FromQuery[OptYearArg] = None,
                   jurisdiction: FromQuery[str | None] = None, as_of: FromQuery[date | None] = None) -> ComplianceOut:
        """Who is behind on D-6 in a jurisdiction, and by how much (open: not yet due)."""
        principal = who(request)
        scope = jurisdiction or principal.jurisdiction
        require_jurisdiction(principal, scope)
        as_of = as_of or today()
        year = check_year(year or as_of.year)
        with svc.db.read_session() as s:
            checked, lines = store.compliance(s, svc.policies, scope, year, as_of)
        rows = [ComplianceRow(
            x.worker.worker_id, x.worker.name, x.worker.post, x.worker.jurisdiction, x.worker.community_code,
            x.obligation.kind, x.obligation.status, x.obligation.unit, x.obligation.required, x.obligation.done,
            x.obligation.shortfall, x.obligation.shortfall_days, x.obligation.due_on, x.obligation.clause,
        ) for x in lines]
        return ComplianceOut(scope, year, as_of, checked, sum(r.status == "behind" for r in rows),
                             sum(r.status == "open" for r in rows), rows)

    @get("/statistics", sync_to_thread=True, guards=[requires(*STATISTICS_READERS)])
    def statistics(self, svc: Svc, request: Request, year: FromQuery[OptYearArg] = None,
                   jurisdiction: FromQuery[str | None] = None, as_of: FromQuery[date | None] = None,
                   by: FromQuery[str | None] = None) -> StatisticsOut:
        """Person-times (人次, S3-7) of the sessions run in a year, and spend
        against the budget (S2-2). With ``as_of`` the year is its year and
        only sessions started by that day count; with ``by=district|street``
        the person-times per unit of the workers who held the seats (D-17)."""
        principal = who(request)
        scope = jurisdiction or principal.jurisdiction
        require_jurisdiction(principal, scope)
        if as_of is not None:
            refuse_future(as_of, today(), "as_of")
        year = check_year(year or (as_of or today()).year, bounds=rules.YEARS)
        by = check_by(by)
        with svc.db.read_session() as s:
            st = store.statistics(s, svc.policies, scope, year, as_of)
            units = [] if by is None else person_times_by(s, scope, year, by, as_of)
        return StatisticsOut(
            jurisdiction=scope, year=year, **st._asdict(), budget_left_fen=st.budget_fen - st.spend_fen,
            budget_used_percent=budget_used_percent(st.spend_fen, st.budget_fen), clauses=["S3-7", "S2-2"],
            as_of=as_of, by=by, units=units,
        )
