"""``/pay-runs``: monthly pay runs (S4-10…S4-12), computed by ``hr_service.pay``;
D-16 maker-checker: submitted by one officer, approved (closed) or rejected by
another; their log, the approver's review and the bank payment file."""
from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import pay
from hr_service.api.schemas import NewPayRun
from hr_service.pay import approval, bank
from hr_service.tables import PayRun
from shared.auth import Principal, Role, require_jurisdiction, requires
from shared.dates import month_bounds
from shared.db import get_within, in_jurisdiction
from shared.errors import Invalid
from shared.paging import Page, check_paging
from shared.tabular import XLSX_MEDIA_TYPE
from shared.types import IdArg
from shared.web import Svc, now, today

Text = Annotated[str, msgspec.Meta(max_length=approval.NOTE_MAX)]


class Approval(msgspec.Struct, forbid_unknown_fields=True):
    note: Text | None = None


class Rejection(msgspec.Struct, forbid_unknown_fields=True):
    reason: Text


def pay_run_of(s: Session, principal: Principal, run_id: int) -> PayRun:
    """The run, or 404 when there is none in the caller's jurisdiction (D-8)."""
    return get_within(s, PayRun, run_id, principal, "pay run", "工资批次")


class PayRunController(Controller):
    """Monthly pay runs: compute a draft (again if need be), submit it,
    another officer approves or rejects it (D-16)."""

    path = "/pay-runs"
    tags = ["pay"]
    guards = [requires(Role.hr_officer)]

    @post("/", sync_to_thread=True)
    def run(self, svc: Svc, request: Request, data: JSONBody[NewPayRun]) -> Response[pay.PayRunOut]:
        """Compute the month's payslips for a jurisdiction (201 new, 200 a draft
        computed again). A closed month is 409 ``month_closed``; a run
        submitted for approval 409 ``pay_run_submitted`` (reject it first)."""
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
    def get_run(self, svc: Svc, request: Request, run_id: FromPath[IdArg]) -> pay.PayRunOut:
        with svc.db.read_session() as s:
            return pay.run_out(pay_run_of(s, request.user, run_id))

    @post("/{run_id:int}/submit", sync_to_thread=True, status_code=200)
    def submit(self, svc: Svc, request: Request, run_id: FromPath[IdArg]) -> pay.PayRunOut:
        """D-16: put a draft forward for approval by another officer (409 unless a draft)."""
        with svc.db.transaction() as s:
            r = approval.locked_run(s, request.user, run_id)
            return pay.submit_pay_run(s, r, actor=request.user.sub, now=now())

    @post("/{run_id:int}/approve", sync_to_thread=True, status_code=200)
    def approve(self, svc: Svc, request: Request, run_id: FromPath[IdArg],
                data: JSONBody[Approval | None] = None) -> pay.PayRunOut:
        """D-16: approve a submitted run: it is closed, its payslips never change.
        The approver needs authority over the run's jurisdiction and must have
        neither computed nor submitted it (403 ``own_pay_run``)."""
        with svc.db.transaction() as s:
            r = approval.locked_run(s, request.user, run_id)
            return pay.approve_pay_run(s, r, actor=request.user.sub, now=now(), note=data.note if data else None)

    @post("/{run_id:int}/reject", sync_to_thread=True, status_code=200)
    def reject(self, svc: Svc, request: Request, run_id: FromPath[IdArg], data: JSONBody[Rejection]) -> pay.PayRunOut:
        """D-16: send a submitted run back to draft with a reason (required).
        Its maker may do so too: that withdraws the submission."""
        with svc.db.transaction() as s:
            r = approval.locked_run(s, request.user, run_id)
            return pay.reject_pay_run(s, r, actor=request.user.sub, now=now(), reason=data.reason)

    @get("/{run_id:int}/history", sync_to_thread=True)
    def history(self, svc: Svc, request: Request, run_id: FromPath[IdArg]) -> list[approval.PayRunEventOut]:
        """Every computation, submission, approval and rejection, oldest first (D-16)."""
        with svc.db.read_session() as s:
            pay_run_of(s, request.user, run_id)
            return approval.history(s, run_id)

    @get("/{run_id:int}/review", sync_to_thread=True)
    def review(self, svc: Svc, request: Request, run_id: FromPath[IdArg]) -> approval.ReviewOut:
        """D-16: the run's totals against the previous month's, the workers who
        joined and are gone, and the largest changes of net pay."""
        with svc.db.read_session() as s:
            return approval.review(s, pay_run_of(s, request.user, run_id))

    @get("/{run_id:int}/bank-file", sync_to_thread=True)
    def bank_file(self, svc: Svc, request: Request, run_id: FromPath[IdArg],
                  fmt: Annotated[str, QueryParameter(name="format")] = "csv") -> Response[bytes]:
        """D-16: the bank payment file of an approved run (409 before), CSV or
        XLSX. Headers: ``X-Bank-File-Rows``, ``X-Bank-File-Total-Fen`` (the
        run's net total) and ``X-Bank-File-Missing-Accounts``."""
        if fmt not in ("csv", "xlsx"):
            raise Invalid("invalid_format", "format is csv or xlsx.", "format 须为 csv 或 xlsx。", field="format")
        with svc.db.read_session() as s:
            r = pay_run_of(s, request.user, run_id)
            f = bank.bank_file(s, r)
            name = f"bank-file-{r.jurisdiction}-{r.month}.{fmt}"
        content, media = ((bank.bank_file_csv(f), "text/csv; charset=utf-8") if fmt == "csv"
                          else (bank.bank_file_xlsx(f, f"{r.jurisdiction} {r.month}"), XLSX_MEDIA_TYPE))
        return Response(content, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{name}"', "X-Bank-File-Rows": str(len(f.rows)),
            "X-Bank-File-Total-Fen": str(f.total_fen), "X-Bank-File-Missing-Accounts": str(f.missing_accounts)})

    @get("/{run_id:int}/payslips", sync_to_thread=True)
    def payslips(self, svc: Svc, request: Request, run_id: FromPath[IdArg], limit: FromQuery[int] = 50,
                 offset: FromQuery[int] = 0) -> Page[pay.PayslipRow]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            pay_run_of(s, request.user, run_id)
            items, total = pay.list_payslips(s, run_id, limit, offset)
            return Page(items, total, limit, offset)
