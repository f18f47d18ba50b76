"""Worker profiles (fed by HR's events), real-name registration (S2-4),
assessments and the CPD ledger."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from certs_service import store
from certs_service.api.common import caller, officer
from certs_service.api.schemas import AssessmentIn, CpdIn, CpdOut, NewProfile, ProfileOut, RealName
from certs_service.api.views import cpd_out, one_profile, profile_out
from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc, now, today


class ProfileController(Controller):
    """The worker profiles this service keeps (fed by HR's events), real-name
    registration (S2-4), assessments and the CPD ledger."""

    path = "/profiles"
    tags = ["profiles"]

    @post("/", sync_to_thread=True, guards=[officer])
    def create(self, svc: Svc, request: Request, data: JSONBody[NewProfile]) -> ProfileOut:
        with svc.db.transaction() as s:
            p = store.create_profile(
                s, caller(request), worker_id=data.worker_id, name=data.name, jurisdiction=data.jurisdiction,
                id_number=data.id_number, community_worker=data.community_worker, hired_on=data.hired_on,
                prior_service_years=data.prior_service_years, today=today(), now=now(),
            )
            return one_profile(s, p)

    @get("/", sync_to_thread=True, guards=[officer])
    def list_profiles(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                      real_name: FromQuery[bool | None] = None, limit: FromQuery[int] = 50,
                      offset: FromQuery[int] = 0) -> Page[ProfileOut]:
        """Profiles in scope; ``real_name=false`` lists holders still to be registered under their real name (S2-4)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_profiles(s, store.scope_of(caller(request), jurisdiction), real_name=real_name,
                                              limit=limit, offset=offset)
            assessed = store.assessments_of(s, [p.worker_id for p in rows])
            return Page([profile_out(p, assessed.get(p.worker_id, {})) for p in rows], total, limit, offset)

    @get("/{worker_id:int}", sync_to_thread=True)
    def get_profile(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> ProfileOut:
        with svc.db.read_session() as s:
            return one_profile(s, store.profile_to_read(s, caller(request), worker_id))

    @post("/{worker_id:int}/real-name", sync_to_thread=True, guards=[officer], status_code=200)
    def real_name(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], data: JSONBody[RealName]) -> ProfileOut:
        """S2-4 实名注册: record the holder's real name and ID number."""
        with svc.db.transaction() as s:
            p = store.register_real_name(s, caller(request), worker_id, name=data.name, id_number=data.id_number,
                                         today=today())
            return one_profile(s, p)

    @post("/{worker_id:int}/assessments", sync_to_thread=True, guards=[officer], status_code=200)
    def assessment(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                   data: JSONBody[AssessmentIn]) -> ProfileOut:
        """A yearly assessment (until HR's assessment.recorded feeds them)."""
        with svc.db.transaction() as s:
            store.record_assessment(s, caller(request), worker_id, year=data.year, grade=data.grade, today=today())
            return one_profile(s, store.profile_to_write(s, caller(request), worker_id))

    @post("/{worker_id:int}/cpd", sync_to_thread=True, guards=[officer])
    def credit_cpd(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], data: JSONBody[CpdIn]) -> CpdOut:
        """CPD hours (继续教育) into the ledger (until training's cpd.credited feeds it).
        ``source: degree`` credits a completed social-work degree, once (D-5)."""
        with svc.db.transaction() as s:
            c = store.record_cpd(s, svc, caller(request), worker_id, hours=data.hours, credited_on=data.credited_on,
                                 source=data.source, note=data.note, today=today(), now=now())
            return cpd_out(c)

    @get("/{worker_id:int}/cpd", sync_to_thread=True)
    def cpd(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[CpdOut]:
        with svc.db.read_session() as s:
            store.profile_to_read(s, caller(request), worker_id)
            return [cpd_out(c) for c in store.cpd_ledger(s, worker_id)]
