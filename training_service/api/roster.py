"""``/roster``: the workers as training knows them."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, RawBody

from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc, now
from training_service import store
from training_service.api.common import COORDINATOR, who
from training_service.api.schemas import ImportOut, RosterOut
from training_service.api.views import roster_out


class RosterController(Controller):
    """The workers as training knows them (a read model fed by HR's events, or CSV meanwhile)."""

    path = "/roster"
    tags = ["roster"]

    @post("/import", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def import_csv(self, svc: Svc, request: Request, body: RawBody) -> ImportOut:
        """CSV with a header: worker_id, name, post, jurisdiction, and optionally community_code,
        hired_on, probation_ends_on, designations (separated by ';'). One bad row and nothing
        is written; the problem lists every bad row as ``row <line>.<column>``."""
        with svc.db.transaction() as s:
            created, updated = store.import_roster(s, body, who(request), now())
        return ImportOut(created + updated, created, updated)

    @get("/", sync_to_thread=True)
    def list_roster(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                    post: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                    offset: FromQuery[int] = 0) -> Page[RosterOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_roster(s, who(request), jurisdiction, post, limit, offset)
            ds = store.all_designations(s, [w.worker_id for w in rows])
            return Page([roster_out(w, ds.get(w.worker_id, [])) for w in rows], total, limit, offset)

    @get("/{worker_id:int}", sync_to_thread=True)
    def get_entry(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> RosterOut:
        with svc.db.read_session() as s:
            w = store.get_worker(s, worker_id, who(request))
            return roster_out(w, store.all_designations(s, [worker_id]).get(worker_id, []))
