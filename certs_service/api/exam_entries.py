"""Entries for the professional-title exam (职称考试, S3-7)."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from certs_service import store
from certs_service.api.common import caller, officer
from certs_service.api.schemas import ExamEntryOut, ExamResult, ExamSummary, NewExamEntry
from certs_service.api.views import exam_out
from certs_service.tables import Profile
from shared.paging import Page, check_paging
from shared.types import IdArg, OptYearArg, YearArg
from shared.web import Svc, now, today


class ExamEntryController(Controller):
    """Entries for the professional-title exam (职称考试, S3-7)."""

    path = "/exam-entries"
    tags = ["certificates"]
    guards = [officer]

    @post("/", sync_to_thread=True)
    def enter(self, svc: Svc, request: Request, data: JSONBody[NewExamEntry]) -> ExamEntryOut:
        with svc.db.transaction() as s:
            e = store.enter_exam(s, caller(request), worker_id=data.worker_id, exam_year=data.exam_year,
                                 level=data.level, entered_on=data.entered_on, today=today(), now=now())
            return exam_out(e, s.get(Profile, e.worker_id))

    @post("/{entry_id:int}/result", sync_to_thread=True, status_code=200)
    def result(self, svc: Svc, request: Request, entry_id: FromPath[IdArg], data: JSONBody[ExamResult]) -> ExamEntryOut:
        with svc.db.transaction() as s:
            e = store.record_exam_result(s, caller(request), entry_id, data.result)
            return exam_out(e, s.get(Profile, e.worker_id))

    @get("/", sync_to_thread=True)
    def list_entries(self, svc: Svc, request: Request, exam_year: FromQuery[OptYearArg] = None,
                     jurisdiction: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                     offset: FromQuery[int] = 0) -> Page[ExamEntryOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_exam_entries(s, store.scope_of(caller(request), jurisdiction), exam_year,
                                                  limit, offset)
            return Page([exam_out(e, p) for e, p in rows], total, limit, offset)

    @get("/summary", sync_to_thread=True)
    def summary(self, svc: Svc, request: Request, exam_year: FromQuery[YearArg],
                jurisdiction: FromQuery[str | None] = None) -> ExamSummary:
        """How many entered the exam of a year (S3-7 组织194名社区工作者参加职称考试)."""
        scope = store.scope_of(caller(request), jurisdiction)
        with svc.db.read_session() as s:
            total, by_level = store.exam_summary(s, scope, exam_year)
            return ExamSummary(exam_year, scope, total, by_level)
