"""``/step-runs``: the step increment (S4-10), run by ``hr_service.increment``."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response
from sqlalchemy.orm import Session

from hr_service import increment
from hr_service.api.schemas import NewStepRun, NewSupplementaryRun
from hr_service.tables import StepRun
from shared.auth import Principal, Role, require_jurisdiction, requires
from shared.db import get_within
from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc, now, today


def step_run_of(s: Session, principal: Principal, run_id: int) -> StepRun:
    """The run, or 404 when there is none in the caller's jurisdiction (D-8)."""
    return get_within(s, StepRun, run_id, principal, "step run", "晋档批次")


class StepRunController(Controller):
    """The step increment (S4-10): every 1 July, one grade up for those assessed 合格 or better."""

    path = "/step-runs"
    tags = ["pay"]
    guards = [requires(Role.hr_officer)]

    @post("/", sync_to_thread=True)
    def run(self, svc: Svc, request: Request, data: JSONBody[NewStepRun]) -> Response[increment.StepRunResult]:
        """Run the increment for a jurisdiction and effective date (201), or dry-run
        it (200, nothing written). The same date again changes nothing (200, ``repeated``)."""
        require_jurisdiction(request.user, data.jurisdiction)
        with svc.db.transaction() as s:
            result = increment.run_increment(
                s, jurisdiction=data.jurisdiction, effective_on=data.effective_on, dry_run=data.dry_run,
                actor=request.user.sub, now=now(), today=today(), policies=svc.policies,
            )
        return Response(result, status_code=200 if (result.dry_run or result.repeated) else 201)

    @post("/supplementary", sync_to_thread=True)
    def run_supplementary(self, svc: Svc, request: Request,
                          data: JSONBody[NewSupplementaryRun]) -> Response[increment.StepRunResult]:
        """A supplementary step run (补晋档, D-12) for a past step date whose run is
        done: moves those who qualify on that date by the assessments recorded
        now and were not moved. ``dry_run`` (the default) lists them and writes
        nothing (200); a real run writes (201), or nothing when nobody is left
        to move (200, ``id`` null). The months already paid are made good on the
        next payslip, one arrears line per month (补发)."""
        require_jurisdiction(request.user, data.jurisdiction)
        with svc.db.transaction() as s:
            result = increment.run_supplementary(
                s, jurisdiction=data.jurisdiction, effective_on=data.effective_on, dry_run=data.dry_run,
                reason=data.reason, actor=request.user.sub, now=now(), today=today(), policies=svc.policies,
            )
        return Response(result, status_code=201 if result.id is not None else 200)

    @get("/", sync_to_thread=True)
    def list_runs(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                  limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[increment.StepRunResult]:
        """The step runs in the caller's jurisdiction with their stored tallies,
        latest date first (a supplementary run beside the run it follows), paged."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            items, total = increment.list_runs(s, request.user, jurisdiction, limit, offset)
            return Page(items, total, limit, offset)

    @get("/{run_id:int}", sync_to_thread=True)
    def get_run(self, svc: Svc, request: Request, run_id: FromPath[IdArg]) -> increment.StepRunResult:
        with svc.db.read_session() as s:
            return increment.stored_result(s, step_run_of(s, request.user, run_id), repeated=False)

    @get("/{run_id:int}/outcomes", sync_to_thread=True)
    def outcomes(self, svc: Svc, request: Request, run_id: FromPath[IdArg], outcome: FromQuery[str | None] = None,
                 limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[increment.WorkerOutcome]:
        """Who moved, who did not and why, paged (``outcome`` filters)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            items, total = increment.outcomes(s, step_run_of(s, request.user, run_id), outcome, limit, offset)
            return Page(items, total, limit, offset)
