"""Training's HTTP API: the roster, programmes, sessions and enrolment,
attendance and completion, the worker's ledger and D-6 obligations,
compliance and statistics, places abroad, and the worker's own ``/me`` views.

Hours travel as decimal strings ("7.50"), money as integer fen, session times
as ISO date-times in Asia/Shanghai (a time without an offset is read as
Hangzhou time).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter, RawBody
from litestar.response import Response

from shared.auth import Principal, Role, ensure_visible, require_jurisdiction, requires
from shared.errors import Forbidden, Invalid, NotFound
from shared.paging import Page, check_paging
from shared.web import Svc, now, today
from training_service import exports, rules, store
from training_service.rules import from_ch
from training_service.tables import AbroadSelection, CourseSession, Programme, RosterWorker, TrainingCredit

LOCAL_TZ = exports.LOCAL_TZ
COORDINATOR = requires(Role.training_coordinator)

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Text64 = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]


def local(dt: datetime) -> datetime:
    """An incoming time as Hangzhou wall-clock time without a zone (how it is stored)."""
    return dt.astimezone(LOCAL_TZ).replace(tzinfo=None) if dt.tzinfo else dt


def zoned(dt: datetime) -> datetime:
    return dt.replace(tzinfo=LOCAL_TZ)


def utc(dt: datetime | None) -> datetime | None:
    """A stored instant as UTC (SQLite returns it without its zone)."""
    return dt.replace(tzinfo=timezone.utc) if dt is not None and dt.tzinfo is None else dt


def who(request: Request) -> Principal:
    return request.user


# --- roster -----------------------------------------------------------------------


class DesignationOut(msgspec.Struct):
    designation: str
    valid_from: date | None
    valid_until: date | None
    source: str


class RosterOut(msgspec.Struct):
    worker_id: int
    name: str
    post: str
    community_code: str | None
    jurisdiction: str
    hired_on: date | None
    probation_ends_on: date | None
    status: str
    left_on: date | None
    designations: list[DesignationOut]


class ImportOut(msgspec.Struct):
    rows: int
    created: int
    updated: int


def roster_out(w: RosterWorker, designations: list) -> RosterOut:
    return RosterOut(
        w.worker_id, w.name, w.post, w.community_code, w.jurisdiction, w.hired_on, w.probation_ends_on, w.status,
        w.left_on, [DesignationOut(d.designation, d.valid_from, d.valid_until, d.source) for d in designations],
    )


class RosterController(Controller):
    """The workers as training knows them (a read model fed by HR's events, or CSV meanwhile)."""

    path = "/roster"
    tags = ["roster"]

    @post("/import", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def import_csv(self, svc: Svc, request: Request, body: RawBody) -> ImportOut:
        """CSV with a header: worker_id, name, post, jurisdiction, and optionally community_code,
        hired_on, probation_ends_on, designations (separated by ';'). One bad row and nothing
        is written; the problem lists every bad row as ``row <line>.<column>``."""
        with svc.db.transaction() as s:
            created, updated = store.import_roster(s, body, who(request), now())
        return ImportOut(created + updated, created, updated)

    @get("/", sync_to_thread=True)
    def list_roster(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                    post: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                    offset: FromQuery[int] = 0) -> Page[RosterOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_roster(s, who(request), jurisdiction, post, limit, offset)
            ds = store.all_designations(s, [w.worker_id for w in rows])
            return Page([roster_out(w, ds.get(w.worker_id, [])) for w in rows], total, limit, offset)

    @get("/{worker_id:int}", sync_to_thread=True)
    def get_entry(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> RosterOut:
        with svc.db.read_session() as s:
            w = store.get_worker(s, worker_id, who(request))
            return roster_out(w, store.all_designations(s, [worker_id]).get(worker_id, []))


# --- programmes -------------------------------------------------------------------


class NewProgramme(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    tier: rules.Tier
    category: Code
    content_area: rules.ContentArea
    delivery: rules.Delivery
    mode: rules.Mode
    location: rules.Location
    hours: Decimal
    jurisdiction: Text64 | None = None
    topics: Annotated[list[Code], msgspec.Meta(max_length=20)] = []
    cpd_accredited: bool = False
    cpd_hours: Decimal = Decimal(0)
    eligible_posts: list[str] = []
    eligible_designations: list[Code] = []
    assessment_required: bool = False
    cost_fen: int = 0
    description: Annotated[str, msgspec.Meta(max_length=4000)] | None = None


class ProgrammeOut(msgspec.Struct):
    id: int
    title: str
    jurisdiction: str
    tier: str
    tier_zh: str
    category: str
    content_area: str
    topics: list[str]
    delivery: str
    mode: str
    location: str
    hours: Decimal
    cpd_accredited: bool
    cpd_hours: Decimal
    eligible_posts: list[str]
    eligible_designations: list[str]
    assessment_required: bool
    cost_fen: int
    description: str | None
    created_at: datetime


def programme_out(p: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        p.id, p.title, p.jurisdiction, p.tier, rules.TIER_NAMES.get(p.tier, p.tier), p.category, p.content_area,
        list(p.topics), p.delivery, p.mode, p.location, from_ch(p.hours_ch), p.cpd_accredited, from_ch(p.cpd_hours_ch),
        list(p.eligible_posts), list(p.eligible_designations), p.assessment_required, p.cost_fen, p.description,
        utc(p.created_at),
    )


class NewSession(msgspec.Struct, forbid_unknown_fields=True):
    starts_at: datetime
    ends_at: datetime
    capacity: Annotated[int, msgspec.Meta(ge=1, le=100_000)]
    jurisdiction: Text64 | None = None
    days: list[date] | None = None
    venue: Title | None = None
    online_link: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None
    trainer: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None


class SessionOut(msgspec.Struct):
    id: int
    programme_id: int
    title: str
    tier: str
    category: str
    delivery: str
    location: str
    hours: Decimal
    cpd_hours: Decimal
    jurisdiction: str
    starts_at: datetime
    ends_at: datetime
    days: list[date]
    venue: str | None
    online_link: str | None
    trainer: str | None
    capacity: int
    enrolled: int
    waitlisted: int
    seats_left: int
    status: str


def session_out(sess: CourseSession, p: Programme, c: store.Counts) -> SessionOut:
    seated_now = c.enrolled
    return SessionOut(
        sess.id, p.id, p.title, p.tier, p.category, p.delivery, p.location, from_ch(p.hours_ch),
        from_ch(p.cpd_hours_ch), sess.jurisdiction, zoned(sess.starts_at), zoned(sess.ends_at),
        store.session_days_of(sess), sess.venue, sess.online_link, sess.trainer, sess.capacity, seated_now,
        c.waitlisted, max(sess.capacity - seated_now, 0) if sess.status == "scheduled" else 0, sess.status,
    )


def one_session_out(s, sess: CourseSession) -> SessionOut:
    return session_out(sess, s.get(Programme, sess.programme_id), store.counts(s, [sess.id])[sess.id])


class ProgrammeController(Controller):
    """Programmes: tier (S2-2 分层), class (S2-2 分类), content area (S1-1), delivery, mode,
    location (S2-3), hours and CPD accreditation (D-6), who may enrol, cost."""

    path = "/programmes"
    tags = ["programmes"]

    @post("/", sync_to_thread=True, guards=[COORDINATOR])
    def create(self, svc: Svc, request: Request, data: JSONBody[NewProgramme]) -> ProgrammeOut:
        principal = who(request)
        fields = msgspec.structs.asdict(data)
        fields["jurisdiction"] = data.jurisdiction or principal.jurisdiction
        with svc.db.transaction() as s:
            p = store.create_programme(s, svc.policies, principal, as_of=today(), now=now(), **fields)
            return programme_out(p)

    @get("/", sync_to_thread=True)
    def list_programmes(self, svc: Svc, request: Request, tier: FromQuery[str | None] = None,
                        category: FromQuery[str | None] = None, topic: FromQuery[str | None] = None,
                        location: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                        offset: FromQuery[int] = 0) -> Page[ProgrammeOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_programmes(s, who(request), tier=tier, category=category, topic=topic,
                                                location=location, limit=limit, offset=offset)
            return Page([programme_out(p) for p in rows], total, limit, offset)

    @get("/{programme_id:int}", sync_to_thread=True)
    def get_programme(self, svc: Svc, request: Request, programme_id: FromPath[int]) -> ProgrammeOut:
        with svc.db.read_session() as s:
            return programme_out(store.get_programme(s, programme_id, who(request)))

    @post("/{programme_id:int}/sessions", sync_to_thread=True, guards=[COORDINATOR])
    def schedule(self, svc: Svc, request: Request, programme_id: FromPath[int],
                 data: JSONBody[NewSession]) -> SessionOut:
        """Schedule a session: dates and times, venue or online link, trainer, capacity.
        ``days`` (the days attendance is taken) defaults to every day from start to end."""
        with svc.db.transaction() as s:
            sess = store.create_session(
                s, who(request), programme_id, jurisdiction=data.jurisdiction, starts_at=local(data.starts_at),
                ends_at=local(data.ends_at), days=data.days, venue=data.venue, online_link=data.online_link,
                trainer=data.trainer, capacity=data.capacity, now=now(),
            )
            return one_session_out(s, sess)


class CategoryController(Controller):
    path = "/categories"
    tags = ["programmes"]

    @get("/", sync_to_thread=True)
    def in_force(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                 as_of: FromQuery[date | None] = None) -> rules.CategoryTable:
        """The classes of training in force (S2-2 7大类培训班)."""
        with svc.db.read_session() as s:
            return svc.policies.in_force(s, "training_categories", jurisdiction or who(request).jurisdiction,
                                         as_of or today())


# --- sessions, enrolment, attendance -------------------------------------------------


class SessionPatch(msgspec.Struct, forbid_unknown_fields=True):
    capacity: Annotated[int, msgspec.Meta(ge=1, le=100_000)] | None = None
    venue: Title | None = None
    online_link: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None
    trainer: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None


class Reason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class EnrolRequest(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: int | None = None


class EnrolmentOut(msgspec.Struct):
    id: int
    session_id: int
    worker_id: int
    worker_name: str | None
    programme_id: int
    title: str
    tier: str
    starts_at: datetime
    ends_at: datetime
    status: str
    waitlist_position: int | None
    promoted: bool
    requested_at: datetime
    seated_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    assessment_passed: bool | None
    completed_on: date | None


class SessionChange(msgspec.Struct):
    session: SessionOut
    promoted: list[EnrolmentOut]


class CancelOut(msgspec.Struct):
    enrolment: EnrolmentOut
    promoted: list[EnrolmentOut]


class BulkOut(msgspec.Struct):
    enrolled: int
    waitlisted: int
    enrolments: list[EnrolmentOut]


class Mark(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: int
    present: bool


class AttendanceIn(msgspec.Struct, forbid_unknown_fields=True):
    day: date
    records: Annotated[list[Mark], msgspec.Meta(min_length=1, max_length=10_000)]


class Result(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: int
    passed: bool


class AssessmentIn(msgspec.Struct, forbid_unknown_fields=True):
    records: Annotated[list[Result], msgspec.Meta(min_length=1, max_length=10_000)]


class SheetRowOut(msgspec.Struct):
    enrolment_id: int
    worker_id: int
    name: str | None
    post: str | None
    community_code: str | None
    status: str
    marks: list[bool | None]
    present_days: int
    percent: Decimal
    assessment_passed: bool | None
    completes: bool
    reason: str


class SheetOut(msgspec.Struct):
    session_id: int
    title: str
    days: list[date]
    threshold_percent: int
    assessment_required: bool
    rows: list[SheetRowOut]


class CloseOut(msgspec.Struct):
    session: SessionOut
    completed: int
    not_completed: int
    rows: list[SheetRowOut]


def enrolment_outs(s, views: list[store.EnrolmentView]) -> list[EnrolmentOut]:
    positions = store.waitlist_positions(s, views)
    return [
        EnrolmentOut(
            v.enrolment.id, v.session.id, v.enrolment.worker_id, v.worker.name if v.worker else None, v.programme.id,
            v.programme.title, v.programme.tier, zoned(v.session.starts_at), zoned(v.session.ends_at),
            v.enrolment.status, positions.get(v.enrolment.id), v.enrolment.promoted, utc(v.enrolment.requested_at),
            utc(v.enrolment.seated_at), utc(v.enrolment.cancelled_at), v.enrolment.cancel_reason, v.enrolment.assessment_passed,
            v.enrolment.completed_on,
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


def _sheet(svc, s, sess) -> SheetOut:
    prog, days, rows = store.attendance_sheet(s, svc.policies, sess)
    rule = svc.policies.in_force(s, "completion", sess.jurisdiction, days[-1])
    return SheetOut(sess.id, prog.title, days, rule.attendance_percent, prog.assessment_required, sheet_rows(days, rows))


def _export_sheet(sheet: SheetOut, starts_at: datetime) -> exports.Sheet:
    header = ["工号 worker_id", "姓名 name", "岗位 post", "社区 community", "状态 status"]
    header += [d.isoformat() for d in sheet.days]
    header += ["出勤天数 present", "出勤率% percent", "考核 assessment", "结业 completes"]
    rows = [
        [r.worker_id, r.name, r.post, r.community_code, r.status, *r.marks, r.present_days, str(r.percent),
         {True: "通过", False: "未通过", None: ""}[r.assessment_passed], "是" if r.completes else "否"]
        for r in sheet.rows
    ]
    title = f"{sheet.title} · 班次 {sheet.session_id} · {starts_at:%Y-%m-%d} · 签到表 (threshold {sheet.threshold_percent}%)"
    return exports.Sheet(title, sheet.days, header, rows, lead=5)


def _iso_date(raw: str | None, name: str) -> date | None:
    """``from`` is a Python keyword, so that query parameter is parsed here, and named right when wrong."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid("invalid_date", f"'{name}' must be a date as YYYY-MM-DD.", f"“{name}”须为 YYYY-MM-DD 格式的日期。",
                      field=name) from None


def _day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[first 00:00, the day after last 00:00): every session running on a day of the range."""
    if first and last and last < first:
        raise Invalid("range_reversed", "'to' is before 'from'.", "结束日期早于开始日期。", field="to")
    return (datetime.combine(first, time.min) if first else None,
            datetime.combine(last + timedelta(days=1), time.min) if last else None)


def _calendar(rows: list[tuple[CourseSession, Programme]], name: str) -> Response[str]:
    events = [
        exports.CalendarEvent(
            uid=f"training-session-{sess.id}@workforce", starts_at=sess.starts_at, ends_at=sess.ends_at,
            summary=f"{p.title}（{rules.TIER_NAMES.get(p.tier, p.tier)}）",
            location=sess.venue or sess.online_link,
            description=f"{from_ch(p.hours_ch)} h · {p.delivery} · {p.mode} · capacity {sess.capacity}"
                        + (f" · trainer {sess.trainer}" if sess.trainer else "") + f" · session {sess.id}",
            url=sess.online_link, cancelled=sess.status == "cancelled",
        )
        for sess, p in rows
    ]
    return Response(exports.icalendar(events, name, now()), media_type=exports.ICS_MEDIA_TYPE)


class SessionController(Controller):
    """Sessions: the calendar, enrolment with a waitlist, attendance, assessment, completion."""

    path = "/sessions"
    tags = ["sessions"]

    @get("/", sync_to_thread=True)
    def list_sessions(
        self, svc: Svc, request: Request, from_: Annotated[str | None, QueryParameter(name="from")] = None,
        to: FromQuery[date | None] = None, programme_id: FromQuery[int | None] = None,
        jurisdiction: FromQuery[str | None] = None, tier: FromQuery[str | None] = None,
        include_cancelled: FromQuery[bool] = False, limit: FromQuery[int] = 100, offset: FromQuery[int] = 0,
    ) -> Page[SessionOut]:
        """The calendar feed as JSON: sessions running on any day from ``from`` to ``to`` (inclusive)."""
        check_paging(limit, offset)
        start, end = _day_bounds(_iso_date(from_, "from"), to)
        with svc.db.read_session() as s:
            rows, total = store.list_sessions(
                s, who(request), starts_from=start, starts_before=end, programme_id=programme_id,
                jurisdiction=jurisdiction, tier=tier, include_cancelled=include_cancelled, limit=limit, offset=offset)
            c = store.counts(s, [x.id for x, _ in rows])
            return Page([session_out(x, p, c[x.id]) for x, p in rows], total, limit, offset)

    @get("/calendar.ics", sync_to_thread=True)
    def calendar(self, svc: Svc, request: Request, from_: Annotated[str | None, QueryParameter(name="from")] = None,
                 to: FromQuery[date | None] = None,
                 jurisdiction: FromQuery[str | None] = None, tier: FromQuery[str | None] = None) -> Response[str]:
        """The calendar feed as iCalendar (text/calendar), for a calendar application."""
        start, end = _day_bounds(_iso_date(from_, "from"), to)
        with svc.db.read_session() as s:
            rows, _ = store.list_sessions(s, who(request), starts_from=start, starts_before=end, programme_id=None,
                                          jurisdiction=jurisdiction, tier=tier, include_cancelled=True,
                                          limit=5000, offset=0)
        return _calendar(rows, "社区工作者培训 training sessions")

    @get("/{session_id:int}", sync_to_thread=True)
    def get_session(self, svc: Svc, request: Request, session_id: FromPath[int]) -> SessionOut:
        with svc.db.read_session() as s:
            return one_session_out(s, store.session_for(s, session_id, who(request)))

    @patch("/{session_id:int}", sync_to_thread=True, guards=[COORDINATOR])
    def change(self, svc: Svc, request: Request, session_id: FromPath[int], data: JSONBody[SessionPatch]) -> SessionChange:
        """Change capacity, venue, link or trainer. Capacity may not fall below the
        enrolled count; more capacity seats the head of the waitlist at once."""
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
        with svc.db.transaction() as s:
            sess, promoted = store.update_session(s, who(request), session_id, changes, now())
            return SessionChange(one_session_out(s, sess), enrolment_outs_by_id(s, [e.id for e in promoted]))

    @post("/{session_id:int}/cancel", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def cancel(self, svc: Svc, request: Request, session_id: FromPath[int], data: JSONBody[Reason]) -> SessionOut:
        with svc.db.transaction() as s:
            sess = store.cancel_session(s, who(request), session_id, data.reason, now())
            return one_session_out(s, sess)

    @post("/{session_id:int}/enrolments", sync_to_thread=True)
    def enrol(self, svc: Svc, request: Request, session_id: FromPath[int], data: JSONBody[EnrolRequest]) -> EnrolmentOut:
        """Enrol a worker (a worker enrols themself; a coordinator names the worker).
        A free seat is taken at once, else the worker joins the end of the waitlist."""
        principal = who(request)
        if principal.role is Role.worker:
            worker_id = data.worker_id if data.worker_id is not None else principal.worker_id
            source = "self"
        elif principal.role in (Role.training_coordinator, Role.admin):
            if data.worker_id is None:
                raise Invalid("worker_id_required", "Name the worker to enrol.", "请指定报名的社区工作者。", field="worker_id")
            worker_id, source = data.worker_id, "coordinator"
        else:
            raise Forbidden("role_not_allowed", f"Role '{principal.role.value}' may not enrol workers.",
                            f"角色“{principal.role.value}”无权报名。", clause="D-8")
        if worker_id is None:
            raise NotFound("worker record for", "职工档案", principal.sub)
        with svc.db.transaction() as s:
            e = store.enrol(s, svc.policies, session_id=session_id, worker_id=worker_id, principal=principal,
                            source=source, by=principal.sub, now=now())
            return enrolment_outs_by_id(s, [e.id])[0]

    @get("/{session_id:int}/enrolments", sync_to_thread=True, guards=[COORDINATOR])
    def enrolments(self, svc: Svc, request: Request, session_id: FromPath[int],
                   status: FromQuery[str | None] = None) -> list[EnrolmentOut]:
        """The session's list: seated workers and the waitlist in order."""
        principal = who(request)
        with svc.db.read_session() as s:
            sess = store.session_for(s, session_id, principal)
            views = store.enrolment_views(s, session_id=session_id, status=status)
            if not principal.covers(sess.jurisdiction):  # a district sees its own workers in a city session (D-8)
                views = [v for v in views if v.worker is not None and principal.covers(v.worker.jurisdiction)]
            return enrolment_outs(s, views)

    @post("/{session_id:int}/attendance", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def take_attendance(self, svc: Svc, request: Request, session_id: FromPath[int],
                        data: JSONBody[AttendanceIn]) -> SheetOut:
        """Present or absent on one session day; a day outside the session is refused."""
        with svc.db.transaction() as s:
            sess = store.record_attendance(s, who(request), session_id, data.day,
                                           [(m.worker_id, m.present) for m in data.records], now())
            return _sheet(svc, s, sess)

    @get("/{session_id:int}/attendance", sync_to_thread=True, guards=[COORDINATOR])
    def attendance(self, svc: Svc, request: Request, session_id: FromPath[int]) -> SheetOut:
        """The sheet of whoever runs the session: marks per day and where each seated worker stands."""
        with svc.db.read_session() as s:
            return _sheet(svc, s, store.session_for(s, session_id, who(request), write=True))

    @get("/{session_id:int}/attendance.csv", sync_to_thread=True, guards=[COORDINATOR])
    def attendance_csv(self, svc: Svc, request: Request, session_id: FromPath[int]) -> Response[bytes]:
        with svc.db.read_session() as s:
            sess = store.session_for(s, session_id, who(request), write=True)
            sheet = _export_sheet(_sheet(svc, s, sess), sess.starts_at)
        return Response(exports.sheet_csv(sheet), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="attendance-session-{session_id}.csv"'})

    @get("/{session_id:int}/attendance.xlsx", sync_to_thread=True, guards=[COORDINATOR])
    def attendance_xlsx(self, svc: Svc, request: Request, session_id: FromPath[int]) -> Response[bytes]:
        with svc.db.read_session() as s:
            sess = store.session_for(s, session_id, who(request), write=True)
            sheet = _export_sheet(_sheet(svc, s, sess), sess.starts_at)
        return Response(exports.sheet_xlsx(sheet), media_type=exports.XLSX_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="attendance-session-{session_id}.xlsx"'})

    @post("/{session_id:int}/assessments", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def assess(self, svc: Svc, request: Request, session_id: FromPath[int], data: JSONBody[AssessmentIn]) -> SheetOut:
        """Record the course assessment (passed or not) of seated workers."""
        with svc.db.transaction() as s:
            sess = store.record_assessments(s, who(request), session_id, [(r.worker_id, r.passed) for r in data.records])
            return _sheet(svc, s, sess)

    @post("/{session_id:int}/close", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def close(self, svc: Svc, request: Request, session_id: FromPath[int]) -> CloseOut:
        """After the last day: each seated worker completes (attendance at the threshold and
        assessment passed) or not. Completion credits hours and CPD hours and publishes
        session.completed and cpd.credited."""
        with svc.db.transaction() as s:
            sess, rows = store.close_session(s, svc.policies, who(request), session_id, today(), now())
            days = store.session_days_of(sess)
            out = sheet_rows(days, rows)
            return CloseOut(one_session_out(s, sess), sum(r.completes for r in out),
                            sum(not r.completes for r in out), out)


class EnrolmentController(Controller):
    path = "/enrolments"
    tags = ["sessions"]

    @post("/import", sync_to_thread=True, guards=[COORDINATOR])
    def bulk(self, svc: Svc, request: Request, body: RawBody) -> BulkOut:
        """Bulk enrolment from CSV (columns session_id, worker_id), in file order. One bad
        row and nothing is written; the problem lists every bad row as ``row <line>.<column>``."""
        principal = who(request)
        with svc.db.transaction() as s:
            done = store.bulk_enrol(s, svc.policies, body, principal, now())
            outs = enrolment_outs_by_id(s, [e.id for e in done])
        return BulkOut(sum(o.status == "enrolled" for o in outs), sum(o.status == "waitlisted" for o in outs), outs)

    @get("/{enrolment_id:int}", sync_to_thread=True)
    def get_enrolment(self, svc: Svc, request: Request, enrolment_id: FromPath[int]) -> EnrolmentOut:
        with svc.db.read_session() as s:
            store.get_enrolment(s, enrolment_id, who(request))
            return enrolment_outs_by_id(s, [enrolment_id])[0]

    @post("/{enrolment_id:int}/cancel", sync_to_thread=True, status_code=200)
    def cancel(self, svc: Svc, request: Request, enrolment_id: FromPath[int], data: JSONBody[Reason]) -> CancelOut:
        """Cancel by the worker or a coordinator; a freed seat goes to the head of the waitlist at once."""
        principal = who(request)
        if principal.role not in (Role.worker, Role.training_coordinator, Role.admin):
            raise NotFound("enrolment", "报名记录", enrolment_id)
        with svc.db.transaction() as s:
            e, promoted = store.cancel_enrolment(s, enrolment_id, principal, data.reason, principal.sub, now())
            return CancelOut(enrolment_outs_by_id(s, [e.id])[0], enrolment_outs_by_id(s, [p.id for p in promoted]))


# --- the ledger, obligations, compliance, statistics ---------------------------------


class CreditOut(msgspec.Struct):
    enrolment_id: int
    session_id: int
    programme_id: int
    title: str
    tier: str
    category: str
    delivery: str
    location: str
    hours: Decimal
    cpd_hours: Decimal
    completed_on: date


class LedgerYear(msgspec.Struct):
    year: int
    programmes: int
    hours: Decimal
    cpd_hours: Decimal
    by_tier: dict[str, Decimal]
    by_category: dict[str, Decimal]


class LedgerOut(msgspec.Struct):
    worker_id: int
    name: str
    post: str
    jurisdiction: str
    total_hours: Decimal
    total_cpd_hours: Decimal
    years: list[LedgerYear]
    credits: list[CreditOut]


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


class ObligationsOut(msgspec.Struct):
    worker_id: int
    post: str
    year: int
    as_of: date
    obligations: list[rules.Obligation]


class ComplianceRow(msgspec.Struct):
    worker_id: int
    name: str
    post: str
    jurisdiction: str
    community_code: str | None
    kind: str
    status: str
    unit: str
    required: Decimal
    done: Decimal
    shortfall: Decimal
    shortfall_days: Decimal | None
    due_on: date
    clause: str


class ComplianceOut(msgspec.Struct):
    jurisdiction: str
    year: int
    as_of: date
    workers_checked: int
    behind: int
    open: int
    rows: list[ComplianceRow]
    clause: str = "D-6"


class StatisticsOut(msgspec.Struct):
    """S3-7 person-times (人次) and S2-2 spend against the year's budget."""

    jurisdiction: str
    year: int
    sessions: int
    person_times: int
    completed_person_times: int
    workers: int
    hours: Decimal
    cpd_hours: Decimal
    by_tier: dict[str, int]
    by_category: dict[str, int]
    by_location: dict[str, int]
    by_delivery: dict[str, int]
    spend_fen: int
    budget_fen: int
    budget_left_fen: int
    budget_used_percent: Decimal
    budget_jurisdiction: str
    clauses: list[str]


def _worker_for(s, request: Request, worker_id: int) -> RosterWorker:
    w = s.get(RosterWorker, worker_id)
    if w is None:
        raise NotFound("worker", "社区工作者", worker_id)
    ensure_visible(who(request), w.jurisdiction, w.worker_id, "worker", "社区工作者", worker_id)
    return w


def _obligations(svc, s, w: RosterWorker, year: int | None, as_of: date | None) -> ObligationsOut:
    as_of = as_of or today()
    year = year or as_of.year
    return ObligationsOut(w.worker_id, w.post, year, as_of, store.worker_obligations(s, svc.policies, w, year, as_of))


class WorkerRecordsController(Controller):
    """One worker's training records; another person's answer 404 (D-8)."""

    path = "/workers/{worker_id:int}"
    tags = ["ledger"]

    @get("/ledger", sync_to_thread=True)
    def ledger(self, svc: Svc, request: Request, worker_id: FromPath[int],
               year: FromQuery[int | None] = None) -> LedgerOut:
        with svc.db.read_session() as s:
            w = _worker_for(s, request, worker_id)
            return ledger_out(w, store.credits_of(s, worker_id, year))

    @get("/enrolments", sync_to_thread=True)
    def enrolments(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> list[EnrolmentOut]:
        with svc.db.read_session() as s:
            _worker_for(s, request, worker_id)
            return enrolment_outs(s, store.enrolment_views(s, worker_id=worker_id))

    @get("/obligations", sync_to_thread=True)
    def obligations(self, svc: Svc, request: Request, worker_id: FromPath[int], year: FromQuery[int | None] = None,
                    as_of: FromQuery[date | None] = None) -> ObligationsOut:
        """D-6 for one worker: induction within probation; 7 days a year for 正职; one programme in 2 years."""
        with svc.db.read_session() as s:
            return _obligations(svc, s, _worker_for(s, request, worker_id), year, as_of)


def _me(s, request: Request) -> RosterWorker:
    principal = who(request)
    w = s.get(RosterWorker, principal.worker_id) if principal.worker_id is not None else None
    if w is None:
        raise NotFound("training record for", "培训档案", principal.sub)
    return w


class MeController(Controller):
    """The calling worker's own training: ledger, enrolments, obligations, calendar."""

    path = "/me"
    tags = ["me"]

    @get("/ledger", sync_to_thread=True)
    def ledger(self, svc: Svc, request: Request, year: FromQuery[int | None] = None) -> LedgerOut:
        with svc.db.read_session() as s:
            w = _me(s, request)
            return ledger_out(w, store.credits_of(s, w.worker_id, year))

    @get("/enrolments", sync_to_thread=True)
    def enrolments(self, svc: Svc, request: Request) -> list[EnrolmentOut]:
        with svc.db.read_session() as s:
            w = _me(s, request)
            return enrolment_outs(s, store.enrolment_views(s, worker_id=w.worker_id))

    @get("/obligations", sync_to_thread=True)
    def obligations(self, svc: Svc, request: Request, year: FromQuery[int | None] = None,
                    as_of: FromQuery[date | None] = None) -> ObligationsOut:
        with svc.db.read_session() as s:
            return _obligations(svc, s, _me(s, request), year, as_of)

    @get("/calendar.ics", sync_to_thread=True)
    def calendar(self, svc: Svc, request: Request) -> Response[str]:
        """The sessions I hold a place in (or wait for), as iCalendar."""
        with svc.db.read_session() as s:
            w = _me(s, request)
            views = [v for v in store.enrolment_views(s, worker_id=w.worker_id) if v.enrolment.status != "cancelled"]
        return _calendar([(v.session, v.programme) for v in views], f"{w.name} 的培训 my training")


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]
    guards = [COORDINATOR]

    @get("/compliance", sync_to_thread=True)
    def compliance(self, svc: Svc, request: Request, year: FromQuery[int | None] = None,
                   jurisdiction: FromQuery[str | None] = None, as_of: FromQuery[date | None] = None) -> ComplianceOut:
        """Who is behind on D-6 in a jurisdiction, and by how much (open: not yet due)."""
        principal = who(request)
        scope = jurisdiction or principal.jurisdiction
        require_jurisdiction(principal, scope)
        as_of = as_of or today()
        year = year or as_of.year
        with svc.db.read_session() as s:
            checked, lines = store.compliance(s, svc.policies, scope, year, as_of)
        rows = [ComplianceRow(
            x.worker.worker_id, x.worker.name, x.worker.post, x.worker.jurisdiction, x.worker.community_code,
            x.obligation.kind, x.obligation.status, x.obligation.unit, x.obligation.required, x.obligation.done,
            x.obligation.shortfall, x.obligation.shortfall_days, x.obligation.due_on, x.obligation.clause,
        ) for x in lines]
        return ComplianceOut(scope, year, as_of, checked, sum(r.status == "behind" for r in rows),
                             sum(r.status == "open" for r in rows), rows)

    @get("/statistics", sync_to_thread=True)
    def statistics(self, svc: Svc, request: Request, year: FromQuery[int | None] = None,
                   jurisdiction: FromQuery[str | None] = None) -> StatisticsOut:
        """Person-times (人次, S3-7) of the sessions run in a year, and spend against the budget (S2-2)."""
        principal = who(request)
        scope = jurisdiction or principal.jurisdiction
        require_jurisdiction(principal, scope)
        year = year or today().year
        if not 2000 <= year <= 2100:
            raise Invalid("invalid_year", "year must be 2000..2100.", "年份须在 2000..2100 之间。", field="year")
        with svc.db.read_session() as s:
            st = store.statistics(s, svc.policies, scope, year)
        used = (Decimal(st.spend_fen * 100) / Decimal(st.budget_fen)).quantize(Decimal("0.01")) if st.budget_fen else Decimal(0)
        return StatisticsOut(
            scope, year, st.sessions, st.person_times, st.completed_person_times, st.workers, from_ch(st.hours_ch),
            from_ch(st.cpd_hours_ch), st.by_tier, st.by_category, st.by_location, st.by_delivery, st.spend_fen,
            st.budget_fen, st.budget_fen - st.spend_fen, used, st.budget_jurisdiction, ["S3-7", "S2-2"],
        )


# --- places abroad (S2-3) ---------------------------------------------------------


class NewSelection(msgspec.Struct, forbid_unknown_fields=True):
    year: Year
    worker_id: int
    note: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class SelectionOut(msgspec.Struct):
    id: int
    year: int
    worker_id: int
    jurisdiction: str
    note: str | None
    selected_by: str
    selected_at: datetime


def selection_out(x: AbroadSelection) -> SelectionOut:
    return SelectionOut(x.id, x.year, x.worker_id, x.jurisdiction, x.note, x.selected_by, utc(x.selected_at))


class AbroadController(Controller):
    """The yearly selection list for study abroad (S2-3 每一年选派优秀社区工作者"出境学")."""

    path = "/abroad-selections"
    tags = ["programmes"]

    @post("/", sync_to_thread=True, guards=[COORDINATOR])
    def select(self, svc: Svc, request: Request, data: JSONBody[NewSelection]) -> SelectionOut:
        with svc.db.transaction() as s:
            return selection_out(store.select_abroad(s, svc.policies, who(request), data.year, data.worker_id,
                                                     data.note, now()))

    @get("/", sync_to_thread=True)
    def list_selected(self, svc: Svc, request: Request, year: FromQuery[int | None] = None) -> list[SelectionOut]:
        with svc.db.read_session() as s:
            return [selection_out(x) for x in store.list_abroad(s, who(request), year)]

    @delete("/{selection_id:int}", sync_to_thread=True, guards=[COORDINATOR])
    def remove(self, svc: Svc, request: Request, selection_id: FromPath[int]) -> None:
        with svc.db.transaction() as s:
            store.remove_abroad(s, who(request), selection_id)


ROUTES = [
    RosterController, ProgrammeController, CategoryController, SessionController, EnrolmentController,
    WorkerRecordsController, MeController, ReportController, AbroadController,
]
