"""Entries for the professional-title exam (职称考试, S3-7): one per worker,
year and level, and the result once known."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certs_service.states import EXAM_ENTRY, ExamResult
from certs_service.store.certificates import check_level
from certs_service.store.profiles import profile_to_write
from certs_service.tables import ExamEntry, Profile
from shared.auth import Principal
from shared.db import in_jurisdiction as in_scope
from shared.errors import Conflict, Invalid, NotFound, refuse_future
from shared.paging import fetch_page


def enter_exam(session: Session, principal: Principal, *, worker_id: int, exam_year: int, level: str,
               entered_on: date, today: date, now: datetime) -> ExamEntry:
    """S3-7 积极组织…社区工作者参加职称考试: one entry per worker, year and level."""
    profile_to_write(session, principal, worker_id)
    check_level(level)
    refuse_future(entered_on, today, "entered_on", clause="S3-7")
    if not entered_on.year - 1 <= exam_year <= entered_on.year + 1:
        raise Invalid("exam_year_mismatch", f"Exam year {exam_year} does not fit the entry date {entered_on}.",
                      f"考试年度 {exam_year} 与报名日期 {entered_on} 不符。", field="exam_year", clause="S3-7")
    if session.execute(select(ExamEntry.id).where(ExamEntry.worker_id == worker_id, ExamEntry.exam_year == exam_year,
                                                  ExamEntry.level == level)).first():
        raise Conflict("exam_entry_exists", f"Worker {worker_id} is already entered for {level} in {exam_year}.",
                       f"该社工已报名 {exam_year} 年{level}考试。", field="level", clause="S3-7")
    entry = ExamEntry(worker_id=worker_id, exam_year=exam_year, level=level, entered_on=entered_on,
                      result=ExamResult.pending, recorded_by=principal.sub, created_at=now)
    session.add(entry)
    session.flush()
    return entry


def record_exam_result(session: Session, principal: Principal, entry_id: int, result: str) -> ExamEntry:
    """The exam's result, passed or failed; a recorded result may be corrected."""
    entry = session.get(ExamEntry, entry_id)
    if entry is None:
        raise NotFound("exam entry", "考试报名", entry_id)
    profile_to_write(session, principal, entry.worker_id, field="entry_id")
    if result not in (ExamResult.passed, ExamResult.failed):
        raise Invalid("unknown_result", "result is passed or failed.", "考试结果应为 passed 或 failed。",
                      field="result")
    if result != entry.result:
        entry.result = EXAM_ENTRY.move(entry.result, ExamResult(result), field="result")
    session.flush()
    return entry


def exam_summary(session: Session, scope: str, exam_year: int) -> tuple[int, dict[str, dict[str, int]]]:
    """S3-7 entries of a year in ``scope``: total, and per level per result."""
    rows = session.execute(
        select(ExamEntry.level, ExamEntry.result, func.count())
        .join(Profile, Profile.worker_id == ExamEntry.worker_id)
        .where(ExamEntry.exam_year == exam_year, in_scope(Profile.jurisdiction, scope))
        .group_by(ExamEntry.level, ExamEntry.result)
    ).all()
    by_level: dict[str, dict[str, int]] = {}
    for level, result, n in rows:
        by_level.setdefault(level, {r.value: 0 for r in ExamResult})[result] = n
    return sum(n for _, _, n in rows), by_level


def list_exam_entries(session: Session, scope: str, exam_year: int | None, limit: int,
                      offset: int) -> tuple[list[tuple[ExamEntry, Profile]], int]:
    q = (select(ExamEntry, Profile).join(Profile, Profile.worker_id == ExamEntry.worker_id)
         .where(in_scope(Profile.jurisdiction, scope)))
    if exam_year is not None:
        q = q.where(ExamEntry.exam_year == exam_year)
    page, total = fetch_page(session, q, [ExamEntry.id], limit, offset)
    return list(page.all()), total
