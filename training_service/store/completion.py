"""Attendance, the course assessment and completion (D-6): marks per session
day for seated workers, the sheet of where each stands, and closing a session
after its last day, which credits the ledger and publishes the events."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Principal
from shared.errors import FieldError, Invalid
from shared.events import CpdCredited, SessionCompleted
from shared.outbox import publish
from shared.policy import Policies
from training_service import rules
from training_service.rules import CompletionRule, from_ch
from training_service.states import ENROLMENT, SESSION, EnrolmentStatus, SessionStatus
from training_service.store.catalogue import session_days_of, session_for
from training_service.store.enrolments import session_enrolments
from training_service.tables import Attendance, CourseSession, Enrolment, Programme, RosterWorker, TrainingCredit, infra


def _open_for_records(s: Session, principal: Principal, session_id: int) -> CourseSession:
    sess = session_for(s, session_id, principal, lock=True, write=True)
    refusal = rules.records_open(sess.id, sess.status)
    if refusal:
        raise refusal.problem()
    return sess


def _seated_for_records(s: Session, sess: CourseSession, records: list[tuple[int, bool]]) -> dict[int, Enrolment]:
    """The seated enrolments by worker; 422 naming every listed worker without a seat."""
    seated = {e.worker_id: e for e in s.execute(select(Enrolment).where(
        Enrolment.session_id == sess.id, Enrolment.status == EnrolmentStatus.enrolled)).scalars()}
    errors = [FieldError(f"records[{i}].worker_id", f"worker {wid} holds no seat in session {sess.id}")
              for i, (wid, _) in enumerate(records) if wid not in seated]
    if errors:
        raise Invalid("not_seated", f"{errors[0].reason}.", "名单中有未在该班次就座的社区工作者。",
                      field=errors[0].field, errors=errors)
    return seated


def record_attendance(s: Session, principal: Principal, session_id: int, day: date,
                      records: list[tuple[int, bool]], today: date, now: datetime) -> CourseSession:
    """Present or absent on one session day that has come, for seated workers only."""
    sess = _open_for_records(s, principal, session_id)
    if day not in session_days_of(sess):
        raise Invalid("day_outside_session", f"{day} is not a day of session {sess.id} ({', '.join(sess.days)}).",
                      f"{day} 不是该班次的上课日。", field="day")
    refusal = rules.attendance_day(day, today)
    if refusal:
        raise refusal.problem()
    seated = _seated_for_records(s, sess, records)
    for wid, present in records:
        eid = seated[wid].id
        a = s.get(Attendance, (eid, day))
        if a is None:
            s.add(Attendance(enrolment_id=eid, day=day, present=present, recorded_by=principal.sub, recorded_at=now))
        else:
            a.present, a.recorded_by, a.recorded_at = present, principal.sub, now
    s.flush()
    return sess


def record_assessments(
    s: Session, principal: Principal, session_id: int, records: list[tuple[int, bool]],
) -> CourseSession:
    """Passed or not, for seated workers of a programme with a course assessment."""
    sess = _open_for_records(s, principal, session_id)
    prog = s.get(Programme, sess.programme_id)
    if not prog.assessment_required:
        raise Invalid("no_assessment", f"Programme {prog.id} has no course assessment.", "该培训项目没有结业考核。",
                      field="records")
    seated = _seated_for_records(s, sess, records)
    for wid, passed in records:
        seated[wid].assessment_passed = passed
    s.flush()
    return sess


class SheetRow(NamedTuple):
    enrolment: Enrolment
    worker: RosterWorker | None
    marks: dict[date, bool]
    completion: rules.Completion


def attendance_sheet(
    s: Session, policies: Policies, sess: CourseSession,
) -> tuple[Programme, list[date], list[SheetRow]]:
    """Every seated worker with their marks per day and where they stand on completion."""
    prog = s.get(Programme, sess.programme_id)
    days = session_days_of(sess)
    rule: CompletionRule = policies.in_force(s, "completion", sess.jurisdiction, days[-1])
    pairs = session_enrolments(s, sess.id, rules.SEATED_STATUSES)
    marks: dict[int, dict[date, bool]] = defaultdict(dict)
    ids = [e.id for e, _ in pairs]
    if ids:
        for a in s.execute(select(Attendance).where(Attendance.enrolment_id.in_(ids))).scalars():
            marks[a.enrolment_id][a.day] = a.present
    out = []
    for e, w in pairs:
        m = marks.get(e.id, {})
        present = sum(1 for d in days if m.get(d))
        out.append(SheetRow(e, w, m, rules.completion(len(days), present, prog.assessment_required,
                                                         e.assessment_passed, rule)))
    return prog, days, out


def credit_completion(s: Session, sess: CourseSession, prog: Programme, e: Enrolment, w: RosterWorker | None,
                      completed_on: date) -> None:
    """The ledger line of a completed place and its events: session.completed
    and, for an accredited programme with CPD hours, cpd.credited (D-6)."""
    jurisdiction = w.jurisdiction if w is not None else sess.jurisdiction
    s.add(TrainingCredit(
        worker_id=e.worker_id, enrolment_id=e.id, session_id=sess.id, programme_id=prog.id, title=prog.title,
        jurisdiction=jurisdiction, tier=prog.tier, category=prog.category, delivery=prog.delivery,
        location=prog.location, hours_ch=prog.hours_ch, cpd_hours_ch=prog.cpd_hours_ch if prog.cpd_accredited else 0,
        completed_on=completed_on, year=completed_on.year,
    ))
    publish(s, infra.outbox, SessionCompleted(
        worker_id=e.worker_id, jurisdiction=jurisdiction, session_id=sess.id, programme_id=prog.id,
        tier=prog.tier, category=prog.category, hours=from_ch(prog.hours_ch), completed_on=completed_on,
    ))
    if prog.cpd_accredited and prog.cpd_hours_ch > 0:
        publish(s, infra.outbox, CpdCredited(
            worker_id=e.worker_id, jurisdiction=jurisdiction, hours=from_ch(prog.cpd_hours_ch),
            credited_on=completed_on, session_id=sess.id, programme_id=prog.id,
            source="degree" if prog.tier == "degree" else "course",
        ))


def close_session(s: Session, policies: Policies, principal: Principal, session_id: int, as_of: date,
                  now: datetime) -> tuple[CourseSession, list[SheetRow]]:
    """Close a session after its last day: each seated worker completes or not
    (D-6 threshold, assessment); completion credits the ledger and publishes
    session.completed and, for an accredited programme, cpd.credited. The
    waitlist is cancelled."""
    sess = _open_for_records(s, principal, session_id)
    days = session_days_of(sess)
    refusal = rules.session_over(days[-1], as_of)
    if refusal:
        raise refusal.problem()
    prog, _, sheet = attendance_sheet(s, policies, sess)
    completed_on = days[-1]
    for row in sheet:
        e = row.enrolment
        if not row.completion.completed:
            e.status = ENROLMENT.move(e.status, EnrolmentStatus.not_completed)
            continue
        e.status, e.completed_on = ENROLMENT.move(e.status, EnrolmentStatus.completed), completed_on
        credit_completion(s, sess, prog, e, row.worker, completed_on)
    for e in s.execute(select(Enrolment).where(Enrolment.session_id == sess.id,
                                               Enrolment.status == EnrolmentStatus.waitlisted)).scalars():
        e.status = ENROLMENT.move(e.status, EnrolmentStatus.cancelled)
        e.cancelled_at, e.cancelled_by, e.cancel_reason = now, principal.sub, "session closed"
    sess.status, sess.closed_at = SESSION.move(sess.status, SessionStatus.closed), now
    s.flush()
    return sess, sheet
