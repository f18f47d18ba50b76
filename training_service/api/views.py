"""Rows as the API shows them: each stored record rendered into its out Struct."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from litestar.response import Response

from shared.db import as_utc
from shared.errors import check_year
from shared.web import now, today
from training_service import exports, rules, store
from training_service.api.common import zoned
from training_service.api.schemas import (
    CreditOut,
    DesignationOut,
    EnrolmentOut,
    LedgerOut,
    LedgerYear,
    ObligationsOut,
    ProgrammeOut,
    RosterOut,
    SelectionOut,
    SessionOut,
    SheetOut,
    SheetRowOut,
)
from training_service.rules import from_ch
from training_service.states import SessionStatus
from training_service.tables import AbroadSelection, CourseSession, Programme, RosterWorker, TrainingCredit


def roster_out(w: RosterWorker, designations: list) -> RosterOut:
    return RosterOut(
        w.worker_id, w.name, w.post, w.community_code, w.jurisdiction, w.hired_on, w.probation_ends_on, w.status,
        w.left_on, [DesignationOut(d.designation, d.valid_from, d.valid_until, d.source) for d in designations],
    )


def programme_out(p: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        p.id, p.title, p.jurisdiction, p.tier, rules.TIER_NAMES.get(p.tier, p.tier), p.category, p.content_area,
        list(p.topics), p.delivery, p.mode, p.location, from_ch(p.hours_ch), p.cpd_accredited, from_ch(p.cpd_hours_ch),
        list(p.eligible_posts), list(p.eligible_designations), p.assessment_required, p.cost_fen, p.description,
        as_utc(p.created_at),
    )


def session_out(sess: CourseSession, p: Programme, c: store.Counts) -> SessionOut:
    seated_now = c.enrolled
    return SessionOut(
        sess.id, p.id, p.title, p.tier, p.category, p.delivery, p.location, from_ch(p.hours_ch),
        from_ch(p.cpd_hours_ch), sess.jurisdiction, zoned(sess.starts_at), zoned(sess.ends_at),
        store.session_days_of(sess), sess.venue, sess.online_link, sess.trainer, sess.capacity, seated_now,
        c.waitlisted, max(sess.capacity - seated_now, 0) if sess.status == SessionStatus.scheduled else 0, sess.status,
    )


def one_session_out(s, sess: CourseSession) -> SessionOut:
    return session_out(sess, s.get(Programme, sess.programme_id), store.counts(s, [sess.id])[sess.id])


def enrolment_outs(s, views: list[store.EnrolmentView]) -> list[EnrolmentOut]:
    positions = store.waitlist_positions(s, views)
    return [
        EnrolmentOut(
            v.enrolment.id, v.session.id, v.enrolment.worker_id, v.worker.name if v.worker else None, v.programme.id,
            v.programme.title, v.programme.tier, zoned(v.session.starts_at), zoned(v.session.ends_at),
            v.enrolment.status, positions.get(v.enrolment.id), v.enrolment.promoted, as_utc(v.enrolment.requested_at),
            as_utc(v.enrolment.seated_at), as_utc(v.enrolment.cancelled_at), v.enrolment.cancel_reason,
            v.enrolment.assessment_passed, v.enrolment.completed_on,
        )
        for v in views
    ]


def enrolment_outs_by_id(s, ids: list[int]) -> list[EnrolmentOut]:
    if not ids:
        return []
    by_id = {o.id: o for o in enrolment_outs(s, store.enrolment_views(s, enrolment_ids=ids))}
    return [by_id[i] for i in ids]


def sheet_rows(days: list[date], rows: list[store.SheetRow]) -> list[SheetRowOut]:
    return [
        SheetRowOut(
            r.enrolment.id, r.enrolment.worker_id, r.worker.name if r.worker else None,
            r.worker.post if r.worker else None, r.worker.community_code if r.worker else None, r.enrolment.status,
            [r.marks.get(d) for d in days], r.completion.present, r.completion.percent, r.enrolment.assessment_passed,
            r.completion.completed, r.completion.reason,
        )
        for r in rows
    ]


def sheet_out(svc, s, sess: CourseSession) -> SheetOut:
    """The attendance sheet of a session, with the threshold in force on its last day."""
    prog, days, rows = store.attendance_sheet(s, svc.policies, sess)
    rule = svc.policies.in_force(s, "completion", sess.jurisdiction, days[-1])
    return SheetOut(sess.id, prog.title, days, rule.attendance_percent, prog.assessment_required,
                    sheet_rows(days, rows))


def export_sheet(sheet: SheetOut, starts_at: datetime) -> exports.Sheet:
    """The sheet as a coordinator prints it: bilingual header, ✓/✗ per day."""
    header = ["工号 worker_id", "姓名 name", "岗位 post", "社区 community", "状态 status"]
    header += [d.isoformat() for d in sheet.days]
    header += ["出勤天数 present", "出勤率% percent", "考核 assessment", "结业 completes"]
    rows = [
        [r.worker_id, r.name, r.post, r.community_code, r.status, *r.marks, r.present_days, str(r.percent),
         {True: "通过", False: "未通过", None: ""}[r.assessment_passed], "是" if r.completes else "否"]
        for r in sheet.rows
    ]
    title = (f"{sheet.title} · 班次 {sheet.session_id} · {starts_at:%Y-%m-%d} · "
             f"签到表 (threshold {sheet.threshold_percent}%)")
    return exports.Sheet(title, sheet.days, header, rows, lead=5)


def calendar(rows: list[tuple[CourseSession, Programme]], name: str) -> Response[str]:
    """Sessions as an iCalendar feed (text/calendar); a cancelled one is marked so."""
    events = [
        exports.CalendarEvent(
            uid=f"training-session-{sess.id}@workforce", starts_at=sess.starts_at, ends_at=sess.ends_at,
            summary=f"{p.title}（{rules.TIER_NAMES.get(p.tier, p.tier)}）",
            location=sess.venue or sess.online_link,
            description=f"{from_ch(p.hours_ch)} h · {p.delivery} · {p.mode} · capacity {sess.capacity}"
                        + (f" · trainer {sess.trainer}" if sess.trainer else "") + f" · session {sess.id}",
            url=sess.online_link, cancelled=sess.status == SessionStatus.cancelled,
        )
        for sess, p in rows
    ]
    return Response(exports.icalendar(events, name, now()), media_type=exports.ICS_MEDIA_TYPE)


def ledger_out(w: RosterWorker, credits: list[TrainingCredit]) -> LedgerOut:
    """Training hours by year, tier and class; CPD hours beside them (D-6)."""
    years: dict[int, dict] = {}
    for c in credits:
        y = years.setdefault(c.year, {"n": 0, "h": 0, "cpd": 0, "tier": defaultdict(int), "cat": defaultdict(int)})
        y["n"] += 1
        y["h"] += c.hours_ch
        y["cpd"] += c.cpd_hours_ch
        y["tier"][c.tier] += c.hours_ch
        y["cat"][c.category] += c.hours_ch
    return LedgerOut(
        w.worker_id, w.name, w.post, w.jurisdiction,
        from_ch(sum(c.hours_ch for c in credits)), from_ch(sum(c.cpd_hours_ch for c in credits)),
        [LedgerYear(year, y["n"], from_ch(y["h"]), from_ch(y["cpd"]),
                    {k: from_ch(v) for k, v in sorted(y["tier"].items())},
                    {k: from_ch(v) for k, v in sorted(y["cat"].items())})
         for year, y in sorted(years.items(), reverse=True)],
        [CreditOut(c.enrolment_id, c.session_id, c.programme_id, c.title, c.tier, c.category, c.delivery, c.location,
                   from_ch(c.hours_ch), from_ch(c.cpd_hours_ch), c.completed_on) for c in credits],
    )


def obligations_out(svc, s, w: RosterWorker, year: int | None, as_of: date | None) -> ObligationsOut:
    """D-6 for one worker and year (this year by default), judged on ``as_of`` (today by default)."""
    as_of = as_of or today()
    year = check_year(year or as_of.year)
    return ObligationsOut(w.worker_id, w.post, year, as_of, store.worker_obligations(s, svc.policies, w, year, as_of))


def selection_out(x: AbroadSelection) -> SelectionOut:
    return SelectionOut(x.id, x.year, x.worker_id, x.jurisdiction, x.note, x.selected_by, as_utc(x.selected_at))
