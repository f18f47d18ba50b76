"""``/pay-budget``: a month's pay against the community work fund (S4-7a) and
the bonus and welfare pool (S4-12), computed by ``hr_service.pay.budget``."""
from __future__ import annotations

from litestar import Controller, Request, get
from litestar.params import FromQuery

from hr_service.pay.budget import BudgetOut, pay_budget
from shared.auth import Role, require_jurisdiction, requires
from shared.dates import month_bounds
from shared.errors import Invalid
from shared.web import Svc


class PayBudgetController(Controller):
    """Pay cost against the work fund, community by community."""

    path = "/pay-budget"
    tags = ["pay"]
    guards = [requires(Role.hr_officer)]

    @get("/", sync_to_thread=True)
    def budget(self, svc: Svc, request: Request, month: FromQuery[str | None] = None,
               jurisdiction: FromQuery[str | None] = None) -> BudgetOut:
        """Per community with payslips in ``month`` (YYYY-MM) within
        ``jurisdiction`` (default the caller's; outside it is 403, D-8): grade
        pay, the bonus pool, the bonus paid, the employer's contributions and
        the pay cost, against the S4-7a fund of the month and the pool S4-12
        allows; the same for the year to date, and the totals. A month without
        payslips has no rows and a note."""
        scope = jurisdiction or request.user.jurisdiction
        require_jurisdiction(request.user, scope)
        if month is None:
            raise Invalid("month_required", "Name the month (month=YYYY-MM).", "请指定月份（month=YYYY-MM）。",
                          field="month")
        month_bounds(month)
        with svc.db.read_session() as s:
            return pay_budget(s, svc.policies, jurisdiction=scope, month=month)
