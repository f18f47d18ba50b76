"""Putting workers on the rolls: one (``POST /workers``, a recruitment hire) or
many at once (an import). ``rules.workers.admit`` decides each and the
``rolls.check_room`` (S4-1, S4-3, D-9) whether its community has room;
this module loads what they need, calls them and writes the workers, their
first grade-history row and ``worker.hired``."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service.accounts.workers import open_accounts_of
from hr_service.org import rules as org_rules
from hr_service.org import store as org
from hr_service.rules import workers as rule
from hr_service.rules.workers import Hire, HireTerms, Refusal, WorkerRow
from hr_service.states import WorkerStatus
from hr_service.store.policies import POLICIES
from hr_service.store.profile import import_personal, personal_values
from hr_service.store.rolls import Joining, check_room, rows_room
from hr_service.tables import GradeChange, Worker, infra
from shared.auth import Principal, district_in
from shared.db import in_chunks
from shared.errors import Conflict, FieldError, Invalid, Problem
from shared.events import WorkerHired
from shared.outbox import publish, publish_many
from shared.policy import Policies, PolicyBook

HIRE_TERMS = ("pay_scale", "starting_grade")
"""The policy keys a hire reads (D-2), in force on the hire date."""


class RowProblem(msgspec.Struct):
    """Why one item of a bulk request is refused (``item`` counts from 0)."""

    item: int
    field: str
    code: str
    reason: str
    reason_zh: str
    clause: str | None = None
    status: int = 422  # 409: the item clashes with what is recorded (a number taken, a community full)

    @classmethod
    def of(cls, item: int, refusal: Refusal) -> RowProblem:
        return cls(item, refusal.field or "", refusal.code, refusal.detail, refusal.detail_zh, refusal.clause,
                   refusal.status)


@dataclass(frozen=True)
class Imported:
    """What an import wrote (none for a dry run), how many it wrote or would,
    and with ``partial`` the problems of the items it left out."""

    ids: list[int]
    count: int
    refused: list[RowProblem]



def terms_book(session: Session, policies: Policies = POLICIES) -> PolicyBook:
    """The versions of the hire terms, read once for any number of hires."""
    return policies.book(session, HIRE_TERMS)


def hire_terms(book: PolicyBook, jurisdiction: str, hired_on: date) -> HireTerms | Refusal:
    """The pay scale and starting-grade rule in force on the hire date (the
    first versions for a date before them), or why there are none."""
    try:
        return HireTerms(*(book.in_force(key, jurisdiction, hired_on, or_first=True) for key in HIRE_TERMS))
    except Problem as exc:
        return Refusal.of(exc)


def stored_numbers(session: Session, numbers: Iterable[str | None]) -> set[str]:
    """Those of ``numbers`` already on the rolls."""
    taken: set[str] = set()
    for chunk in in_chunks(n for n in numbers if n is not None):
        taken.update(session.execute(select(Worker.id_number).where(Worker.id_number.in_(chunk))).scalars())
    return taken


def worker_values(w: WorkerRow, now: datetime) -> dict[str, Any]:
    """The ``worker`` row of an admitted worker."""
    return dict(
        name=w.name, id_number=w.id_number, jurisdiction=w.jurisdiction, community_code=w.community_code,
        post=w.post, grade=w.grade, status=WorkerStatus(w.status), hired_on=w.hired_on, created_at=now,
        birth_date=w.birth_date, education=w.education, service_years=w.service_years,
        probation_ends_on=w.probation_ends_on, grade_since=w.hired_on,
    )


def hire_change(worker_id: int, hire: Hire, actor: str, now: datetime) -> dict[str, Any]:
    """The first grade-history row: the starting grade and how it was set (D-2)."""
    w = hire.worker
    return dict(worker_id=worker_id, effective_on=w.hired_on, post=w.post, grade=w.grade, kind="hire",
                reason=hire.derivation, clause="D-2", actor=actor, recorded_at=now)


def hired_event(worker_id: int, w: WorkerRow) -> WorkerHired:
    return WorkerHired(worker_id=worker_id, name=w.name, post=w.post, grade=w.grade, community_code=w.community_code,
                       jurisdiction=w.jurisdiction, hired_on=w.hired_on, probation_ends_on=w.probation_ends_on)


def create_worker(
    session: Session, *, name: str, id_number: str, jurisdiction: str, post: str, hired_on: date,
    now: datetime, community_code: str | None = None, grade: int | None = None,
    education: str | None = None, service_years: int = 0, birth_date: date | None = None,
    status: str = WorkerStatus.active, probation_ends_on: date | None = None, actor: str = "system",
    publish_hired: bool = True, policies: Policies = POLICIES, book: PolicyBook | None = None,
    today: date | None = None, room_checked: bool = False, personal: Any = None,
) -> Worker:
    """Put a worker on the rolls, in the caller's transaction.

    ``rules.workers.admit`` decides: a hire date not after ``today``, the ID
    number (GB 11643) valid and not on the rolls, a given birth date the one
    it carries, the post known, the grade given within the post's band or
    derived by D-2. A community named must be registered and have room on the
    hire date and every day since, up to today (S4-1, S4-3, D-9:
    ``check_room``, its row locked), unless the caller checked it for a batch
    (``room_checked``). The grade history's first row records the grade, who
    set it and how (``hire_derivation`` reads it back). Publishes
    ``worker.hired`` unless ``publish_hired`` is False (so a caller that
    publishes its own richer event does not send two). A caller hiring
    several in one transaction passes one ``terms_book``. ``personal`` (a body
    with the fields of ``rules.profile.Profile``) is checked by
    ``store.profile.personal_values``; the gender is the ID number's by default.
    A worker hired into a community has the community's jurisdiction, its
    street when it has one (D-17; 422 when ``jurisdiction`` does not cover it)."""
    jurisdiction = org.jurisdiction_for(session, jurisdiction, community_code)
    row = WorkerRow(name=name, id_number=id_number, jurisdiction=jurisdiction, post=post, hired_on=hired_on,
                    grade=grade, community_code=community_code, education=education, service_years=service_years,
                    status=status, probation_ends_on=probation_ends_on, birth_date=birth_date)
    terms = hire_terms(book or terms_book(session, policies), jurisdiction, hired_on)
    decided = rule.admit(row, terms, actor=actor, known=stored_numbers(session, rule.id_numbers([row])), today=today)
    if isinstance(decided, list):
        raise decided[0].problem()
    if community_code is not None and not room_checked:
        check_room(session, policies, community_code, hired_on, until=today)
    extra = personal_values(personal, decided.worker.id_number, today or hired_on)
    worker = Worker(**worker_values(decided.worker, now), **extra)
    session.add(worker)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same ID number
        raise rule.ID_TAKEN.problem() from exc
    session.add(GradeChange(**hire_change(worker.id, decided, actor, now)))
    open_accounts_of(session, [worker.id], now, actor)  # D-18: the worker's account comes with the worker
    if publish_hired:
        publish(session, infra.outbox, hired_event(worker.id, decided.worker))
    session.flush()
    return worker


def placed_rows(session: Session, principal: Principal,
                rows: list[WorkerRow | None]) -> tuple[list[WorkerRow | None], list[RowProblem]]:
    """Each row naming a registered community with the community's
    jurisdiction (its street when it has one, D-17); a row whose
    jurisdiction does not cover it is refused (and left out as None). A row
    outside the caller's jurisdiction is left as it is, for D-8's refusal."""
    places = org.jurisdictions_of(session, {r.community_code for r in rows if r and r.community_code})
    out: list[WorkerRow | None] = []
    problems: list[RowProblem] = []
    for i, row in enumerate(rows):
        if row is None or row.community_code not in places or not district_in(principal.jurisdiction,
                                                                               row.jurisdiction):
            out.append(row)
            continue
        placed = org_rules.placed_jurisdiction(row.jurisdiction, row.community_code, places[row.community_code])
        if isinstance(placed, Refusal):
            problems.append(RowProblem.of(i, placed))
            out.append(None)
        else:
            out.append(msgspec.structs.replace(row, jurisdiction=placed))
    return out, problems


def as_row(item: Any) -> WorkerRow:
    """An import item (a ``POST /workers`` body) as the rule's row."""
    return item if isinstance(item, WorkerRow) else WorkerRow(**{f: getattr(item, f)
                                                                  for f in WorkerRow.__struct_fields__
                                                                  if hasattr(item, f)})


def admit_all(
    session: Session, principal: Principal, rows: Sequence[WorkerRow | None], policies: Policies,
    today: date | None = None,
) -> tuple[list[tuple[int, Hire]], list[RowProblem]]:
    """``rules.workers.admit`` for every row of a file: the accepted (with their
    item) and the refusals, the policies and the rolls read in a few statements."""
    numbers = rule.id_numbers(rows, principal.jurisdiction)
    known = stored_numbers(session, numbers)
    book = terms_book(session, policies)
    accepted: list[tuple[int, Hire]] = []
    problems: list[RowProblem] = []
    for i, (row, earlier) in enumerate(zip(rows, rule.repeats(numbers), strict=True)):
        if row is None:
            continue
        decided = rule.admit(row, hire_terms(book, row.jurisdiction, row.hired_on), actor=principal.sub,
                             known=known, earlier=earlier, yours=principal.jurisdiction, today=today)
        if isinstance(decided, list):
            problems.extend(RowProblem.of(i, r) for r in decided)
        else:
            accepted.append((i, decided))
    return accepted, problems


def room_problems(
    session: Session, principal: Principal, rows: Sequence[WorkerRow | None], accepted: list[tuple[int, Hire]],
    policies: Policies, today: date | None,
) -> list[RowProblem]:
    """S4-1, S4-3, D-9 for the rows naming a community (``check_room`` for a
    file): the community registered, for every row within the caller's
    jurisdiction; room on the hire date (and every day since, up to today)
    for the admitted rows, all rows of a community counted together in the
    file's order. The communities' rows are locked."""
    admitted = {i for i, _ in accepted}
    joining = [Joining(row.community_code, row.hired_on, i in admitted)
               if row is not None and district_in(principal.jurisdiction, row.jurisdiction)
               else Joining(None, date.min, False) for i, row in enumerate(rows)]
    return [RowProblem.of(i, r) for i, r in enumerate(rows_room(session, policies, joining, until=today))
            if r is not None]


def import_refused(problems: list[RowProblem], count: int) -> Problem:
    """One refusal naming every refused item, field by field: 409 when each
    item clashes with what is recorded (a number taken, a community full), else 422."""
    problems.sort(key=lambda p: (p.item, p.field))
    rows = sorted({p.item for p in problems})
    kind = Conflict if all(p.status == 409 for p in problems) else Invalid
    return kind(
        "import_refused", f"{len(rows)} of {count} item(s) cannot be imported; nothing was written.",
        f"{count} 项中有 {len(rows)} 项不能导入，未写入任何记录。", field="items",
        errors=[FieldError(f"items[{p.item}].{p.field}" if p.field else f"items[{p.item}]", p.reason)
                for p in problems],
        extra={"items": [msgspec.to_builtins(p) for p in problems]},
    )


def write_hires(session: Session, accepted: list[tuple[int, Hire]], actor: str, now: datetime,
                personal: dict[int, dict[str, Any]] | None = None) -> list[int]:
    """The workers (with each item's ``personal`` columns), their first
    grade-history rows and a ``worker.hired`` each, in a few statements; the
    new ids in the order given."""
    rows = [worker_values(hire.worker, now) | (personal or {}).get(i, {}) for i, hire in accepted]
    try:  # one executemany (no RETURNING, which SQLite would run row by row), then the ids by ID number
        session.execute(insert(Worker), rows)
    except IntegrityError as exc:  # a concurrent insert of one of the ID numbers
        raise Conflict("id_number_taken", "A worker with one of these ID numbers was added meanwhile; try again.",
                       "导入期间有相同身份证号码的职工被登记，请重试。", field="items") from exc
    ids: dict[str, int] = {}
    for chunk in in_chunks(r["id_number"] for r in rows):
        found = session.execute(select(Worker.id_number, Worker.id).where(Worker.id_number.in_(chunk)))
        ids.update((number, wid) for number, wid in found)
    session.execute(insert(GradeChange), [hire_change(ids[hire.worker.id_number], hire, actor, now)
                                          for _, hire in accepted])
    publish_many(session, infra.outbox, [hired_event(ids[hire.worker.id_number], hire.worker)
                                         for _, hire in accepted])
    open_accounts_of(session, ids.values(), now, actor)  # D-18: the workers' accounts come with them
    session.flush()
    return [ids[hire.worker.id_number] for _, hire in accepted]


def import_workers(
    session: Session, principal: Principal, items: list[Any], *, now: datetime, today: date | None = None,
    dry_run: bool = False, partial: bool = False, problems: list[RowProblem] | None = None,
    policies: Policies = POLICIES,
) -> Imported:
    """Put many workers on the rolls at once, in the caller's transaction.

    ``items`` carry the fields of the ``POST /workers`` body (None for one
    refused earlier, its problem in ``problems``); each is decided by
    ``rules.workers.admit`` as ``create_worker`` decides one, within the
    caller's jurisdiction, against the others and the rolls for a repeated
    ID number, and against its community's quota with the file's other rows
    of that community (``room_problems``). Every problem of every item is
    listed. Without ``partial`` any problem refuses the file (``import_refused``),
    nothing written; with it the items that pass are written and the others
    listed in ``Imported.refused``. Nothing is written for ``dry_run``."""
    problems = list(problems or [])
    rows, misplaced = placed_rows(session, principal, [None if w is None else as_row(w) for w in items])
    problems += misplaced
    accepted, more = admit_all(session, principal, rows, policies, today)
    personal, bad = import_personal(items, today or now.date())
    problems += more + [RowProblem.of(i, r) for i, r in bad]
    problems += room_problems(session, principal, rows, accepted, policies, today)
    if problems and not partial:
        raise import_refused(problems, len(items))
    problems.sort(key=lambda p: (p.item, p.field))
    left_out = {p.item for p in problems}
    accepted = [(i, hire) for i, hire in accepted if i not in left_out]
    if dry_run:
        return Imported([], len(accepted), problems)
    ids = write_hires(session, accepted, principal.sub, now, personal) if accepted else []
    return Imported(ids, len(ids), problems)


def hire_derivation(session: Session, worker_id: int) -> str | None:
    """How the worker's starting grade was set (the first row of the grade history)."""
    return session.execute(
        select(GradeChange.reason).where(GradeChange.worker_id == worker_id, GradeChange.kind == "hire")
        .order_by(GradeChange.id).limit(1)
    ).scalar()
