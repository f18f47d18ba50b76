"""``/workers/{worker_id}``: one worker's training records; another person's answer 404 (D-8)."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery

from shared.auth import ensure_visible
from shared.errors import NotFound
from shared.types import IdArg, OptYearArg
from shared.web import Svc
from training_service import store
from training_service.api.common import who
from training_service.api.schemas import EnrolmentOut, LedgerOut, ObligationsOut
from training_service.api.views import enrolment_outs, ledger_out, obligations_out
from training_service.tables import RosterWorker


def worker_for(s, request: Request, worker_id: int) -> RosterWorker:
    """The roster entry, if the caller may see it (404 otherwise, D-8)."""
    w = s.get(RosterWorker, worker_id)
    if w is None:
        raise NotFound("worker", "社区工作者", worker_id)
    ensure_visible(who(request), w.jurisdiction, w.worker_id, "worker", "社区工作者", worker_id, w.community_code)
    return w


class WorkerRecordsController(Controller):
    """One worker's training records; another person's answer 404 (D-8)."""

    path = "/workers/{worker_id:int}"
    tags = ["ledger"]

    @get("/ledger", sync_to_thread=True)
    def ledger(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
               year: FromQuery[OptYearArg] = None) -> LedgerOut:
        with svc.db.read_session() as s:
            w = worker_for(s, request, worker_id)
            return ledger_out(w, store.credits_of(s, worker_id, year))

    @get("/enrolments", sync_to_thread=True)
    def enrolments(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[EnrolmentOut]:
        with svc.db.read_session() as s:
            worker_for(s, request, worker_id)
            return enrolment_outs(s, store.enrolment_views(s, worker_id=worker_id))

    @get("/obligations", sync_to_thread=True)
    def obligations(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], year: FromQuery[OptYearArg] = None,
                    as_of: FromQuery[date | None] = None) -> ObligationsOut:
        """D-6 for one worker: induction within probation; 7 days a year for 正职; one programme in 2 years."""
        with svc.db.read_session() as s:
            return obligations_out(svc, s, worker_for(s, request, worker_id), year, as_of)
