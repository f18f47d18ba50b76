"""Dramatiq consumers of this service: event handlers (through the inbox) and
scheduled jobs. Each handler takes the session of its own transaction."""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import increment, pay
from hr_service.tables import Worker, WorkerCertificate
from shared.consumer import JobHandler
from shared.errors import Problem
from shared.events import CertificateRegistered, RegistrationLapsed
from shared.inbox import Handler
from shared.web import Service, now

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"


def on_certificate_registered(session: Session, event: CertificateRegistered) -> None:
    """D-3: the certificate allowance starts with a valid registration (a
    re-registration extends the same certificate)."""
    row = session.execute(
        select(WorkerCertificate).where(WorkerCertificate.certificate_id == event.certificate_id)
    ).scalar_one_or_none()
    if row is None:
        session.add(WorkerCertificate(worker_id=event.worker_id, certificate_id=event.certificate_id, level=event.level,
                                      registered_on=event.registered_on, valid_until=event.valid_until))
    else:
        row.level, row.registered_on, row.valid_until, row.lapsed_on = (
            event.level, event.registered_on, event.valid_until, None)


def on_registration_lapsed(session: Session, event: RegistrationLapsed) -> None:
    """D-3: the certificate allowance stops when the registration lapses."""
    row = session.execute(
        select(WorkerCertificate).where(WorkerCertificate.certificate_id == event.certificate_id)
    ).scalar_one_or_none()
    if row is not None:
        row.lapsed_on = event.lapsed_on


def event_handlers(svc: Service) -> dict[str, list[Handler]]:
    return {
        "certificate.registered": [on_certificate_registered],
        "registration.lapsed": [on_registration_lapsed],
    }


def _cities(session: Session) -> list[str]:
    rows = session.execute(select(Worker.jurisdiction).distinct()).scalars()
    return sorted({j.split(".")[0] for j in rows})


def job_handlers(svc: Service) -> dict[str, JobHandler]:
    def step_increment(session: Session, period: str) -> None:
        """The 1 July job (S4-10): ``period`` is the ISO effective date; one run per city."""
        effective_on = date.fromisoformat(period)
        for city in _cities(session):
            result = increment.run_increment(
                session, jurisdiction=city, effective_on=effective_on, dry_run=False, actor=SCHEDULER, now=now(),
                today=effective_on, policies=svc.policies,
            )
            log.info("step increment %s %s: %s", city, period, result.counts)

    def draft_pay_run(session: Session, period: str) -> None:
        """The monthly job: a draft pay run of ``period`` (YYYY-MM) per city, unless the month is closed."""
        start, _ = pay.check_month(period)
        for city in _cities(session):
            try:
                with session.begin_nested():
                    out, _ = pay.run_pay(session, jurisdiction=city, month=period, actor=SCHEDULER, now=now(),
                                         today=start, policies=svc.policies)
                log.info("draft pay run %s %s: %s workers", city, period, out.totals.get("workers"))
            except Problem as exc:  # a closed month, or districts running their own drafts: leave them be
                log.warning("draft pay run %s %s not made: %s", city, period, exc.detail)

    return {"step_increment": step_increment, "draft_pay_run": draft_pay_run}
