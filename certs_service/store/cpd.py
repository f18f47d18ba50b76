"""The CPD ledger (继续教育): hours credited toward a registration cycle (D-5),
from training's cpd.credited or an officer's entry. A completed social-work
degree counts the policy's hours, once."""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.rules import RegistrationRule
from certs_service.store.profiles import profile_to_write
from certs_service.tables import CpdCredit
from shared.auth import Principal
from shared.errors import Conflict, Invalid, refuse_future
from shared.policy import Policies
from shared.web import Service

CPD_SOURCES = ("course", "degree")
COURSE, DEGREE = CPD_SOURCES
MAX_CPD_HOURS = Decimal(1000)


def hours_centi(hours: Decimal, field: str = "hours") -> int:
    """Hours as integer hundredths: positive, finite, at most two decimals."""
    if not hours.is_finite() or hours <= 0 or hours > MAX_CPD_HOURS or hours != hours.quantize(rules.CENT):
        raise Invalid("invalid_hours", f"{field} must be a number of hours above 0 and up to {MAX_CPD_HOURS}, "
                      "with at most two decimals.",
                      f"{field} 须为大于 0、不超过 {MAX_CPD_HOURS} 的学时，最多两位小数。", field=field)
    return rules.to_centi(hours)


def degree_credited(session: Session, worker_id: int) -> bool:
    """Whether a social-work degree already counted hours for the worker (D-5: once)."""
    return session.execute(select(CpdCredit.id).where(CpdCredit.worker_id == worker_id, CpdCredit.source == DEGREE,
                                                      CpdCredit.centi > 0)).first() is not None


def record_cpd(
    session: Session, svc: Service, principal: Principal, worker_id: int, *, hours: Decimal | None, credited_on: date,
    source: str, note: str | None, today: date, now: datetime,
) -> CpdCredit:
    """CPD hours recorded by an officer (until training's cpd.credited feeds the
    ledger). D-5: a completed social-work degree counts the policy's hours, once."""
    profile = profile_to_write(session, principal, worker_id)
    if source not in CPD_SOURCES:
        raise Invalid("unknown_source", "source is course or degree.", "来源应为 course（课程）或 degree（学历）。",
                      field="source")
    refuse_future(credited_on, today, "credited_on", clause="D-5")
    if source == DEGREE:
        if degree_credited(session, worker_id):
            raise Conflict("degree_already_credited",
                           "A social-work degree counts once (D-5); it was already credited.",
                           "社会工作学历只能折算一次继续教育学时，已折算过。", field="source", clause="D-5")
        rule: RegistrationRule = svc.policies.in_force(session, "registration_cycle", profile.jurisdiction,
                                                       credited_on)
        centi = rule.degree_hours * 100
        reported = hours_centi(hours) if hours is not None else centi
    else:
        if hours is None:
            raise Invalid("hours_required", "hours is required for a course.", "课程须填写学时。", field="hours")
        centi = reported = hours_centi(hours)
    credit = CpdCredit(worker_id=worker_id, credited_on=credited_on, centi=centi, reported_centi=reported,
                       source=source, note=note, recorded_by=principal.sub, created_at=now)
    session.add(credit)
    session.flush()
    return credit


def credit_cpd_event(session: Session, policies: Policies, *, event_id: str, worker_id: int, jurisdiction: str,
                     hours: Decimal, credited_on: date, source: str, session_id: int | None, now: datetime) -> None:
    """cpd.credited into the ledger. A second degree is kept for the record but counts 0 (D-5)."""
    reported = rules.to_centi(hours.quantize(rules.CENT, rounding=ROUND_HALF_UP))
    centi, note = reported, None
    if source == DEGREE:
        if degree_credited(session, worker_id):
            centi, note = 0, "degree already credited once (D-5)"
        else:
            rule: RegistrationRule = policies.in_force(session, "registration_cycle", jurisdiction, credited_on)
            centi = rule.degree_hours * 100
    session.add(CpdCredit(worker_id=worker_id, credited_on=credited_on, centi=centi, reported_centi=reported,
                          source=source if source in CPD_SOURCES else COURSE, event_id=event_id,
                          session_id=session_id, note=note, recorded_by="event:cpd.credited", created_at=now))


def cpd_centi(session: Session, worker_id: int, since: date, until: date) -> int:
    """CPD hundredths credited in [since, until]."""
    return session.execute(
        select(func.coalesce(func.sum(CpdCredit.centi), 0))
        .where(CpdCredit.worker_id == worker_id, CpdCredit.credited_on >= since, CpdCredit.credited_on <= until)
    ).scalar_one()


def cpd_ledger(session: Session, worker_id: int) -> list[CpdCredit]:
    return list(session.execute(select(CpdCredit).where(CpdCredit.worker_id == worker_id)
                                .order_by(CpdCredit.credited_on, CpdCredit.id)).scalars())
