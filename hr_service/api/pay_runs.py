"""``/pay-runs``: monthly pay runs (S4-10…S4-12), computed and closed by ``hr_service.pay``."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import pay
from hr_service.api.schemas import NewPayRun
from hr_service.tables import PayRun
from shared.auth import Principal, Role, require_jurisdiction, requires
from shared.dates import month_bounds
from shared.db import get_within, in_jurisdiction
from shared.paging import Page, check_paging
from shared.web import Svc, now, today


def pay_run_of(s: Session, principal: Principal, run_id: int) -> PayRun:
    """The run, or 404 when there is none in the caller's jurisdiction (D-8)."""
    return get_within(s, PayRun, run_id, principal, "pay run", "工资批次")


class PayRunController(Controller):
    """Monthly pay runs: compute a draft (again if need be), close the month."""

    path = "/pay-runs"
    tags = ["pay"]
    guards = [requires(Role.hr_officer)]

    @post("/", sync_to_thread=True)
    def run(self, svc: Svc, request: Request, data: JSONBody[NewPayRun]) -> Response[pay.PayRunOut]:
        """Compute the month's payslips for a jurisdiction (201 new, 200 a draft
        computed again). A closed month is 409."""
        require_jurisdiction(request.user, data.jurisdiction)
        month_bounds(data.month)
        with svc.db.transaction() as s:
            out, created = pay.run_pay(s, jurisdiction=data.jurisdiction, month=data.month, actor=request.user.sub,
                                       now=now(), today=today(), policies=svc.policies)
        return Response(out, status_code=201 if created else 200)

    @get("/", sync_to_thread=True)
    def list_runs(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                  month: FromQuery[str | None] = None) -> list[pay.PayRunOut]:
        with svc.db.read_session() as s:
            q = (select(PayRun).where(in_jurisdiction(PayRun.jurisdiction, request.user.jurisdiction))
                 .order_by(PayRun.month, PayRun.jurisdiction))
            if month:
                q = q.where(PayRun.month == month)
            if jurisdiction:
                q = q.where(PayRun.jurisdiction == jurisdiction)
            return [pay.run_out(r) for r in s.execute(q).scalars()]

    @get("/{run_id:int}", sync_to_thread=True)
    def get_run(self, svc: Svc, request: Request, run_id: FromPath[int]) -> pay.PayRunOut:
        with svc.db.read_session() as s:
            return pay.run_out(pay_run_of(s, request.user, run_id))

    @post("/{run_id:int}/close", sync_to_thread=True, status_code=200)
    def close(self, svc: Svc, request: Request, run_id: FromPath[int]) -> pay.PayRunOut:
        """Close the month: its payslips can no longer change (409 afterwards)."""
        with svc.db.transaction() as s:
            r = pay_run_of(s, request.user, run_id)
            require_jurisdiction(request.user, r.jurisdiction)
            return pay.close_pay_run(s, r, actor=request.user.sub, now=now())

    @get("/{run_id:int}/payslips", sync_to_thread=True)
    def payslips(self, svc: Svc, request: Request, run_id: FromPath[int], limit: FromQuery[int] = 50,
                 offset: FromQuery[int] = 0) -> Page[pay.PayslipRow]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            pay_run_of(s, request.user, run_id)
            items, total = pay.list_payslips(s, run_id, limit, offset)
            return Page(items, total, limit, offset)
