"""A worker's personal fields and education history: read, changed in part
(HR, or the worker for their own contacts) and the history replaced whole.
``rules.profile`` decides; this module loads and saves, in the caller's
transaction, so a refusal leaves nothing behind."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hr_service.rules import profile as rule
from hr_service.rules.profile import Education, Profile
from hr_service.tables import Worker, WorkerEducation
from shared.errors import FieldError, Invalid, Refusal


def profile_of(worker: Worker) -> Profile:
    """The personal fields recorded on the worker."""
    return Profile(**{f: getattr(worker, f) for f in rule.PROFILE_FIELDS})


def refused(refusals: list[Refusal], what: str = "profile") -> Invalid:
    """One 422 naming every refused field (the first as ``field``)."""
    if len(refusals) == 1:
        r = refusals[0]
        return Invalid(r.code, r.detail, r.detail_zh, field=r.field, clause=r.clause)
    return Invalid(f"invalid_{what}", f"{len(refusals)} field(s) are refused: "
                   + "; ".join(r.detail for r in refusals), f"{len(refusals)} 个字段不符合要求。",
                   field=refusals[0].field, errors=[FieldError(r.field or "", r.detail) for r in refusals])


def checked_profile(p: Profile, *, id_number: str, birth_date: date | None, today: date) -> Profile:
    """``p`` with the gender the ID number carries filled in, or 422 naming every bad field."""
    refusals = rule.check_profile(p, id_number=id_number, birth_date=birth_date, today=today)
    if refusals:
        raise refused(refusals)
    return rule.completed(p, id_number)


def update_profile(session: Session, worker: Worker, changes: dict[str, Any], *, today: date) -> Worker:
    """Set the fields in ``changes`` (a None clears one), the record as a whole
    checked after the change (an emergency contact stays whole)."""
    merged = msgspec.structs.replace(profile_of(worker), **changes)
    birth = worker.birth_date
    refusals = rule.check_profile(merged, id_number=worker.id_number, birth_date=birth, today=today)
    if refusals:
        raise refused(refusals)
    for field, value in msgspec.structs.asdict(rule.completed(merged, worker.id_number)).items():
        setattr(worker, field, value)
    session.flush()
    return worker


def education_of(session: Session, worker_id: int) -> list[WorkerEducation]:
    """The worker's education history, oldest first."""
    return educations_of(session, [worker_id])[worker_id]


def educations_of(session: Session, worker_ids: Sequence[int]) -> dict[int, list[WorkerEducation]]:
    """The education histories of several workers (an export), by worker, each oldest first."""
    found: dict[int, list[WorkerEducation]] = {wid: [] for wid in worker_ids}
    if worker_ids:
        for row in session.execute(select(WorkerEducation).where(WorkerEducation.worker_id.in_(list(worker_ids)))
                                   .order_by(WorkerEducation.graduated_year, WorkerEducation.id)).scalars():
            found[row.worker_id].append(row)
    return found


def replace_education(session: Session, worker: Worker, rows: Sequence[Education], *,
                      today: date) -> list[WorkerEducation]:
    """The worker's whole education history replaced by ``rows``, or 422 naming each bad row's field."""
    refusals = rule.check_education(rows, birth_date=worker.birth_date, today=today)
    if refusals:
        raise refused(refusals, "education")
    session.execute(delete(WorkerEducation).where(WorkerEducation.worker_id == worker.id))
    session.add_all(WorkerEducation(worker_id=worker.id, qualification=r.qualification, school=r.school.strip(),
                                    major=r.major, graduated_year=r.graduated_year, full_time=r.full_time)
                    for r in rows)
    session.flush()
    return education_of(session, worker.id)


# --- at hire and import ----------------------------------------------------------


def profile_from(item: Any) -> Profile:
    """The personal fields of a hire body or import item (absent ones None)."""
    return Profile(**{f: getattr(item, f, None) for f in rule.PROFILE_FIELDS})


def personal_values(item: Any, id_number: str, today: date) -> dict[str, Any]:
    """The ``worker`` columns of a hire's personal fields, checked (422 naming
    every bad field), the gender the ID number carries when none is given."""
    return msgspec.structs.asdict(checked_profile(profile_from(item), id_number=id_number, birth_date=None,
                                                  today=today))


def import_personal(items: Sequence[Any], today: date) -> tuple[dict[int, dict[str, Any]], list[tuple[int, Refusal]]]:
    """For each item of an import: its checked personal columns, or every refusal (with the item's index)."""
    values: dict[int, dict[str, Any]] = {}
    problems: list[tuple[int, Refusal]] = []
    for i, item in enumerate(items):
        if item is None:
            continue
        p = profile_from(item)
        refusals = rule.check_profile(p, id_number=item.id_number, today=today)
        problems.extend((i, r) for r in refusals)
        if not refusals:
            values[i] = msgspec.structs.asdict(rule.completed(p, item.id_number))
    return values, problems
