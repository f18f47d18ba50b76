"""Leader talents in office (S2-6) and the supervisor role a full term opens."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery

from certs_service import rules, store
from certs_service.api.common import caller, day_asked, officer
from certs_service.api.schemas import DesignationOut, SupervisorEligibility
from certs_service.api.views import designation_out
from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc


class LeaderTalentController(Controller):
    path = "/leader-talents"
    tags = ["talent"]
    guards = [officer]

    @get("/", sync_to_thread=True)
    def roster(self, svc: Svc, request: Request, as_of: FromQuery[date | None] = None,
               jurisdiction: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
               offset: FromQuery[int] = 0) -> Page[DesignationOut]:
        """The leader talents in office on a date (S2-6)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.roster(s, store.scope_of(caller(request), jurisdiction), day_asked(as_of), limit,
                                       offset)
            return Page([designation_out(d, p) for d, p in rows], total, limit, offset)


class SupervisorController(Controller):
    """S2-6 向社工督导角色转变: the supervisor role after a full leader-talent term."""

    path = "/profiles"
    tags = ["profiles"]

    @get("/{worker_id:int}/supervisor-eligibility", sync_to_thread=True)
    def supervisor(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                   as_of: FromQuery[date | None] = None) -> SupervisorEligibility:
        day = day_asked(as_of)
        with svc.db.read_session() as s:
            p = store.profile_to_read(s, caller(request), worker_id)
            terms = store.designations_of(s, worker_id)
            eligible = rules.supervisor_eligible([(d.term_ends_on, d.ended_on) for d in terms], day)
            return SupervisorEligibility(worker_id, day, eligible, [designation_out(d, p) for d in terms])
