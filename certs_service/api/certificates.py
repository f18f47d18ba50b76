"""Social-work certificates (D-5): recording, bulk loads, the senior review, reading with the registration status."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from certs_service import store
from certs_service.api.common import caller, day_asked, officer
from certs_service.api.schemas import CertificateOut, ImportIn, ImportOut, NewCertificate, Review
from certs_service.api.views import certificate_out
from certs_service.tables import Profile
from shared.auth import Role, requires
from shared.paging import Page, check_paging
from shared.types import IdArg, OptIdArg
from shared.web import Svc, now, today


class CertificateController(Controller):
    """Social-work certificates (D-5)."""

    path = "/certificates"
    tags = ["certificates"]

    @post("/", sync_to_thread=True, guards=[officer])
    def create(self, svc: Svc, request: Request, data: JSONBody[NewCertificate]) -> CertificateOut:
        with svc.db.transaction() as s:
            c = store.record_certificate(s, caller(request), worker_id=data.worker_id, level=data.level,
                                         number=data.number, exam_year=data.exam_year, passed_on=data.passed_on,
                                         today=today(), now=now())
            return certificate_out(c, s.get(Profile, c.worker_id))

    @post("/import", sync_to_thread=True, guards=[officer])
    def bulk_import(self, svc: Svc, request: Request, data: JSONBody[ImportIn]) -> ImportOut:
        """Load many holders at once (all or nothing): new profiles and their certificates."""
        with svc.db.transaction() as s:
            return ImportOut(*store.import_certificates(s, caller(request), data.items, today=today(), now=now()))

    @get("/", sync_to_thread=True, guards=[requires(Role.cert_officer, Role.community_secretary)])
    def list_certificates(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                          worker_id: FromQuery[OptIdArg] = None, level: FromQuery[str | None] = None,
                          as_of: FromQuery[date | None] = None, limit: FromQuery[int] = 50,
                          offset: FromQuery[int] = 0) -> Page[CertificateOut]:
        """The certificates in a jurisdiction, each with its registration status on ``as_of`` (today)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            who = caller(request)  # a community secretary: their own community's (D-17)
            rows, total = store.list_certificates(s, store.scope_of(who, jurisdiction), worker_id=worker_id,
                                                  level=level, limit=limit, offset=offset,
                                                  community=who.community if who.role is Role.community_secretary
                                                  else None)
            status = store.statuses_of(s, svc, rows, day_asked(as_of))
            return Page([certificate_out(c, p, status[c.id]) for c, p in rows], total, limit, offset)

    @get("/{certificate_id:int}", sync_to_thread=True)
    def get_certificate(self, svc: Svc, request: Request, certificate_id: FromPath[IdArg],
                        as_of: FromQuery[date | None] = None) -> CertificateOut:
        with svc.db.read_session() as s:
            c, p = store.certificate_to_read(s, caller(request), certificate_id)
            return certificate_out(c, p, store.status_of(s, svc, c, p.jurisdiction, day_asked(as_of)))

    @post("/{certificate_id:int}/review", sync_to_thread=True, guards=[officer], status_code=200)
    def review(self, svc: Svc, request: Request, certificate_id: FromPath[IdArg],
               data: JSONBody[Review]) -> CertificateOut:
        """The review outcome of a 高级社会工作师 (D-5 "senior by exam plus review")."""
        with svc.db.transaction() as s:
            c = store.record_review(s, caller(request), certificate_id, outcome=data.outcome,
                                    reviewed_on=data.reviewed_on, today=today())
            return certificate_out(c, s.get(Profile, c.worker_id))
