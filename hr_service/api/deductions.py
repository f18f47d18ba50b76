"""D-13 special additional deductions (专项附加扣除) and other allowed
deductions: the kinds in force, and a worker's declarations, recorded by HR
(``/workers/{id}/tax-deductions``) or by the worker (``/me/tax-deductions``).

The pay run reads the declarations as they stand: one recorded, ended or
deleted after months were paid needs no recheck of those months, as the
cumulative method counts the year's deductions to date afresh on the next
payslip and so catches up the difference (``rules.tax.declared_to_date``)."""
from __future__ import annotations

from datetime import date, datetime

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.orm import Session

from hr_service import store
from hr_service.api.me import own_worker_id
from hr_service.pay.tables import TaxDeduction
from hr_service.store import pay_records
from hr_service.tables import Worker
from shared.auth import Principal, Role, requires
from shared.errors import NotFound
from shared.policy import PolicyBook
from shared.types import IdArg, Name
from shared.web import Svc, now, today


class DeductionKindOut(msgspec.Struct):
    kind: str
    label_zh: str
    label_en: str
    max_monthly_fen: int
    per_person: bool
    excludes: list[str]


class NewDeduction(msgspec.Struct, forbid_unknown_fields=True):
    """A declaration: ``kind`` of ``GET /tax-deduction-kinds``, fen a month, from
    and to (YYYY-MM, inclusive; open-ended without ``to_month``), for whom
    (required for a per-person kind: a child, a parent)."""

    kind: str
    monthly_fen: int
    from_month: str
    to_month: str | None = None
    person: Name | None = None


class DeductionEnd(msgspec.Struct, forbid_unknown_fields=True):
    """A declaration's last month (YYYY-MM), or null to leave it open."""

    to_month: str | None


class DeductionOut(msgspec.Struct):
    id: int
    worker_id: int
    kind: str
    label_zh: str
    label_en: str
    monthly_fen: int
    from_month: str
    to_month: str | None
    person: str | None
    recorded_by: str
    recorded_at: datetime


def deduction_out(book: PolicyBook, d: TaxDeduction, jurisdiction: str) -> DeductionOut:
    kind = pay_records.kind_of(book, d, jurisdiction)
    return DeductionOut(d.id, d.worker_id, d.kind, kind.zh if kind else d.kind, kind.en if kind else d.kind,
                        d.monthly_fen, d.from_month, d.to_month, d.person, d.recorded_by, d.recorded_at)


def readable_worker(s: Session, principal: Principal, worker_id: int) -> Worker:
    """A worker's declarations are read by HR within its jurisdiction and by
    the worker (family details): 404 for anyone else (D-8)."""
    w = store.visible_worker(s, principal, worker_id)
    if principal.role not in (Role.hr_officer, Role.admin, Role.worker):
        raise NotFound("worker", "社区工作者", worker_id)
    return w


def _list(svc: Svc, s: Session, w: Worker) -> list[DeductionOut]:
    book = pay_records.tax_book(s, svc.policies)
    return [deduction_out(book, d, w.jurisdiction) for d in pay_records.deductions(s, w.id)]


def _declare(svc: Svc, s: Session, w: Worker, data: NewDeduction, actor: str) -> DeductionOut:
    book = pay_records.tax_book(s, svc.policies)
    d = pay_records.declare(s, book, w, kind=data.kind, monthly_fen=data.monthly_fen, from_month=data.from_month,
                            to_month=data.to_month, person=data.person, actor=actor, now=now(), today=today())
    return deduction_out(book, d, w.jurisdiction)


def _end(svc: Svc, s: Session, w: Worker, deduction_id: int, data: DeductionEnd) -> DeductionOut:
    book = pay_records.tax_book(s, svc.policies)
    return deduction_out(book, pay_records.end_deduction(s, book, w, deduction_id, data.to_month), w.jurisdiction)


class DeductionKindController(Controller):
    path = "/tax-deduction-kinds"
    tags = ["pay"]

    @get("/", sync_to_thread=True)
    def kinds(self, svc: Svc, request: Request, on: FromQuery[date | None] = None) -> list[DeductionKindOut]:
        """D-13: the kinds of deduction in force on ``on`` (default today) for the
        caller's jurisdiction, with each one's monthly maximum, whether it is
        declared per person, and the kinds it excludes for the same months."""
        with svc.db.read_session() as s:
            kinds = pay_records.kinds_in_force(s, svc.policies, request.user.jurisdiction, on or today())
        return [DeductionKindOut(name, k.zh, k.en, k.max_monthly_fen, k.per_person, list(k.excludes))
                for name, k in kinds.items()]


class WorkerDeductionController(Controller):
    """A worker's declarations as HR keeps them (D-13)."""

    path = "/workers/{worker_id:int}/tax-deductions"
    tags = ["pay"]

    @get("/", sync_to_thread=True)
    def list_deductions(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[DeductionOut]:
        """The worker's declarations by ``from_month`` (HR within the worker's jurisdiction, or the worker)."""
        with svc.db.read_session() as s:
            return _list(svc, s, readable_worker(s, request.user, worker_id))

    @post("/", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def declare(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                data: JSONBody[NewDeduction]) -> DeductionOut:
        """Record a declaration by the policy in force for the worker on the first
        day of ``from_month``: 422 naming the field for an unknown kind, an amount
        not above 0 or above the kind's maximum, a malformed month, ``to_month``
        before ``from_month``, a per-person kind without ``person``, ``from_month``
        before last year or after this year; 409 when it overlaps a declaration
        of the same kind (the same person, for a per-person kind) or one of a kind
        it excludes (``extra.existing_id``)."""
        with svc.db.transaction() as s:
            return _declare(svc, s, store.writable_worker(s, request.user, worker_id), data, request.user.sub)

    @patch("/{deduction_id:int}", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def end(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], deduction_id: FromPath[IdArg],
            data: JSONBody[DeductionEnd]) -> DeductionOut:
        """End a declaration with ``to_month`` (the checks of a new one)."""
        with svc.db.transaction() as s:
            return _end(svc, s, store.writable_worker(s, request.user, worker_id), deduction_id, data)

    @delete("/{deduction_id:int}", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def remove(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], deduction_id: FromPath[IdArg]) -> None:
        """Delete a declaration recorded in error; 409 ``deduction_used`` once a
        closed payslip counted one of its months (end it instead)."""
        with svc.db.transaction() as s:
            pay_records.remove_deduction(s, store.writable_worker(s, request.user, worker_id), deduction_id)


class MyDeductionController(Controller):
    """The calling worker's own declarations (D-13): the same bodies and rules,
    recorded under the worker's username."""

    path = "/me/tax-deductions"
    tags = ["me"]

    @get("/", sync_to_thread=True)
    def my_deductions(self, svc: Svc, request: Request) -> list[DeductionOut]:
        worker_id = own_worker_id(request.user)
        with svc.db.read_session() as s:
            return _list(svc, s, store.visible_worker(s, request.user, worker_id))

    @post("/", sync_to_thread=True, guards=[requires(Role.worker)])
    def declare_mine(self, svc: Svc, request: Request, data: JSONBody[NewDeduction]) -> DeductionOut:
        """Declare a deduction (the rules of ``POST /workers/{id}/tax-deductions``)."""
        worker_id = own_worker_id(request.user)
        with svc.db.transaction() as s:
            return _declare(svc, s, store.visible_worker(s, request.user, worker_id), data, request.user.sub)

    @patch("/{deduction_id:int}", sync_to_thread=True, guards=[requires(Role.worker)])
    def end_mine(self, svc: Svc, request: Request, deduction_id: FromPath[IdArg],
                 data: JSONBody[DeductionEnd]) -> DeductionOut:
        worker_id = own_worker_id(request.user)
        with svc.db.transaction() as s:
            return _end(svc, s, store.visible_worker(s, request.user, worker_id), deduction_id, data)

    @delete("/{deduction_id:int}", sync_to_thread=True, guards=[requires(Role.worker)])
    def remove_mine(self, svc: Svc, request: Request, deduction_id: FromPath[IdArg]) -> None:
        worker_id = own_worker_id(request.user)
        with svc.db.transaction() as s:
            pay_records.remove_deduction(s, store.visible_worker(s, request.user, worker_id), deduction_id)
