"""Registration cycles (登记, D-5): registering a certificate, where its
registration stands, the lists by state, and closing cycles on leaving.

``register`` loads what the decision reads, asks ``rules.may_register`` and
``rules.next_cycle``, and saves the cycle they grant.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import msgspec
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.rules import Grant, Refusal, RegistrationRule
from certs_service.states import RegistrationState
from certs_service.store.certificates import certificate_to_write
from certs_service.store.cpd import cpd_centi
from certs_service.tables import Certificate, CpdCredit, Profile, Registration
from shared.auth import Principal
from shared.db import in_jurisdiction as in_scope
from shared.events import CertificateRegistered, RegistrationLapsed
from shared.outbox import publish
from shared.paging import fetch_page
from shared.web import Service


def latest_registration(session: Session, certificate_id: int, *, lock: bool = False) -> Registration | None:
    q = select(Registration).where(Registration.certificate_id == certificate_id)
    q = q.order_by(Registration.cycle.desc()).limit(1)
    if lock:
        q = q.with_for_update()
    return session.execute(q).scalar()


def cycle_of(reg: Registration) -> rules.Cycle:
    return rules.Cycle(reg.cycle, reg.registered_on, reg.valid_until, reg.renewal_opens_on, reg.cpd_from,
                       RegistrationState(reg.ended) if reg.ended else None)


def lapse_event(reg: Registration, cert: Certificate, jurisdiction: str) -> RegistrationLapsed:
    return RegistrationLapsed(worker_id=reg.worker_id, jurisdiction=jurisdiction, certificate_id=cert.id,
                              level=cert.level, lapsed_on=reg.valid_until + timedelta(days=1))


def register(
    session: Session, svc: Service, principal: Principal, certificate_id: int, *, registered_on: date, today: date,
    now: datetime,
) -> Registration:
    """Register a certificate (登记, D-5): first, renewal or restoring, as
    ``rules.next_cycle`` decides from the latest cycle, the CPD credited since
    its ``cpd_from`` and the policy in force on the day. A lapse recorded on
    the way is published before the new cycle's certificate.registered."""
    cert, profile = certificate_to_write(session, principal, certificate_id)
    held = rules.Held(cert.level, cert.qualified_on)
    holder = rules.Holder(profile.worker_id, profile.real_name_on is not None, profile.left_on)
    refusal = rules.may_register(held, holder, registered_on, today)
    if refusal is not None:
        raise refusal.problem()
    rule: RegistrationRule = svc.policies.in_force(session, "registration_cycle", profile.jurisdiction, registered_on)
    last = latest_registration(session, cert.id, lock=True)
    counted = cpd_centi(session, cert.worker_id, last.cpd_from, registered_on) if last is not None else 0
    grant = rules.next_cycle(held, cycle_of(last) if last is not None else None, counted, rule, registered_on)
    if isinstance(grant, Refusal):
        raise grant.problem()
    if last is not None and grant.last_ends is not None:
        last.ended, last.ended_on = grant.last_ends, grant.last_ended_on
        if grant.last_ends == RegistrationState.lapsed:
            publish(session, svc.infra.outbox, lapse_event(last, cert, profile.jurisdiction))
    reg = save_cycle(session, cert, grant, principal.sub, now)
    publish(session, svc.infra.outbox, CertificateRegistered(
        worker_id=cert.worker_id, jurisdiction=profile.jurisdiction, certificate_id=cert.id, level=cert.level,
        registered_on=registered_on, valid_until=grant.valid_until,
    ))
    return reg


def save_cycle(session: Session, cert: Certificate, grant: Grant, recorded_by: str, now: datetime) -> Registration:
    reg = Registration(
        certificate_id=cert.id, worker_id=cert.worker_id, cycle=grant.cycle, kind=grant.kind,
        registered_on=grant.registered_on, valid_from=grant.valid_from, valid_until=grant.valid_until,
        renewal_opens_on=grant.renewal_opens_on, cpd_from=grant.cpd_from, cpd_counted_centi=grant.cpd_counted_centi,
        ended=None, ended_on=None, recorded_by=recorded_by, created_at=now,
    )
    session.add(reg)
    session.flush()
    return reg


def registrations_of(session: Session, certificate_id: int) -> list[Registration]:
    return list(session.execute(select(Registration).where(Registration.certificate_id == certificate_id)
                                .order_by(Registration.cycle)).scalars())


def close_cycles(session: Session, worker_id: int, left_on: date) -> None:
    """worker.left: every cycle still running (or lapsed but not yet recorded) is closed on the leaving day."""
    session.execute(
        update(Registration).where(Registration.worker_id == worker_id, Registration.ended.is_(None))
        .values(ended=RegistrationState.closed, ended_on=left_on)
    )


# --- where a registration stands -------------------------------------------------


class Status(msgspec.Struct):
    """Where a certificate's registration stands on ``as_of``."""

    state: str  # unregistered | first_registration_missed | a RegistrationState
    as_of: date
    cycle: int | None = None
    registered_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    days_to_expiry: int | None = None
    window_opens_on: date | None = None
    window_closes_on: date | None = None
    first_registration_deadline: date | None = None
    cpd_counted_from: date | None = None
    cpd_counted_hours: Decimal | None = None
    cpd_required_hours: Decimal | None = None


def summary(cert: Certificate, last: Registration | None, counted_centi: int, rule: RegistrationRule,
            as_of: date) -> Status:
    """Where the certificate's registration stands on ``as_of``, from its
    latest cycle and the CPD credited since that cycle's ``cpd_from``."""
    if cert.qualified_on is None:
        return Status(rules.UNREGISTERED, as_of)
    required = rules.from_centi(rules.required_cpd_centi(cert.level, rule))
    if last is None:
        deadline = rules.first_registration_deadline(cert.qualified_on, rule)
        state = rules.UNREGISTERED if as_of <= deadline else rules.FIRST_REGISTRATION_MISSED
        return Status(state, as_of, first_registration_deadline=deadline)
    state = rules.registration_state(last.valid_until, last.renewal_opens_on, last.ended, as_of)
    return Status(
        state, as_of, last.cycle, last.registered_on, last.valid_from, last.valid_until,
        (last.valid_until - as_of).days, last.renewal_opens_on, last.valid_until, None, last.cpd_from,
        rules.from_centi(counted_centi), required,
    )


def status_of(session: Session, svc: Service, cert: Certificate, jurisdiction: str, as_of: date) -> Status:
    rule: RegistrationRule = svc.policies.in_force(session, "registration_cycle", jurisdiction, as_of)
    last = latest_registration(session, cert.id) if cert.qualified_on is not None else None
    counted = cpd_centi(session, cert.worker_id, last.cpd_from, as_of) if last is not None else 0
    return summary(cert, last, counted, rule, as_of)


def statuses_of(session: Session, svc: Service, page: list[tuple[Certificate, Profile]],
                as_of: date) -> dict[int, Status]:
    """``status_of`` for a page of certificates in one query: each one's latest
    cycle with the CPD credited since its ``cpd_from``; the policy versions
    are read once and resolved in memory."""
    if not page:
        return {}
    ids = [c.id for c, _ in page]
    r, cpd = Registration, CpdCredit
    latest = (select(r.certificate_id, func.max(r.cycle).label("cycle"))
              .where(r.certificate_id.in_(ids)).group_by(r.certificate_id).subquery())
    counted = (select(func.coalesce(func.sum(cpd.centi), 0)).where(
        cpd.worker_id == r.worker_id, cpd.credited_on >= r.cpd_from, cpd.credited_on <= as_of,
    ).correlate(r).scalar_subquery())
    rows = session.execute(
        select(r, counted).join(latest, and_(latest.c.certificate_id == r.certificate_id, latest.c.cycle == r.cycle))
    ).all()
    last = {reg.certificate_id: (reg, centi) for reg, centi in rows}
    book = svc.policies.book(session, ("registration_cycle",))
    out = {}
    for cert, profile in page:
        reg, centi = last.get(cert.id, (None, 0))
        rule: RegistrationRule = book.in_force("registration_cycle", profile.jurisdiction, as_of)
        out[cert.id] = summary(cert, reg, centi, rule, as_of)
    return out


def state_filter(state: RegistrationState, as_of: date):
    """The SQL condition for a registration's state on ``as_of`` (rules.registration_state, set-based)."""
    r = Registration
    return {
        RegistrationState.active: and_(r.ended.is_(None), r.renewal_opens_on > as_of),
        RegistrationState.due: and_(r.ended.is_(None), r.renewal_opens_on <= as_of, r.valid_until >= as_of),
        RegistrationState.lapsed: or_(r.ended == RegistrationState.lapsed,
                                      and_(r.ended.is_(None), r.valid_until < as_of)),
        RegistrationState.renewed: r.ended == RegistrationState.renewed,
        RegistrationState.closed: r.ended == RegistrationState.closed,
    }[state]


def list_registrations(session: Session, scope: str, *, state: RegistrationState | None, as_of: date, limit: int,
                       offset: int) -> tuple[list[tuple[Registration, Certificate, Profile]], int]:
    q = (select(Registration, Certificate, Profile)
         .join(Certificate, Certificate.id == Registration.certificate_id)
         .join(Profile, Profile.worker_id == Registration.worker_id)
         .where(in_scope(Profile.jurisdiction, scope)))
    if state is not None:
        q = q.where(state_filter(state, as_of))
    page, total = fetch_page(session, q, [Registration.valid_until, Registration.id], limit, offset)
    return list(page.all()), total
