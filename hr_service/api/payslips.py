"""``/workers/{id}/payslips``: a worker's payslips, stored or previewed (``hr_service.pay``)."""
from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter

from hr_service import pay, store
from shared.dates import month_bounds
from shared.web import Svc, today


class WorkerPayslipController(Controller):
    path = "/workers/{worker_id:int}/payslips"
    tags = ["workers"]

    @get("/", sync_to_thread=True)
    def payslips(
        self, svc: Svc, request: Request, worker_id: FromPath[int],
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
    def payslip(self, svc: Svc, request: Request, worker_id: FromPath[int], month: FromPath[str]) -> pay.PayslipOut:
        """The worker's payslip for a month: the pay run's if there is one, else a preview computed the same way."""
        month_bounds(month)
        with svc.db.read_session() as s:
            w = store.visible_worker(s, request.user, worker_id)
            return pay.payslip_of(s, w, month, svc.policies)
