"""The roster: training's read model of HR's workers (fed by worker.hired,
worker.left and talent.selected, or imported from a file), their designations,
and who may see them (D-8)."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from shared.auth import Principal, Role
from shared.db import in_chunks
from shared.db import in_jurisdiction as in_scope
from shared.errors import FieldError, NotFound
from shared.paging import fetch_page
from shared.tabular import read_records
from training_service import rules
from training_service.states import ROSTER, RosterStatus
from training_service.store.common import is_worker, row_error, rows_refused, texts
from training_service.tables import Designation, RosterWorker

ROSTER_REQUIRED = ("worker_id", "name", "post", "jurisdiction")


def upsert_worker(
    s: Session, *, worker_id: int, name: str, post: str, jurisdiction: str, community_code: str | None,
    hired_on: date | None, probation_ends_on: date | None, source: str, now: datetime,
) -> RosterWorker:
    w = s.get(RosterWorker, worker_id)
    if w is None:
        w = RosterWorker(worker_id=worker_id, status=RosterStatus.active)
        s.add(w)
    w.name, w.post, w.jurisdiction, w.community_code = name, post, jurisdiction, community_code
    w.hired_on, w.probation_ends_on, w.source, w.updated_at = hired_on, probation_ends_on, source, now
    return w


def record_hire(w: RosterWorker) -> None:
    """worker.hired: the entry is active (a rehire returns from left)."""
    if w.status != RosterStatus.active:
        w.status = ROSTER.move(w.status, RosterStatus.active)
    w.left_on = None


def record_leaving(w: RosterWorker, left_on: date, at: datetime) -> None:
    """worker.left: the entry has left on ``left_on`` (a repeat keeps the latest date)."""
    if w.status != RosterStatus.left:
        w.status = ROSTER.move(w.status, RosterStatus.left)
    w.left_on, w.updated_at = left_on, at


def lock_worker(s: Session, worker_id: int) -> RosterWorker | None:
    return s.execute(
        select(RosterWorker).where(RosterWorker.worker_id == worker_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def parse_roster_row(line: int, r: dict[str, str], principal: Principal,
                     seen: set[int]) -> tuple[dict | None, list[FieldError]]:
    """One roster row as the entry it makes, or every problem with it (named
    ``row <line>.<column>``); ``seen`` holds the worker ids of earlier rows."""
    errors: list[FieldError] = []
    wid = None
    try:
        wid = int(r["worker_id"])
        if wid <= 0:
            raise ValueError
    except ValueError:
        errors.append(row_error(line, "worker_id", "must be a positive whole number"))
    if wid is not None and wid in seen:
        errors.append(row_error(line, "worker_id", f"worker {wid} appears twice in the file"))
    name = r["name"]
    if not 1 <= len(name) <= 64:
        errors.append(row_error(line, "name", "must be 1-64 characters"))
    if r["post"] not in rules.POSTS:
        errors.append(row_error(line, "post", f"must be one of {', '.join(rules.POSTS)}"))
    jur = r["jurisdiction"]
    if not jur or len(jur) > 64:
        errors.append(row_error(line, "jurisdiction", "must be 1-64 characters"))
    elif not principal.covers(jur):
        errors.append(row_error(line, "jurisdiction", f"'{jur}' is outside your jurisdiction (D-8)"))
    community = r.get("community_code", "") or None
    if community and len(community) > 32:
        errors.append(row_error(line, "community_code", "must be at most 32 characters"))
    dates: dict[str, date | None] = {}
    for col in ("hired_on", "probation_ends_on"):
        raw = r.get(col, "")
        try:
            dates[col] = date.fromisoformat(raw) if raw else None
        except ValueError:
            errors.append(row_error(line, col, "must be a date as YYYY-MM-DD"))
            dates[col] = None
    if dates["hired_on"] and dates["probation_ends_on"] and dates["probation_ends_on"] < dates["hired_on"]:
        errors.append(row_error(line, "probation_ends_on", "is before hired_on"))
    designations = [d.strip() for d in re.split(r"[;|]", r.get("designations", "")) if d.strip()]
    for d in designations:
        if not rules.DESIGNATION.match(d):
            errors.append(row_error(line, "designations", f"'{d}' is not a designation code (e.g. leader_talent)"))
    if wid is not None:
        seen.add(wid)
    if errors:
        return None, errors
    return dict(worker_id=wid, name=name, post=r["post"], jurisdiction=jur, community_code=community,
                hired_on=dates["hired_on"], probation_ends_on=dates["probation_ends_on"],
                designations=sorted(set(designations))), []


def import_roster(s: Session, body: bytes, principal: Principal, now: datetime) -> tuple[int, int]:
    """Create or update roster entries from a CSV or XLSX file (columns:
    worker_id, name, post, jurisdiction, community_code, hired_on,
    probation_ends_on, designations). Every row is checked first; one bad row
    and nothing is written. Returns (created, updated)."""
    errors: list[FieldError] = []
    parsed: list[dict] = []
    seen: set[int] = set()
    for line, record in read_records(body, ROSTER_REQUIRED, field="body"):
        entry, problems = parse_roster_row(line, texts(record), principal, seen)
        errors += problems
        if entry is not None:
            parsed.append(entry)
    if errors:
        raise rows_refused(errors, "roster file", "花名册文件")
    return save_roster(s, parsed, now)


def save_roster(s: Session, parsed: list[dict], now: datetime) -> tuple[int, int]:
    """Write checked roster entries: update the known, insert the new, and
    replace the designations that came from a file."""
    ids = [p["worker_id"] for p in parsed]
    existing: dict[int, RosterWorker] = {}  # held here so that the identity map keeps them for upsert_worker
    for chunk in in_chunks(ids):
        existing.update((w.worker_id, w) for w in s.execute(
            select(RosterWorker).where(RosterWorker.worker_id.in_(chunk))).scalars())
        s.execute(delete(Designation).where(Designation.worker_id.in_(chunk), Designation.source == "csv"))
    new_rows, new_designations = [], []
    for p in parsed:
        designations = p.pop("designations")
        new_designations += [dict(worker_id=p["worker_id"], designation=d, source="csv") for d in designations]
        if p["worker_id"] in existing:
            upsert_worker(s, source="csv", now=now, **p)  # in the identity map: no query
        else:
            new_rows.append(dict(p, status=RosterStatus.active, source="csv", updated_at=now))
    s.flush()
    if new_rows:
        s.execute(insert(RosterWorker), new_rows)
    if new_designations:
        s.execute(insert(Designation), new_designations)
    return len(new_rows), len(existing)


def all_designations(s: Session, worker_ids: list[int]) -> dict[int, list[Designation]]:
    out: dict[int, list[Designation]] = defaultdict(list)
    for chunk in in_chunks(worker_ids):
        for d in s.execute(select(Designation).where(Designation.worker_id.in_(chunk))
                           .order_by(Designation.id)).scalars():
            out[d.worker_id].append(d)
    return out


def add_designation(s: Session, worker_id: int, designation: str, valid_from: date | None, valid_until: date | None,
                    source: str) -> None:
    s.add(Designation(worker_id=worker_id, designation=designation, valid_from=valid_from,
                      valid_until=valid_until, source=source))


def get_worker(s: Session, worker_id: int, principal: Principal | None) -> RosterWorker:
    """A roster entry the caller may see; another's answers 404 (D-8)."""
    w = s.get(RosterWorker, worker_id)
    if w is None or (principal is not None and not principal.may_see(w.jurisdiction, w.worker_id, w.community_code)):
        raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
    return w


def list_roster(s: Session, principal: Principal, jurisdiction: str | None, post: str | None,
                limit: int, offset: int) -> tuple[list[RosterWorker], int]:
    q = select(RosterWorker)
    if is_worker(principal):
        q = q.where(RosterWorker.worker_id == principal.worker_id)
    else:
        q = q.where(in_scope(RosterWorker.jurisdiction, principal.jurisdiction))
    if principal.role is Role.community_secretary:  # their own community's (D-17)
        q = q.where(RosterWorker.community_code == principal.community)
    if jurisdiction:
        q = q.where(in_scope(RosterWorker.jurisdiction, jurisdiction))
    if post:
        q = q.where(RosterWorker.post == post)
    page, total = fetch_page(s, q, [RosterWorker.worker_id], limit, offset)
    rows = page.scalars().all()
    return list(rows), total
