"""Applications (D-4): apply, the eligibility review, withdrawals, the physical exam and background check."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service.recruitment import store
from hr_service.recruitment.api.schemas import (
    HR,
    ApplicationOut,
    Checks,
    NewApplication,
    StepOut,
    Withdrawal,
    application_out,
)
from shared.types import IdArg
from shared.web import Svc, now, today


class ApplicationController(Controller):
    """A campaign's applicants, from application to the checks before the notice."""

    path = "/campaigns"
    tags = ["recruitment"]
    guards = [HR]

    @post("/{campaign_id:int}/applications", sync_to_thread=True)
    def apply(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg],
              data: JSONBody[NewApplication]) -> ApplicationOut:
        """Record an application (the ID number is validated, GB 11643)."""
        as_of = today()
        with svc.db.transaction() as s:
            return application_out(store.apply(
                s, request.user, svc.policies, campaign_id, post_id=data.post_id, name=data.name,
                id_number=data.id_number, birth_date=data.birth_date, education=data.education,
                certificates=data.certificates, household_registration=data.household_registration,
                record_flags=data.record_flags, service_years=data.service_years,
                applied_on=data.applied_on or as_of, as_of=as_of, now=now(),
            ))

    @get("/{campaign_id:int}/applications", sync_to_thread=True)
    def applications(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg],
                     status: FromQuery[str | None] = None) -> list[ApplicationOut]:
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return [application_out(a) for a in store.applications_of(s, c.id, status)]

    @get("/{campaign_id:int}/applications/{application_id:int}", sync_to_thread=True)
    def application(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg],
                    application_id: FromPath[IdArg]) -> ApplicationOut:
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return application_out(store.application(s, c, application_id))

    @post("/{campaign_id:int}/review", sync_to_thread=True, status_code=200)
    def review(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg]) -> list[ApplicationOut]:
        """Eligibility review (D-4): closes applications; every refusal gives its reasons."""
        with svc.db.transaction() as s:
            return [application_out(a) for a in store.review(s, request.user, svc.policies, campaign_id,
                                                               as_of=today(), now=now())]

    @post("/{campaign_id:int}/applications/{application_id:int}/withdraw", sync_to_thread=True, status_code=200)
    def withdraw(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg], application_id: FromPath[IdArg],
                 data: JSONBody[Withdrawal]) -> StepOut:
        """A candidate withdraws (or did not sit an exam); a chosen one's place passes on."""
        with svc.db.transaction() as s:
            a, nxt = store.withdraw(s, request.user, campaign_id, application_id, reason=data.reason,
                                    as_of=today(), now=now())
            c = store.campaign(s, request.user, campaign_id)
            return StepOut(application_out(a), application_out(nxt) if nxt else None, c.status)

    @post("/{campaign_id:int}/applications/{application_id:int}/checks", sync_to_thread=True, status_code=200)
    def checks(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg], application_id: FromPath[IdArg],
               data: JSONBody[Checks]) -> StepOut:
        """Physical exam and background check outcomes; a failure passes the place on."""
        as_of = today()
        with svc.db.transaction() as s:
            a, nxt = store.record_checks(
                s, request.user, campaign_id, application_id, physical_exam=data.physical_exam,
                background_check=data.background_check, checked_on=data.checked_on or as_of, note=data.note,
                as_of=as_of, now=now(),
            )
            c = store.campaign(s, request.user, campaign_id)
            return StepOut(application_out(a), application_out(nxt) if nxt else None, c.status)
