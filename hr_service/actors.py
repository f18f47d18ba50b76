"""Dramatiq consumers of this service: event handlers (through the inbox) and
scheduled jobs. Each handler takes the session of its own transaction."""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import increment, pay
from hr_service.tables import Worker, WorkerCertificate, WorkerDesignation
from shared.consumer import JobHandler
from shared.dates import month_bounds
from shared.errors import Problem
from shared.events import CertificateRegistered, RegistrationLapsed, TalentSelected
from shared.inbox import Handler
from shared.scheduler import ScheduledJob, monthly, on_july_first
from shared.web import Service, now

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"


CERTS = "certs"
"""Who decided the facts certs' events bring (the actor of their rechecks)."""


def recheck_late(session: Session, worker_id: int, since: date, *, reason: str, clause: str, source: str) -> None:
    """D-12: a fact from certs that reaches back into a month whose pay run is
    closed (a late allowance, or a late lapse) is made good by the next pay run."""
    n = pay.recheck_paid_months(session, [worker_id], since, reason=reason, clause=clause, source=source,
                                actor=CERTS, now=now())
    if n:
        log.info("worker %s: paid months from %s to recheck (%s)", worker_id, since, source)


def _certificate_row(session: Session, certificate_id: int) -> WorkerCertificate | None:
    return session.execute(
        select(WorkerCertificate).where(WorkerCertificate.certificate_id == certificate_id)
    ).scalar_one_or_none()


def on_certificate_registered(session: Session, event: CertificateRegistered) -> None:
    """D-3: the certificate allowance starts with a valid registration (a
    re-registration extends the same certificate).

    Events may arrive out of order (the worker runs several threads): a
    registration older than the one recorded changes nothing, and a lapse
    recorded after this registration began still stands (a late copy of a
    registration does not undo its lapse). A registration reaching back into
    a closed month is paid for it by the next pay run (D-12)."""
    row = _certificate_row(session, event.certificate_id)
    since = event.registered_on
    if row is None:
        session.add(WorkerCertificate(worker_id=event.worker_id, certificate_id=event.certificate_id, level=event.level,
                                      registered_on=event.registered_on, valid_until=event.valid_until))
    elif event.registered_on < row.registered_on:
        log.info("stale certificate.registered %s for certificate %s: %s is before %s", event.event_id,
                 event.certificate_id, event.registered_on, row.registered_on)
        return
    else:  # the months from the end of the registration recorded may change too
        since = min(since, row.valid_until, row.lapsed_on or since)
        lapsed_on = row.lapsed_on if row.lapsed_on is not None and row.lapsed_on > event.registered_on else None
        before = (row.level, row.registered_on, row.valid_until, row.lapsed_on)
        row.level, row.registered_on, row.valid_until, row.lapsed_on = (
            event.level, event.registered_on, event.valid_until, lapsed_on)
        if before == (row.level, row.registered_on, row.valid_until, row.lapsed_on):
            return
    session.flush()
    recheck_late(session, event.worker_id, since, clause="D-3", source=f"certificate:{event.certificate_id}",
                 reason=f"{event.level} registered from {event.registered_on} (D-3 certificate allowance)")


def on_registration_lapsed(session: Session, event: RegistrationLapsed) -> None:
    """D-3: the certificate allowance stops when the registration lapses.

    A lapse not after the recorded registration began is of an earlier cycle,
    handled late: the renewal or restoring registration recorded already
    supersedes it (certs restores on or after the lapse day, and a renewal
    made in time has no lapse), so it changes nothing. A lapse reaching back
    into a closed month is recovered by the next pay run (D-12)."""
    row = _certificate_row(session, event.certificate_id)
    if row is None:
        return
    if event.lapsed_on <= row.registered_on:
        log.info("stale registration.lapsed %s for certificate %s: %s is not after the registration of %s",
                 event.event_id, event.certificate_id, event.lapsed_on, row.registered_on)
        return
    if row.lapsed_on == event.lapsed_on:
        return
    since = min(event.lapsed_on, row.lapsed_on or event.lapsed_on)
    row.lapsed_on = event.lapsed_on
    session.flush()
    recheck_late(session, row.worker_id, since, clause="D-3", source=f"certificate:{event.certificate_id}",
                 reason=f"{row.level} registration lapsed on {event.lapsed_on} (D-3 certificate allowance)")


LEADER_TALENT = "leader_talent"


def on_talent_selected(session: Session, event: TalentSelected) -> None:
    """D-7: a leader talent (领军人才) designated by a certs talent round goes on
    the worker's HR record with its term and monthly allowance, which the
    payslips of the term's months pay. The same round again updates the row.
    A term reaching back into a closed month is paid for it by the next pay
    run (D-12)."""
    row = session.execute(select(WorkerDesignation).where(
        WorkerDesignation.worker_id == event.worker_id, WorkerDesignation.kind == LEADER_TALENT,
        WorkerDesignation.round_id == event.round_id)).scalar_one_or_none()
    since = event.term_starts_on
    if row is None:
        session.add(WorkerDesignation(
            worker_id=event.worker_id, kind=LEADER_TALENT, round_id=event.round_id,
            term_starts_on=event.term_starts_on, term_ends_on=event.term_ends_on, allowance_fen=event.allowance_fen,
            source_event_id=event.event_id, recorded_at=now()))
    else:
        term = (event.term_starts_on, event.term_ends_on, event.allowance_fen)
        if term == (row.term_starts_on, row.term_ends_on, row.allowance_fen):
            row.source_event_id = event.event_id
            return
        since = min(since, row.term_starts_on)
        row.term_starts_on, row.term_ends_on, row.allowance_fen, row.source_event_id = (*term, event.event_id)
    session.flush()
    recheck_late(session, event.worker_id, since, clause="D-7", source=f"talent_round:{event.round_id}",
                 reason=f"leader talent from {event.term_starts_on} to {event.term_ends_on} (D-7 allowance)")


SUBSCRIBES: tuple[str, ...] = ("certificate.registered", "registration.lapsed", "talent.selected")
"""The event types handled here, which the relays of their publishers send to this service."""


def event_handlers(svc: Service) -> dict[str, list[Handler]]:
    return {
        "certificate.registered": [on_certificate_registered],
        "registration.lapsed": [on_registration_lapsed],
        "talent.selected": [on_talent_selected],
    }


def _cities(session: Session) -> list[str]:
    rows = session.execute(select(Worker.jurisdiction).distinct()).scalars()
    return sorted({j.split(".")[0] for j in rows})


SCHEDULE: list[ScheduledJob] = [
    ScheduledJob("step_increment", "S4-10", on_july_first),
    ScheduledJob("draft_pay_run", "S0-2", monthly),
]
"""The jobs the scheduler sends this service, and when."""


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
        start, _ = month_bounds(period)
        for city in _cities(session):
            try:
                with session.begin_nested():
                    out, _ = pay.run_pay(session, jurisdiction=city, month=period, actor=SCHEDULER, now=now(),
                                         today=start, policies=svc.policies)
                log.info("draft pay run %s %s: %s workers", city, period, out.totals.get("workers"))
            except Problem as exc:  # a closed month, or districts running their own drafts: leave them be
                log.warning("draft pay run %s %s not made: %s", city, period, exc.detail)

    return {"step_increment": step_increment, "draft_pay_run": draft_pay_run}
