"""The catalogue: programmes (tier, class, hours, who may enrol, cost) and
their sessions (times, days, venue or link, capacity), and changing or
cancelling a session while it is scheduled."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Principal, require_jurisdiction
from shared.db import in_jurisdiction as in_scope
from shared.errors import NotFound
from shared.paging import fetch_page
from shared.policy import Policies
from training_service import rules
from training_service.states import ENROLMENT, SESSION, EnrolmentStatus, SessionStatus
from training_service.store.common import sees, visible_to
from training_service.store.seats import fill_seats, seated_count
from training_service.tables import CourseSession, Enrolment, Programme

# --- programmes -------------------------------------------------------------------


def create_programme(s: Session, policies: Policies, principal: Principal, *, as_of: date, now: datetime,
                     **fields) -> Programme:
    """A new programme, if ``rules.programme_refusal`` allows it under the
    classes in force (S2-2) on ``as_of``."""
    jurisdiction = fields["jurisdiction"]
    require_jurisdiction(principal, jurisdiction)
    classes: rules.CategoryTable = policies.in_force(s, "training_categories", jurisdiction, as_of)
    refusal = rules.programme_refusal(rules.ProgrammeTerms(
        fields["category"], fields["hours"], fields["cpd_accredited"], fields["cpd_hours"], fields["eligible_posts"],
        fields["eligible_designations"], fields["cost_fen"]), classes)
    if refusal:
        raise refusal.problem()
    p = Programme(
        title=fields["title"], jurisdiction=jurisdiction, tier=fields["tier"], category=fields["category"],
        content_area=fields["content_area"], topics=sorted(set(fields["topics"])), delivery=fields["delivery"],
        mode=fields["mode"], location=fields["location"], hours_ch=rules.to_ch(fields["hours"]),
        cpd_accredited=fields["cpd_accredited"], cpd_hours_ch=rules.to_ch(fields["cpd_hours"]),
        eligible_posts=sorted(set(fields["eligible_posts"])),
        eligible_designations=sorted(set(fields["eligible_designations"])),
        assessment_required=fields["assessment_required"], cost_fen=fields["cost_fen"],
        description=fields.get("description"), created_by=principal.sub, created_at=now,
    )
    s.add(p)
    s.flush()
    return p


def get_programme(s: Session, programme_id: int, principal: Principal | None) -> Programme:
    p = s.get(Programme, programme_id)
    if p is None or (principal is not None and not sees(principal, p.jurisdiction)):
        raise NotFound("programme", "培训项目", programme_id)
    return p


def list_programmes(s: Session, principal: Principal, *, tier: str | None, category: str | None, topic: str | None,
                    location: str | None, limit: int, offset: int) -> tuple[list[Programme], int]:
    q = select(Programme).where(visible_to(principal, Programme.jurisdiction))
    if tier:
        q = q.where(Programme.tier == tier)
    if category:
        q = q.where(Programme.category == category)
    if location:
        q = q.where(Programme.location == location)
    rows = list(s.execute(q.order_by(Programme.id)).scalars())
    if topic:  # topics are a short JSON list; filtered here so both databases agree
        rows = [p for p in rows if topic in (p.topics or [])]
    return rows[offset:offset + limit], len(rows)


# --- sessions ---------------------------------------------------------------------


def lock_session(s: Session, session_id: int) -> CourseSession | None:
    return s.execute(
        select(CourseSession).where(CourseSession.id == session_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def session_for(s: Session, session_id: int, principal: Principal | None, *, lock: bool = False,
                write: bool = False) -> CourseSession:
    """The session, if the caller may see it (404 otherwise); for a write the
    caller must cover its jurisdiction (403, D-8)."""
    sess = lock_session(s, session_id) if lock else s.get(CourseSession, session_id)
    if sess is None or (principal is not None and not sees(principal, sess.jurisdiction)):
        raise NotFound("session", "培训班次", session_id, field="session_id")
    if write and principal is not None:
        require_jurisdiction(principal, sess.jurisdiction)
    return sess


def session_days_of(sess: CourseSession) -> list[date]:
    return [date.fromisoformat(d) for d in sess.days]


def create_session(
    s: Session, principal: Principal, programme_id: int, *, jurisdiction: str | None, starts_at: datetime,
    ends_at: datetime, days: list[date] | None, venue: str | None, online_link: str | None, trainer: str | None,
    capacity: int, now: datetime,
) -> CourseSession:
    """Schedule a session of a programme, within its jurisdiction (D-8) and as
    ``rules.planned_days`` allows."""
    prog = get_programme(s, programme_id, principal)
    jurisdiction = jurisdiction or (
        prog.jurisdiction if principal.covers(prog.jurisdiction) else principal.jurisdiction)
    outside = rules.held_within(prog.jurisdiction, jurisdiction)
    if outside:
        raise outside.problem()
    require_jurisdiction(principal, jurisdiction)
    planned = rules.planned_days(rules.SessionPlan(starts_at, ends_at, prog.delivery, days, venue, online_link))
    if isinstance(planned, rules.Refusal):
        raise planned.problem()
    sess = CourseSession(
        programme_id=prog.id, jurisdiction=jurisdiction, starts_at=starts_at, ends_at=ends_at,
        days=[d.isoformat() for d in planned], venue=venue, online_link=online_link, trainer=trainer,
        capacity=capacity, status=SessionStatus.scheduled, created_by=principal.sub, created_at=now,
    )
    s.add(sess)
    s.flush()
    return sess


def list_sessions(
    s: Session, principal: Principal, *, starts_from: datetime | None, starts_before: datetime | None,
    programme_id: int | None, jurisdiction: str | None, tier: str | None, include_cancelled: bool,
    limit: int, offset: int,
) -> tuple[list[tuple[CourseSession, Programme]], int]:
    """Sessions overlapping [starts_from, starts_before), earliest first: the calendar feed."""
    q = (select(CourseSession, Programme).join(Programme, Programme.id == CourseSession.programme_id)
         .where(visible_to(principal, CourseSession.jurisdiction)))
    if starts_from is not None:
        q = q.where(CourseSession.ends_at > starts_from)
    if starts_before is not None:
        q = q.where(CourseSession.starts_at < starts_before)
    if programme_id is not None:
        q = q.where(CourseSession.programme_id == programme_id)
    if jurisdiction:
        q = q.where(in_scope(CourseSession.jurisdiction, jurisdiction))
    if tier:
        q = q.where(Programme.tier == tier)
    if not include_cancelled:
        q = q.where(CourseSession.status != SessionStatus.cancelled)
    page, total = fetch_page(s, q, [CourseSession.starts_at, CourseSession.id], limit, offset)
    rows = page.all()
    return [(r[0], r[1]) for r in rows], total


def update_session(s: Session, principal: Principal, session_id: int, changes: dict, now: datetime
                   ) -> tuple[CourseSession, list[Enrolment]]:
    """Change a scheduled session; more capacity seats the head of the waitlist."""
    sess = session_for(s, session_id, principal, lock=True, write=True)
    refusal = rules.session_open(sess.id, sess.status)
    if refusal is None and "capacity" in changes:
        refusal = rules.capacity_refusal(changes["capacity"], seated_count(s, sess.id))
    if refusal:
        raise refusal.problem()
    for k, v in changes.items():
        setattr(sess, k, v)
    s.flush()
    return sess, fill_seats(s, sess, now)


def cancel_session(
    s: Session, principal: Principal, session_id: int, reason: str | None, now: datetime,
) -> CourseSession:
    """Cancel a scheduled session and every place still open in it."""
    sess = session_for(s, session_id, principal, lock=True, write=True)
    refusal = rules.session_open(sess.id, sess.status)
    if refusal:
        raise refusal.problem()
    for e in s.execute(select(Enrolment).where(Enrolment.session_id == sess.id,
                                               Enrolment.status.in_(rules.OPEN_STATUSES))).scalars():
        e.status = ENROLMENT.move(e.status, EnrolmentStatus.cancelled)
        e.cancelled_at, e.cancelled_by = now, principal.sub
        e.cancel_reason = "session cancelled" + (f": {reason}" if reason else "")
    sess.status = SESSION.move(sess.status, SessionStatus.cancelled)
    s.flush()
    return sess
