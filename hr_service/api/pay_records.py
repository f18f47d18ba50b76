"""A worker's records the payroll reads: the wage contributions are declared
on for a year (D-14) and unpaid absence (D-15)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody
from litestar.response import Response

from hr_service import store
from hr_service.pay.tables import ContributionWage, UnpaidAbsence
from hr_service.store import pay_records
from shared.auth import Role, requires
from shared.policy import PolicyBook
from shared.types import IdArg, YearArg
from shared.web import Svc, now, today

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class WageIn(msgspec.Struct, forbid_unknown_fields=True):
    wage_fen: int
    reason: Reason


class ContributionWageOut(msgspec.Struct):
    """D-14: a contribution year's declared wage (``basis``: last_year_average,
    starting_wage, declared) and ``base_fen``, the wage held within the floor
    and ceiling of the insurance policy on 1 July of the year (today for a year
    not yet that far; null before the first insurance policy)."""

    year: int
    wage_fen: int
    basis: str
    base_fen: int | None
    reason: str | None
    recorded_by: str
    recorded_at: datetime


class WageDeclaredOut(ContributionWageOut):
    """``applies_from``: the first month of the year (or of the hire) without a
    closed payslip of the worker; null when every month is paid."""

    applies_from: str | None = None


def wage_out(book: PolicyBook, c: ContributionWage, jurisdiction: str, day: date) -> ContributionWageOut:
    return ContributionWageOut(c.year, c.wage_fen, c.basis,
                               pay_records.base_fen(book, jurisdiction, c.year, c.wage_fen, day),
                               c.reason, c.recorded_by, c.recorded_at)


class ContributionWageController(Controller):
    path = "/workers/{worker_id:int}/contribution-wages"
    tags = ["pay"]

    @get("/", sync_to_thread=True)
    def wages(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[ContributionWageOut]:
        """D-14: the worker's contribution wage of each year recorded, by year."""
        day = today()
        with svc.db.read_session() as s:
            w = store.visible_worker(s, request.user, worker_id)
            book = svc.policies.book(s, ("insurance",))
            return [wage_out(book, c, w.jurisdiction, day) for c in pay_records.contribution_wages(s, w.id)]

    @put("/{year:int}", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def declare(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], year: FromPath[YearArg],
                data: JSONBody[WageIn]) -> Response[WageDeclaredOut]:
        """D-14: HR declares the wage of a contribution year (from the hire year
        to next year; 422 ``year`` otherwise, ``wage_fen`` above 0): 201 new, 200
        replacing the one recorded. The months of the year already closed keep
        what they charged; it applies from ``applies_from``."""
        day = today()
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            done = pay_records.declare_wage(s, w, year=year, wage_fen=data.wage_fen, reason=data.reason,
                                            actor=request.user.sub, now=now(), today=day)
            shown = wage_out(svc.policies.book(s, ("insurance",)), done.row, w.jurisdiction, day)
            out = WageDeclaredOut(**msgspec.structs.asdict(shown), applies_from=done.applies_from)
        return Response(out, status_code=201 if done.created else 200)


class AbsenceIn(msgspec.Struct, forbid_unknown_fields=True):
    first_day: date
    last_day: date
    reason: Reason


class AbsenceOut(msgspec.Struct):
    id: int
    worker_id: int
    first_day: date
    last_day: date
    reason: str
    recorded_by: str
    recorded_at: datetime


class AbsenceRecordedOut(AbsenceOut):
    """``closed_months``: the months of the absence already paid by a closed
    pay run, made good by the next one (``rechecked``)."""

    closed_months: list[str] = []
    rechecked: bool = False


def absence_out(a: UnpaidAbsence) -> AbsenceOut:
    return AbsenceOut(a.id, a.worker_id, a.first_day, a.last_day, a.reason, a.recorded_by, a.recorded_at)


class UnpaidAbsenceController(Controller):
    """D-15 unpaid absence (事假): its weekdays come off the paid days of its months."""

    path = "/workers/{worker_id:int}/unpaid-absences"
    tags = ["pay"]

    @get("/", sync_to_thread=True)
    def absences(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[AbsenceOut]:
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [absence_out(a) for a in pay_records.absences(s, worker_id)]

    @post("/", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def record(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
               data: JSONBody[AbsenceIn]) -> AbsenceRecordedOut:
        """Record days of unpaid absence, first to last day inclusive: 422 for
        ``last_day`` before ``first_day``, a day off the rolls (before the hire,
        after the last day) or a ``first_day`` after today; 409
        ``absence_overlaps`` over another. Months already paid are made good by
        the next pay run (D-12)."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            done = pay_records.record_absence(s, w, first_day=data.first_day, last_day=data.last_day,
                                              reason=data.reason, actor=request.user.sub, now=now(), today=today())
            return AbsenceRecordedOut(**msgspec.structs.asdict(absence_out(done.row)),
                                      closed_months=done.closed_months, rechecked=done.rechecked)

    @delete("/{absence_id:int}", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def remove(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], absence_id: FromPath[IdArg]) -> None:
        """Delete an absence recorded in error; months already paid are made good by the next pay run."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            pay_records.remove_absence(s, w, absence_id, actor=request.user.sub, now=now())
