"""``/abroad-selections``: the yearly selection list for study abroad (S2-3)."""
from __future__ import annotations

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from shared.types import IdArg, OptYearArg
from shared.web import Svc, now
from training_service import store
from training_service.api.common import COORDINATOR, who
from training_service.api.schemas import NewSelection, SelectionOut
from training_service.api.views import selection_out


class AbroadController(Controller):
    """The yearly selection list for study abroad (S2-3 每一年选派优秀社区工作者"出境学")."""

    path = "/abroad-selections"
    tags = ["programmes"]

    @post("/", sync_to_thread=True, guards=[COORDINATOR])
    def select(self, svc: Svc, request: Request, data: JSONBody[NewSelection]) -> SelectionOut:
        with svc.db.transaction() as s:
            return selection_out(store.select_abroad(s, svc.policies, who(request), data.year, data.worker_id,
                                                     data.note, now()))

    @get("/", sync_to_thread=True)
    def list_selected(self, svc: Svc, request: Request, year: FromQuery[OptYearArg] = None) -> list[SelectionOut]:
        with svc.db.read_session() as s:
            return [selection_out(x) for x in store.list_abroad(s, who(request), year)]

    @delete("/{selection_id:int}", sync_to_thread=True, guards=[COORDINATOR])
    def remove(self, svc: Svc, request: Request, selection_id: FromPath[IdArg]) -> None:
        with svc.db.transaction() as s:
            store.remove_abroad(s, who(request), selection_id)
