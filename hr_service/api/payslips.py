"""``/workers/{id}/payslips`` and ``/payslips/{id}``: payslips, stored or
previewed, each with its lines (D-16; ``hr_service.pay``)."""
from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter

from hr_service import pay, store
from hr_service.pay.payslips import stored_payslip
from hr_service.tables import Payslip
from shared.auth import Role, requires
from shared.dates import month_bounds
from shared.errors import NotFound
from shared.types import IdArg, MonthArg
from shared.web import Svc, today


class WorkerPayslipController(Controller):
    path = "/workers/{worker_id:int}/payslips"
    tags = ["workers"]

    @get("/", sync_to_thread=True)
    def payslips(
        self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
        first: Annotated[str | None, QueryParameter(name="from")] = None,
        last: Annotated[str | None, QueryParameter(name="to")] = None,
    ) -> list[pay.PayslipOut]:
        """The worker's stored payslips (draft and closed pay runs) from ``from`` to
        ``to`` (YYYY-MM, inclusive; by default the twelve months to this one), by month."""
        first, last = pay.month_range(first, last, today())
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return pay.stored_payslips(s, worker_id, first, last)

    @get("/{month:str}", sync_to_thread=True)
    def payslip(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                month: FromPath[MonthArg]) -> pay.PayslipOut:
        """The worker's payslip for a month with its lines (D-16): the pay run's if
        there is one, else a preview computed the same way (without rewards or
        months made good: the run pays those)."""
        month_bounds(month)
        with svc.db.read_session() as s:
            w = store.visible_worker(s, request.user, worker_id)
            return pay.payslip_of(s, w, month, svc.policies)


class PayslipController(Controller):
    path = "/payslips"
    tags = ["pay"]
    guards = [requires(Role.hr_officer, Role.worker)]

    @get("/{payslip_id:int}", sync_to_thread=True)
    def payslip(self, svc: Svc, request: Request, payslip_id: FromPath[IdArg]) -> pay.PayslipOut:
        """A stored payslip with its lines (D-16), for the worker it pays or an HR
        officer over the worker's jurisdiction; 404 for anyone else (D-8)."""
        with svc.db.read_session() as s:
            slip = s.get(Payslip, payslip_id)
            try:
                if slip is not None:
                    store.visible_worker(s, request.user, slip.worker_id)
            except NotFound:
                slip = None  # another person's payslip answers as if there were none
            if slip is None:
                raise NotFound("payslip", "工资单", payslip_id)
            return stored_payslip(s, payslip_id)
