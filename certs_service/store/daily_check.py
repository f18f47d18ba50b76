"""The daily registration check (D-5): lapses and reminders, and the
reminders' list for officers."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.states import RegistrationState
from certs_service.store.registrations import lapse_event
from certs_service.tables import Certificate, Profile, Registration, Reminder
from shared.db import in_chunks
from shared.db import in_jurisdiction as in_scope
from shared.events import RegistrationReminder
from shared.outbox import publish_many
from shared.paging import fetch_page
from shared.web import Service


def registration_check(session: Session, svc: Service, day: date) -> tuple[int, int]:
    """The daily job (D-5): mark the cycles that ended before ``day`` without
    renewal as lapsed, publishing registration.lapsed for each; and issue the
    reminders due on ``day`` (90, 60, 30 days before expiry) to the officers'
    list. Set-based. Returns (lapsed, reminders)."""
    return record_lapses(session, svc, day), issue_reminders(session, svc, day)


def record_lapses(session: Session, svc: Service, day: date) -> int:
    """Cycles past their last valid day, not renewed, become lapsed from the day after it."""
    lapsed = session.execute(
        select(Registration, Certificate, Profile.jurisdiction)
        .join(Certificate, Certificate.id == Registration.certificate_id)
        .join(Profile, Profile.worker_id == Registration.worker_id)
        .where(Registration.ended.is_(None), Registration.valid_until < day)
    ).all()
    if lapsed:
        session.execute(update(Registration), [
            {"id": reg.id, "ended": RegistrationState.lapsed, "ended_on": reg.valid_until + timedelta(days=1)}
            for reg, _, _ in lapsed
        ])
        publish_many(session, svc.infra.outbox, [lapse_event(reg, cert, j) for reg, cert, j in lapsed])
    return len(lapsed)


def issue_reminders(session: Session, svc: Service, day: date) -> int:
    """One reminder per band (``rules.reminder_band``) for each running cycle,
    with the reminder days of its jurisdiction's policy."""
    running = and_(Registration.ended.is_(None), Registration.valid_until >= day)
    scopes = session.execute(select(Profile.jurisdiction).distinct()
                             .join(Registration, Registration.worker_id == Profile.worker_id).where(running)).scalars()
    book = svc.policies.book(session, ("registration_cycle",))
    thresholds = {j: book.in_force("registration_cycle", j, day).reminder_days for j in scopes}
    horizon = max((max(t) for t in thresholds.values() if t), default=0)
    candidates = session.execute(
        select(Registration.id, Registration.worker_id, Registration.valid_until, Profile.jurisdiction)
        .join(Profile, Profile.worker_id == Registration.worker_id)
        .where(running, Registration.valid_until <= day + timedelta(days=horizon))
    ).all()
    sent: set[tuple[int, int]] = set()
    for part in in_chunks(c.id for c in candidates):
        sent.update(session.execute(select(Reminder.registration_id, Reminder.days_before)
                                    .where(Reminder.registration_id.in_(part))).all())
    reminders = []
    for c in candidates:
        band = rules.reminder_band(c.valid_until, day, thresholds[c.jurisdiction])
        if band is not None and (c.id, band) not in sent:
            reminders.append(dict(registration_id=c.id, worker_id=c.worker_id, jurisdiction=c.jurisdiction,
                                  days_before=band, valid_until=c.valid_until, issued_on=day))
    if reminders:
        session.execute(insert(Reminder), reminders)
        publish_many(session, svc.infra.outbox, [RegistrationReminder(
            worker_id=r["worker_id"], jurisdiction=r["jurisdiction"], registration_id=r["registration_id"],
            valid_until=r["valid_until"], days_before=r["days_before"]) for r in reminders])
    return len(reminders)


def list_reminders(session: Session, scope: str, *, issued_from: date | None, issued_to: date | None, limit: int,
                   offset: int) -> tuple[list[tuple[Reminder, Registration, Profile]], int]:
    q = (select(Reminder, Registration, Profile)
         .join(Registration, Registration.id == Reminder.registration_id)
         .join(Profile, Profile.worker_id == Reminder.worker_id)
         .where(in_scope(Reminder.jurisdiction, scope)))
    if issued_from is not None:
        q = q.where(Reminder.issued_on >= issued_from)
    if issued_to is not None:
        q = q.where(Reminder.issued_on <= issued_to)
    page, total = fetch_page(session, q, [Reminder.issued_on.desc(), Reminder.id], limit, offset)
    return list(page.all()), total
