"""``/sessions``: the calendar, enrolment with a waitlist, attendance,
assessment and completion."""
from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Response

from shared.auth import Role
from shared.errors import Forbidden, Invalid, NotFound
from shared.paging import Page, check_paging
from shared.tabular import XLSX_MEDIA_TYPE
from shared.types import IdArg, OptIdArg
from shared.web import Svc, now, today
from training_service import exports, store
from training_service.api.common import COORDINATOR, ENROLLERS, day_bounds, iso_date, who
from training_service.api.schemas import (
    AssessmentIn,
    AttendanceIn,
    CloseOut,
    EnrolmentOut,
    EnrolRequest,
    Reason,
    SessionChange,
    SessionOut,
    SessionPatch,
    SheetOut,
)
from training_service.api.views import (
    calendar,
    enrolment_outs,
    enrolment_outs_by_id,
    export_sheet,
    one_session_out,
    session_out,
    sheet_out,
    sheet_rows,
)

From = Annotated[str | None, QueryParameter(name="from")]


def enrolling(principal, worker_id: int | None) -> tuple[int | None, str]:
    """Who is enrolled and by whom: a worker enrols themself, a coordinator
    (or admin) names the worker; other roles may not (D-8)."""
    if principal.role is Role.worker:
        return (worker_id if worker_id is not None else principal.worker_id), "self"
    if principal.role in (Role.training_coordinator, Role.admin):
        if worker_id is None:
            raise Invalid("worker_id_required", "Name the worker to enrol.", "请指定报名的社区工作者。",
                          field="worker_id")
        return worker_id, "coordinator"
    raise Forbidden("role_not_allowed", f"Role '{principal.role.value}' may not enrol workers.",
                    f"角色“{principal.role.value}”无权报名。", clause="D-8")


class SessionController(Controller):
    """Sessions: the calendar, enrolment with a waitlist, attendance, assessment, completion."""

    path = "/sessions"
    tags = ["sessions"]

    @get("/", sync_to_thread=True)
    def list_sessions(
        self, svc: Svc, request: Request, from_: From = None,
        to: FromQuery[date | None] = None, programme_id: FromQuery[OptIdArg] = None,
        jurisdiction: FromQuery[str | None] = None, tier: FromQuery[str | None] = None,
        include_cancelled: FromQuery[bool] = False, limit: FromQuery[int] = 100, offset: FromQuery[int] = 0,
    ) -> Page[SessionOut]:
        """The calendar feed as JSON: sessions running on any day from ``from`` to ``to`` (inclusive)."""
        check_paging(limit, offset)
        start, end = day_bounds(iso_date(from_, "from"), to)
        with svc.db.read_session() as s:
            rows, total = store.list_sessions(
                s, who(request), starts_from=start, starts_before=end, programme_id=programme_id,
                jurisdiction=jurisdiction, tier=tier, include_cancelled=include_cancelled, limit=limit, offset=offset)
            c = store.counts(s, [x.id for x, _ in rows])
            return Page([session_out(x, p, c[x.id]) for x, p in rows], total, limit, offset)

    @get("/calendar.ics", sync_to_thread=True, media_type="text/calendar")
    def calendar(self, svc: Svc, request: Request, from_: From = None, to: FromQuery[date | None] = None,
                 jurisdiction: FromQuery[str | None] = None, tier: FromQuery[str | None] = None) -> Response[str]:
        """The calendar feed as iCalendar (text/calendar), for a calendar application."""
        start, end = day_bounds(iso_date(from_, "from"), to)
        with svc.db.read_session() as s:
            rows, _ = store.list_sessions(s, who(request), starts_from=start, starts_before=end, programme_id=None,
                                          jurisdiction=jurisdiction, tier=tier, include_cancelled=True,
                                          limit=5000, offset=0)
        return calendar(rows, "社区工作者培训 training sessions")

    @get("/{session_id:int}", sync_to_thread=True)
    def get_session(self, svc: Svc, request: Request, session_id: FromPath[IdArg]) -> SessionOut:
        with svc.db.read_session() as s:
            return one_session_out(s, store.session_for(s, session_id, who(request)))

    @patch("/{session_id:int}", sync_to_thread=True, guards=[COORDINATOR])
    def change(
        self, svc: Svc, request: Request, session_id: FromPath[IdArg], data: JSONBody[SessionPatch],
    ) -> SessionChange:
        """Change capacity, venue, link or trainer. Capacity may not fall below the
        enrolled count; more capacity seats the head of the waitlist at once."""
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
        with svc.db.transaction() as s:
            sess, promoted = store.update_session(s, who(request), session_id, changes, now())
            return SessionChange(one_session_out(s, sess), enrolment_outs_by_id(s, [e.id for e in promoted]))

    @post("/{session_id:int}/cancel", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def cancel(self, svc: Svc, request: Request, session_id: FromPath[IdArg], data: JSONBody[Reason]) -> SessionOut:
        with svc.db.transaction() as s:
            sess = store.cancel_session(s, who(request), session_id, data.reason, now())
            return one_session_out(s, sess)

    @post("/{session_id:int}/enrolments", sync_to_thread=True, guards=[ENROLLERS])
    def enrol(
        self, svc: Svc, request: Request, session_id: FromPath[IdArg], data: JSONBody[EnrolRequest],
    ) -> EnrolmentOut:
        """Enrol a worker (a worker enrols themself; a coordinator names the worker).
        A free seat is taken at once, else the worker joins the end of the waitlist."""
        principal = who(request)
        worker_id, source = enrolling(principal, data.worker_id)
        if worker_id is None:
            raise NotFound("worker record for", "职工档案", principal.sub)
        with svc.db.transaction() as s:
            e = store.enrol(s, svc.policies, session_id=session_id, worker_id=worker_id, principal=principal,
                            source=source, by=principal.sub, now=now())
            return enrolment_outs_by_id(s, [e.id])[0]

    @get("/{session_id:int}/enrolments", sync_to_thread=True, guards=[COORDINATOR])
    def enrolments(self, svc: Svc, request: Request, session_id: FromPath[IdArg],
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
    def take_attendance(self, svc: Svc, request: Request, session_id: FromPath[IdArg],
                        data: JSONBody[AttendanceIn]) -> SheetOut:
        """Present or absent on one session day; a day outside the session, or one
        after today, is refused."""
        with svc.db.transaction() as s:
            sess = store.record_attendance(s, who(request), session_id, data.day,
                                           [(m.worker_id, m.present) for m in data.records], today(), now())
            return sheet_out(svc, s, sess)

    @get("/{session_id:int}/attendance", sync_to_thread=True, guards=[COORDINATOR])
    def attendance(self, svc: Svc, request: Request, session_id: FromPath[IdArg]) -> SheetOut:
        """The sheet of whoever runs the session: marks per day and where each seated worker stands."""
        with svc.db.read_session() as s:
            return sheet_out(svc, s, store.session_for(s, session_id, who(request), write=True))

    @get("/{session_id:int}/attendance.csv", sync_to_thread=True, guards=[COORDINATOR])
    def attendance_csv(self, svc: Svc, request: Request, session_id: FromPath[IdArg]) -> Response[bytes]:
        with svc.db.read_session() as s:
            sess = store.session_for(s, session_id, who(request), write=True)
            sheet = export_sheet(sheet_out(svc, s, sess), sess.starts_at)
        return Response(exports.sheet_csv(sheet), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="attendance-session-{session_id}.csv"'})

    @get("/{session_id:int}/attendance.xlsx", sync_to_thread=True, guards=[COORDINATOR])
    def attendance_xlsx(self, svc: Svc, request: Request, session_id: FromPath[IdArg]) -> Response[bytes]:
        with svc.db.read_session() as s:
            sess = store.session_for(s, session_id, who(request), write=True)
            sheet = export_sheet(sheet_out(svc, s, sess), sess.starts_at)
        return Response(exports.sheet_xlsx(sheet), media_type=XLSX_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="attendance-session-{session_id}.xlsx"'})

    @post("/{session_id:int}/assessments", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def assess(self, svc: Svc, request: Request, session_id: FromPath[IdArg], data: JSONBody[AssessmentIn]) -> SheetOut:
        """Record the course assessment (passed or not) of seated workers."""
        with svc.db.transaction() as s:
            sess = store.record_assessments(s, who(request), session_id,
                                            [(r.worker_id, r.passed) for r in data.records])
            return sheet_out(svc, s, sess)

    @post("/{session_id:int}/close", sync_to_thread=True, guards=[COORDINATOR], status_code=200)
    def close(self, svc: Svc, request: Request, session_id: FromPath[IdArg]) -> CloseOut:
        """After the last day: each seated worker completes (attendance at the threshold and
        assessment passed) or not. Completion credits hours and CPD hours and publishes
        session.completed and cpd.credited."""
        with svc.db.transaction() as s:
            sess, rows = store.close_session(s, svc.policies, who(request), session_id, today(), now())
            days = store.session_days_of(sess)
            out = sheet_rows(days, rows)
            return CloseOut(one_session_out(s, sess), sum(r.completes for r in out),
                            sum(not r.completes for r in out), out)
