"""The calling worker's own views: certificates with their registration
status, the CPD ledger, the service record."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get
from litestar.params import FromQuery
from sqlalchemy.orm import Session

from certs_service import store
from certs_service.api.common import caller, day_asked
from certs_service.api.schemas import CpdOut, MyCertificates, ServiceEntryOut
from certs_service.api.views import certificate_out, cpd_out, designation_out, entry_out
from certs_service.tables import Profile
from shared.auth import Principal
from shared.errors import NotFound
from shared.web import Svc


def my_profile(session: Session, request: Request) -> Profile:
    """The caller's own profile; 404 for a login that holds none."""
    p: Principal = caller(request)
    profile = session.get(Profile, p.worker_id) if p.worker_id is not None else None
    if profile is None:
        raise NotFound("certificate holder record for", "持证人档案", p.sub)
    return profile


class MeController(Controller):
    """The calling worker's own certificates, registration status (days to
    expiry, CPD against the cycle's requirement), CPD ledger and service record."""

    path = "/me"
    tags = ["me"]

    @get("/certificates", sync_to_thread=True)
    def certificates(self, svc: Svc, request: Request, as_of: FromQuery[date | None] = None) -> MyCertificates:
        day = day_asked(as_of)
        with svc.db.read_session() as s:
            p = my_profile(s, request)
            certs = [certificate_out(c, p, store.status_of(s, svc, c, p.jurisdiction, day))
                     for c in store.certificates_of(s, p.worker_id)]
            terms = [designation_out(d, p) for d in store.designations_of(s, p.worker_id)]
            return MyCertificates(p.worker_id, p.name, p.real_name_on is not None, certs, terms)

    @get("/cpd", sync_to_thread=True)
    def cpd(self, svc: Svc, request: Request) -> list[CpdOut]:
        with svc.db.read_session() as s:
            return [cpd_out(c) for c in store.cpd_ledger(s, my_profile(s, request).worker_id)]

    @get("/service-record", sync_to_thread=True)
    def service_record(self, svc: Svc, request: Request) -> list[ServiceEntryOut]:
        with svc.db.read_session() as s:
            return [entry_out(e) for e in store.service_record(s, my_profile(s, request).worker_id)]
