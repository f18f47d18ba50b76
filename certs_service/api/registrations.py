"""Registration cycles (D-5): registering a certificate, its history, the
officers' lists by state and the reminders issued."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from certs_service import store
from certs_service.api.common import caller, day_asked, officer, state_asked
from certs_service.api.schemas import NewRegistration, RegistrationListItem, RegistrationOut, ReminderOut
from certs_service.api.views import registration_out
from certs_service.states import REGISTRATION
from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc, now, today


class CertificateRegistrationController(Controller):
    """A certificate's registration cycles."""

    path = "/certificates"
    tags = ["certificates"]

    @post("/{certificate_id:int}/registrations", sync_to_thread=True, guards=[officer])
    def register(self, svc: Svc, request: Request, certificate_id: FromPath[IdArg],
                 data: JSONBody[NewRegistration]) -> RegistrationOut:
        """Register (登记) the certificate: first, renewal or restoring, as its cycle stands (D-5)."""
        day = data.registered_on or today()
        with svc.db.transaction() as s:
            r = store.register(s, svc, caller(request), certificate_id, registered_on=day, today=today(), now=now())
            return registration_out(r, day)

    @get("/{certificate_id:int}/registrations", sync_to_thread=True)
    def registrations(self, svc: Svc, request: Request, certificate_id: FromPath[IdArg],
                      as_of: FromQuery[date | None] = None) -> list[RegistrationOut]:
        with svc.db.read_session() as s:
            store.certificate_to_read(s, caller(request), certificate_id)
            return [registration_out(r, day_asked(as_of)) for r in store.registrations_of(s, certificate_id)]


class RegistrationController(Controller):
    """Officers' lists: registrations by state, and the reminders issued (D-5)."""

    path = "/"
    tags = ["certificates"]
    guards = [officer]

    @get("/registrations", sync_to_thread=True)
    def list_registrations(self, svc: Svc, request: Request,
                           state_: Annotated[str | None, QueryParameter(name="state")] = None,
                           as_of: FromQuery[date | None] = None, jurisdiction: FromQuery[str | None] = None,
                           limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[RegistrationListItem]:
        check_paging(limit, offset)
        state = state_asked(REGISTRATION, state_)  # "state" is a name Litestar reserves
        day = day_asked(as_of)
        with svc.db.read_session() as s:
            rows, total = store.list_registrations(s, store.scope_of(caller(request), jurisdiction), state=state,
                                                   as_of=day, limit=limit, offset=offset)
            items = [RegistrationListItem(registration_out(r, day), c.level, c.number, p.name, p.jurisdiction)
                     for r, c, p in rows]
            return Page(items, total, limit, offset)

    @get("/reminders", sync_to_thread=True)
    def list_reminders(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                       issued_from: FromQuery[date | None] = None, issued_to: FromQuery[date | None] = None,
                       limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[ReminderOut]:
        """Reminders the daily check issued 90, 60 and 30 days before a registration expires."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_reminders(s, store.scope_of(caller(request), jurisdiction),
                                               issued_from=issued_from, issued_to=issued_to, limit=limit, offset=offset)
            items = [ReminderOut(m.id, m.registration_id, r.certificate_id, m.worker_id, p.name, m.jurisdiction,
                                 m.days_before, m.valid_until, m.issued_on) for m, r, p in rows]
            return Page(items, total, limit, offset)
