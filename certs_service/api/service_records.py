"""The worker's service record (服务履历, S2-4, S2-8)."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from certs_service import store
from certs_service.api.common import caller, officer
from certs_service.api.schemas import ServiceEntryIn, ServiceEntryOut
from certs_service.api.views import entry_out
from shared.types import IdArg
from shared.web import Svc, now, today


class ServiceRecordController(Controller):
    """Entries on a worker's service record: postings, awards, excellent cases, studios."""

    path = "/profiles"
    tags = ["profiles"]

    @post("/{worker_id:int}/service-record", sync_to_thread=True, guards=[officer])
    def add_entry(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                  data: JSONBody[ServiceEntryIn]) -> ServiceEntryOut:
        """An entry on the service record (服务履历, S2-4, S2-8)."""
        with svc.db.transaction() as s:
            e = store.add_service_entry(
                s, caller(request), worker_id, kind=data.kind, title=data.title, started_on=data.started_on,
                ended_on=data.ended_on, conferred_by=data.conferred_by, detail=data.detail, today=today(), now=now(),
            )
            return entry_out(e)

    @get("/{worker_id:int}/service-record", sync_to_thread=True)
    def service_record(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[ServiceEntryOut]:
        with svc.db.read_session() as s:
            store.profile_to_read(s, caller(request), worker_id)
            return [entry_out(e) for e in store.service_record(s, worker_id)]
