"""``/programmes``: programmes and scheduling their sessions."""
from __future__ import annotations

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc, now, today
from training_service import store
from training_service.api.common import COORDINATOR, local, who
from training_service.api.schemas import NewProgramme, NewSession, ProgrammeOut, SessionOut
from training_service.api.views import one_session_out, programme_out


class ProgrammeController(Controller):
    """Programmes: tier (S2-2 分层), class (S2-2 分类), content area (S1-1), delivery, mode,
    location (S2-3), hours and CPD accreditation (D-6), who may enrol, cost."""

    path = "/programmes"
    tags = ["programmes"]

    @post("/", sync_to_thread=True, guards=[COORDINATOR])
    def create(self, svc: Svc, request: Request, data: JSONBody[NewProgramme]) -> ProgrammeOut:
        principal = who(request)
        fields = msgspec.structs.asdict(data)
        fields["jurisdiction"] = data.jurisdiction or principal.jurisdiction
        with svc.db.transaction() as s:
            p = store.create_programme(s, svc.policies, principal, as_of=today(), now=now(), **fields)
            return programme_out(p)

    @get("/", sync_to_thread=True)
    def list_programmes(self, svc: Svc, request: Request, tier: FromQuery[str | None] = None,
                        category: FromQuery[str | None] = None, topic: FromQuery[str | None] = None,
                        location: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                        offset: FromQuery[int] = 0) -> Page[ProgrammeOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_programmes(s, who(request), tier=tier, category=category, topic=topic,
                                                location=location, limit=limit, offset=offset)
            return Page([programme_out(p) for p in rows], total, limit, offset)

    @get("/{programme_id:int}", sync_to_thread=True)
    def get_programme(self, svc: Svc, request: Request, programme_id: FromPath[IdArg]) -> ProgrammeOut:
        with svc.db.read_session() as s:
            return programme_out(store.get_programme(s, programme_id, who(request)))

    @post("/{programme_id:int}/sessions", sync_to_thread=True, guards=[COORDINATOR])
    def schedule(self, svc: Svc, request: Request, programme_id: FromPath[IdArg],
                 data: JSONBody[NewSession]) -> SessionOut:
        """Schedule a session: dates and times, venue or online link, trainer, capacity.
        ``days`` (the days attendance is taken) defaults to every day from start to end."""
        with svc.db.transaction() as s:
            sess = store.create_session(
                s, who(request), programme_id, jurisdiction=data.jurisdiction, starts_at=local(data.starts_at),
                ends_at=local(data.ends_at), days=data.days, venue=data.venue, online_link=data.online_link,
                trainer=data.trainer, capacity=data.capacity, now=now(),
            )
            return one_session_out(s, sess)
