"""``/me``: the calling worker's own record, titles and payslips (D-8)."""
from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter

from hr_service import pay, store
from hr_service.api.schemas import DesignationOut, WorkerOut, designation_out, worker_out
from hr_service.store.profile import education_of
from shared.auth import Principal
from shared.dates import month_bounds
from shared.errors import NotFound
from shared.types import MonthArg
from shared.web import Svc, today


def own_worker_id(principal: Principal) -> int:
    """The caller's worker record id; 404 for a login that is not a worker's."""
    if principal.worker_id is None:
        raise NotFound("worker record for", "职工档案", principal.sub)
    return principal.worker_id


class MeController(Controller):
    path = "/me"
    tags = ["me"]

    @get("/", sync_to_thread=True)
    def me(self, svc: Svc, request: Request) -> WorkerOut:
        """The calling worker's own record."""
        worker_id = own_worker_id(request.user)
        with svc.db.read_session() as s:
            w = store.worker_or_404(s, worker_id)
            return worker_out(w, education=education_of(s, w.id), full=True)  # their own record, unmasked (D-8)

    @get("/designations", sync_to_thread=True)
    def my_designations(self, svc: Svc, request: Request) -> list[DesignationOut]:
        """The calling worker's titles (a leader talent, D-7) with their terms."""
        worker_id = own_worker_id(request.user)
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [designation_out(d, today()) for d in store.designations(s, worker_id)]

    @get("/payslips", sync_to_thread=True)
    def my_payslips(
        self, svc: Svc, request: Request,
        first: Annotated[str | None, QueryParameter(name="from")] = None,
        last: Annotated[str | None, QueryParameter(name="to")] = None,
    ) -> list[pay.PayslipOut]:
        """The calling worker's stored payslips (draft and closed pay runs) from
        ``from`` to ``to`` (YYYY-MM, inclusive; by default the twelve months to this one)."""
        worker_id = own_worker_id(request.user)
        first, last = pay.month_range(first, last, today())
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return pay.stored_payslips(s, worker_id, first, last)

    @get("/payslips/{month:str}", sync_to_thread=True)
    def my_payslip(self, svc: Svc, request: Request, month: FromPath[MonthArg]) -> pay.PayslipOut:
        """The calling worker's payslip for a month with its lines (D-16): the pay
        run's, or a preview computed the same way."""
        worker_id = own_worker_id(request.user)
        month_bounds(month)
        with svc.db.read_session() as s:
            return pay.payslip_of(s, store.visible_worker(s, request.user, worker_id), month, svc.policies)
