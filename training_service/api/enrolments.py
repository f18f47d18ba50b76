"""``/enrolments``: bulk enrolment from a file, one enrolment, cancelling it."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, RawBody

from shared.types import IdArg
from shared.web import Svc, now
from training_service import store
from training_service.api.common import COORDINATOR, ENROLLERS, who
from training_service.api.schemas import BulkOut, CancelOut, EnrolmentOut, Reason
from training_service.api.views import enrolment_outs_by_id
from training_service.states import EnrolmentStatus


class EnrolmentController(Controller):
    path = "/enrolments"
    tags = ["sessions"]

    @post("/import", sync_to_thread=True, guards=[COORDINATOR])
    def bulk(self, svc: Svc, request: Request, body: RawBody) -> BulkOut:
        """Bulk enrolment from CSV (columns session_id, worker_id), in file order. One bad
        row and nothing is written; the problem lists every bad row as ``row <line>.<column>``."""
        principal = who(request)
        with svc.db.transaction() as s:
            done = store.bulk_enrol(s, svc.policies, body, principal, now())
            outs = enrolment_outs_by_id(s, [e.id for e in done])
        return BulkOut(sum(o.status == EnrolmentStatus.enrolled for o in outs),
                       sum(o.status == EnrolmentStatus.waitlisted for o in outs), outs)

    @get("/{enrolment_id:int}", sync_to_thread=True)
    def get_enrolment(self, svc: Svc, request: Request, enrolment_id: FromPath[IdArg]) -> EnrolmentOut:
        with svc.db.read_session() as s:
            store.get_enrolment(s, enrolment_id, who(request))
            return enrolment_outs_by_id(s, [enrolment_id])[0]

    @post("/{enrolment_id:int}/cancel", sync_to_thread=True, status_code=200, guards=[ENROLLERS])
    def cancel(self, svc: Svc, request: Request, enrolment_id: FromPath[IdArg], data: JSONBody[Reason]) -> CancelOut:
        """Cancel by the worker or a coordinator (another role: 403, D-8); a
        freed seat goes to the head of the waitlist at once."""
        principal = who(request)
        with svc.db.transaction() as s:
            e, promoted = store.cancel_enrolment(s, enrolment_id, principal, data.reason, principal.sub, now())
            return CancelOut(enrolment_outs_by_id(s, [e.id])[0], enrolment_outs_by_id(s, [p.id for p in promoted]))
