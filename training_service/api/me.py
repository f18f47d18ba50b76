"""``/me``: the calling worker's own training."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Response

from shared.errors import NotFound
from shared.types import OptYearArg
from shared.web import Svc
from training_service import store
from training_service.api.common import who
from training_service.api.schemas import EnrolmentOut, LedgerOut, ObligationsOut
from training_service.api.views import calendar, enrolment_outs, ledger_out, obligations_out
from training_service.states import EnrolmentStatus
from training_service.tables import RosterWorker


def me(s, request: Request) -> RosterWorker:
    """The caller's own roster entry (404 for an account without one)."""
    principal = who(request)
    w = s.get(RosterWorker, principal.worker_id) if principal.worker_id is not None else None
    if w is None:
        raise NotFound("training record for", "培训档案", principal.sub)
    return w


class MeController(Controller):
    """The calling worker's own training: ledger, enrolments, obligations, calendar."""

    path = "/me"
    tags = ["me"]

    @get("/ledger", sync_to_thread=True)
    def ledger(self, svc: Svc, request: Request, year: FromQuery[OptYearArg] = None) -> LedgerOut:
        with svc.db.read_session() as s:
            w = me(s, request)
            return ledger_out(w, store.credits_of(s, w.worker_id, year))

    @get("/enrolments", sync_to_thread=True)
    def enrolments(self, svc: Svc, request: Request) -> list[EnrolmentOut]:
        with svc.db.read_session() as s:
            w = me(s, request)
            return enrolment_outs(s, store.enrolment_views(s, worker_id=w.worker_id))

    @get("/obligations", sync_to_thread=True)
    def obligations(self, svc: Svc, request: Request, year: FromQuery[OptYearArg] = None,
                    as_of: FromQuery[date | None] = None) -> ObligationsOut:
        with svc.db.read_session() as s:
            return obligations_out(svc, s, me(s, request), year, as_of)

    @get("/calendar.ics", sync_to_thread=True)
    def calendar(self, svc: Svc, request: Request) -> Response[str]:
        """The sessions I hold a place in (or wait for), as iCalendar."""
        with svc.db.read_session() as s:
            w = me(s, request)
            views = [v for v in store.enrolment_views(s, worker_id=w.worker_id)
                     if v.enrolment.status != EnrolmentStatus.cancelled]
        return calendar([(v.session, v.programme) for v in views], f"{w.name} 的培训 my training")
