"""Training's queries and transactions.

Every write runs inside the caller's ``db.transaction()`` and checks before it
writes, so a refusal leaves nothing behind. Seats are counted under a lock on
the session row: on SQLite every write transaction begins IMMEDIATE (one
writer at a time); on PostgreSQL the session row is taken ``FOR UPDATE``.
Locks are always taken in the same order (roster worker rows, then session
rows) so that two transactions never wait on each other in a circle.
"""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Iterable, NamedTuple

import msgspec
from sqlalchemy import ColumnElement, and_, delete, distinct, func, insert, or_, select
from sqlalchemy.orm import Session

from shared.auth import Principal, Role, district_in, require_jurisdiction
from shared.db import in_jurisdiction as in_scope
from shared.errors import Conflict, FieldError, Invalid, NotFound
from shared.events import CpdCredited, SessionCompleted
from shared.outbox import publish
from shared.policy import Policies, jurisdiction_chain
from training_service import rules
from training_service.rules import (
    CompletionRule,
    ObligationRule,
    TierEligibility,
    from_ch,
)
from training_service.tables import (
    AbroadSelection,
    Attendance,
    CourseSession,
    Designation,
    Enrolment,
    Programme,
    RosterWorker,
    TrainingCredit,
    infra,
)

# --- jurisdictions (D-8) ----------------------------------------------------------


def sees(principal: Principal, jurisdiction: str) -> bool:
    """Programmes and sessions are a catalogue: visible to everyone inside their
    jurisdiction, and a city's to its districts."""
    return principal.covers(jurisdiction) or jurisdiction in jurisdiction_chain(principal.jurisdiction)


def visible_to(principal: Principal, column) -> ColumnElement[bool]:
    return or_(in_scope(column, principal.jurisdiction), column.in_(jurisdiction_chain(principal.jurisdiction)))


def is_worker(principal: Principal | None) -> bool:
    return principal is not None and principal.role is Role.worker


# --- CSV in ---------------------------------------------------------------------

MAX_CSV_ROWS = 50_000


def read_csv(body: bytes, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV body as (line number, {column: value}); UTF-8 (with or
    without BOM) or GB18030, as spreadsheets here save it. Line 1 is the header."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = body.decode("gb18030")
        except UnicodeDecodeError:
            raise Invalid("csv_encoding", "The CSV is neither UTF-8 nor GB18030.", "CSV 文件编码须为 UTF-8 或 GB18030。",
                          field="body") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise Invalid("csv_empty", "The CSV has no header line.", "CSV 文件缺少表头。", field="body")
    names = [h.strip().lower() for h in header]
    for col in required:
        if col not in names:
            raise Invalid("csv_missing_column", f"The CSV has no '{col}' column.", f"CSV 缺少“{col}”列。", field=col)
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_CSV_ROWS:
            raise Invalid("csv_too_large", f"At most {MAX_CSV_ROWS} rows at a time.", f"每次最多 {MAX_CSV_ROWS} 行。",
                          field="body")
        rows.append((reader.line_num, {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names)}))
    return rows


def _chunks(ids: Iterable[int], size: int = 1000) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _row_error(line: int, column: str, reason: str) -> FieldError:
    return FieldError(field=f"row {line}.{column}", reason=reason)


def _rows_refused(errors: list[FieldError], what: str, what_zh: str) -> Invalid:
    first = errors[0]
    return Invalid(
        "csv_rows_invalid",
        f"{len(errors)} problem(s) in the {what}; nothing was written. First: {first.field}: {first.reason}.",
        f"{what_zh}有 {len(errors)} 处错误，未写入任何记录。第一处：{first.field}：{first.reason}。",
        field=first.field, errors=errors,
    )


# --- the roster (a read model of HR's workers) ------------------------------------

_DESIGNATION = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def upsert_worker(
    s: Session, *, worker_id: int, name: str, post: str, jurisdiction: str, community_code: str | None,
    hired_on: date | None, probation_ends_on: date | None, source: str, now: datetime,
) -> RosterWorker:
    w = s.get(RosterWorker, worker_id)
    if w is None:
        w = RosterWorker(worker_id=worker_id, status="active")
        s.add(w)
    w.name, w.post, w.jurisdiction, w.community_code = name, post, jurisdiction, community_code
    w.hired_on, w.probation_ends_on, w.source, w.updated_at = hired_on, probation_ends_on, source, now
    return w


def import_roster(s: Session, body: bytes, principal: Principal, now: datetime) -> tuple[int, int]:
    """Create or update roster entries from CSV (columns: worker_id, name, post,
    jurisdiction, community_code, hired_on, probation_ends_on, designations).
    Every row is checked first; one bad row and nothing is written."""
    rows = read_csv(body, ["worker_id", "name", "post", "jurisdiction"])
    errors: list[FieldError] = []
    parsed: list[dict] = []
    seen: set[int] = set()
    for line, r in rows:
        before = len(errors)
        wid = None
        try:
            wid = int(r["worker_id"])
            if wid <= 0:
                raise ValueError
        except ValueError:
            errors.append(_row_error(line, "worker_id", "must be a positive whole number"))
        if wid is not None and wid in seen:
            errors.append(_row_error(line, "worker_id", f"worker {wid} appears twice in the file"))
        name = r["name"]
        if not 1 <= len(name) <= 64:
            errors.append(_row_error(line, "name", "must be 1-64 characters"))
        if r["post"] not in rules.POSTS:
            errors.append(_row_error(line, "post", f"must be one of {', '.join(rules.POSTS)}"))
        jur = r["jurisdiction"]
        if not jur or len(jur) > 64:
            errors.append(_row_error(line, "jurisdiction", "must be 1-64 characters"))
        elif not principal.covers(jur):
            errors.append(_row_error(line, "jurisdiction", f"'{jur}' is outside your jurisdiction (D-8)"))
        community = r.get("community_code", "") or None
        if community and len(community) > 32:
            errors.append(_row_error(line, "community_code", "must be at most 32 characters"))
        dates: dict[str, date | None] = {}
        for col in ("hired_on", "probation_ends_on"):
            raw = r.get(col, "")
            try:
                dates[col] = date.fromisoformat(raw) if raw else None
            except ValueError:
                errors.append(_row_error(line, col, "must be a date as YYYY-MM-DD"))
                dates[col] = None
        if dates["hired_on"] and dates["probation_ends_on"] and dates["probation_ends_on"] < dates["hired_on"]:
            errors.append(_row_error(line, "probation_ends_on", "is before hired_on"))
        designations = [d.strip() for d in re.split(r"[;|]", r.get("designations", "")) if d.strip()]
        for d in designations:
            if not _DESIGNATION.match(d):
                errors.append(_row_error(line, "designations", f"'{d}' is not a designation code (e.g. leader_talent)"))
        if wid is not None:
            seen.add(wid)
        if len(errors) == before:
            parsed.append(dict(worker_id=wid, name=name, post=r["post"], jurisdiction=jur, community_code=community,
                               hired_on=dates["hired_on"], probation_ends_on=dates["probation_ends_on"],
                               designations=sorted(set(designations))))
    if errors:
        raise _rows_refused(errors, "roster file", "花名册文件")
    ids = [p["worker_id"] for p in parsed]
    existing: dict[int, RosterWorker] = {}  # held here so that the identity map keeps them for upsert_worker
    for chunk in _chunks(ids):
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
            new_rows.append(dict(p, status="active", source="csv", updated_at=now))
    s.flush()
    if new_rows:
        s.execute(insert(RosterWorker), new_rows)
    if new_designations:
        s.execute(insert(Designation), new_designations)
    return len(new_rows), len(existing)


def all_designations(s: Session, worker_ids: list[int]) -> dict[int, list[Designation]]:
    out: dict[int, list[Designation]] = defaultdict(list)
    for i in range(0, len(worker_ids), 1000):
        for d in s.execute(select(Designation).where(Designation.worker_id.in_(worker_ids[i:i + 1000]))
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
    if w is None or (principal is not None and not principal.may_see(w.jurisdiction, w.worker_id)):
        raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
    return w


def list_roster(s: Session, principal: Principal, jurisdiction: str | None, post: str | None,
                limit: int, offset: int) -> tuple[list[RosterWorker], int]:
    q = select(RosterWorker)
    if is_worker(principal):
        q = q.where(RosterWorker.worker_id == principal.worker_id)
    else:
        q = q.where(in_scope(RosterWorker.jurisdiction, principal.jurisdiction))
    if jurisdiction:
        q = q.where(in_scope(RosterWorker.jurisdiction, jurisdiction))
    if post:
        q = q.where(RosterWorker.post == post)
    total = s.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = s.execute(q.order_by(RosterWorker.worker_id).limit(limit).offset(offset)).scalars().all()
    return list(rows), total


# --- programmes -------------------------------------------------------------------


def create_programme(s: Session, policies: Policies, principal: Principal, *, as_of: date, now: datetime,
                     **fields) -> Programme:
    """A new programme. Its class must be one of the seven in force (S2-2); hours
    and CPD hours exact to the hundredth and not negative."""
    jurisdiction = fields["jurisdiction"]
    require_jurisdiction(principal, jurisdiction)
    table: rules.CategoryTable = policies.in_force(s, "training_categories", jurisdiction, as_of)
    if fields["category"] not in table.codes():
        raise Invalid("unknown_category", f"Category '{fields['category']}' is not one of the classes in force: "
                      f"{', '.join(table.codes())}.", f"培训类别“{fields['category']}”不在现行类别表中。",
                      field="category", clause="S2-2")
    for name in ("hours", "cpd_hours"):
        why = rules.hours_problem(fields[name])
        if why:
            raise Invalid("invalid_hours", f"'{name}' {why}.", f"学时“{name}”无效：{why}。", field=name)
    if fields["cpd_accredited"] and fields["cpd_hours"] <= 0:
        raise Invalid("cpd_hours_required", "An accredited programme needs its CPD hours.", "经认定的继续教育项目须填写学时。",
                      field="cpd_hours", clause="D-6")
    if not fields["cpd_accredited"] and fields["cpd_hours"] != 0:
        raise Invalid("cpd_hours_without_accreditation", "CPD hours are for accredited programmes only.",
                      "未经认定的项目不得计继续教育学时。", field="cpd_hours", clause="D-6")
    for p in fields["eligible_posts"]:
        if p not in rules.POSTS:
            raise Invalid("unknown_post", f"Post '{p}' is not one of {', '.join(rules.POSTS)}.", f"岗位“{p}”无效。",
                          field="eligible_posts")
    for d in fields["eligible_designations"]:
        if not _DESIGNATION.match(d):
            raise Invalid("invalid_designation", f"'{d}' is not a designation code.", f"“{d}”不是有效的称号代码。",
                          field="eligible_designations")
    if fields["cost_fen"] < 0:
        raise Invalid("negative_cost", "The cost must not be negative.", "费用不能为负数。", field="cost_fen")
    p = Programme(
        title=fields["title"], jurisdiction=jurisdiction, tier=fields["tier"], category=fields["category"],
        content_area=fields["content_area"], topics=sorted(set(fields["topics"])), delivery=fields["delivery"],
        mode=fields["mode"], location=fields["location"], hours_ch=rules.to_ch(fields["hours"]),
        cpd_accredited=fields["cpd_accredited"], cpd_hours_ch=rules.to_ch(fields["cpd_hours"]),
        eligible_posts=sorted(set(fields["eligible_posts"])), eligible_designations=sorted(set(fields["eligible_designations"])),
        assessment_required=fields["assessment_required"], cost_fen=fields["cost_fen"],
        description=fields.get("description"), created_by=principal.sub, created_at=now,
    )
    s.add(p)
    s.flush()
    return p


def get_programme(s: Session, programme_id: int, principal: Principal | None) -> Programme:
    p = s.get(Programme, programme_id)
    if p is None or (principal is not None and not sees(principal, p.jurisdiction)):
        raise NotFound("programme", "培训项目", programme_id)
    return p


def list_programmes(s: Session, principal: Principal, *, tier: str | None, category: str | None, topic: str | None,
                    location: str | None, limit: int, offset: int) -> tuple[list[Programme], int]:
    q = select(Programme).where(visible_to(principal, Programme.jurisdiction))
    if tier:
        q = q.where(Programme.tier == tier)
    if category:
        q = q.where(Programme.category == category)
    if location:
        q = q.where(Programme.location == location)
    rows = list(s.execute(q.order_by(Programme.id)).scalars())
    if topic:  # topics are a short JSON list; filtered here so both databases agree
        rows = [p for p in rows if topic in (p.topics or [])]
    return rows[offset:offset + limit], len(rows)


# --- sessions ---------------------------------------------------------------------


def lock_session(s: Session, session_id: int) -> CourseSession | None:
    return s.execute(
        select(CourseSession).where(CourseSession.id == session_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def lock_worker(s: Session, worker_id: int) -> RosterWorker | None:
    return s.execute(
        select(RosterWorker).where(RosterWorker.worker_id == worker_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def session_for(s: Session, session_id: int, principal: Principal | None, *, lock: bool = False,
                write: bool = False) -> CourseSession:
    """The session, if the caller may see it (404 otherwise); for a write the
    caller must cover its jurisdiction (403, D-8)."""
    sess = lock_session(s, session_id) if lock else s.get(CourseSession, session_id)
    if sess is None or (principal is not None and not sees(principal, sess.jurisdiction)):
        raise NotFound("session", "培训班次", session_id, field="session_id")
    if write and principal is not None:
        require_jurisdiction(principal, sess.jurisdiction)
    return sess


def create_session(
    s: Session, principal: Principal, programme_id: int, *, jurisdiction: str | None, starts_at: datetime,
    ends_at: datetime, days: list[date] | None, venue: str | None, online_link: str | None, trainer: str | None,
    capacity: int, now: datetime,
) -> CourseSession:
    prog = get_programme(s, programme_id, principal)
    jurisdiction = jurisdiction or (prog.jurisdiction if principal.covers(prog.jurisdiction) else principal.jurisdiction)
    if not district_in(prog.jurisdiction, jurisdiction):
        raise Invalid("outside_programme_jurisdiction",
                      f"A session of a {prog.jurisdiction} programme must be held within {prog.jurisdiction}.",
                      f"该项目的班次须在 {prog.jurisdiction} 范围内举办。", field="jurisdiction", clause="D-8")
    require_jurisdiction(principal, jurisdiction)
    if ends_at <= starts_at:
        raise Invalid("session_ends_before_start", "The session must end after it starts.", "班次结束时间须晚于开始时间。",
                      field="ends_at")
    span = rules.session_days(starts_at, ends_at)
    if days:
        days = sorted(set(days))
        outside = [d for d in days if d not in span]
        if outside:
            raise Invalid("day_outside_session", f"{outside[0]} is not between the first and the last day of the session.",
                          f"{outside[0]} 不在班次起止日期之内。", field="days")
    else:
        days = span
    if len(days) > 400:
        raise Invalid("session_too_long", "A session has at most 400 days.", "一个班次最多 400 天。", field="ends_at")
    if prog.delivery == "offline" and not venue:
        raise Invalid("venue_required", "An offline session needs a venue.", "线下班次须填写地点。", field="venue")
    if prog.delivery == "online" and not online_link:
        raise Invalid("online_link_required", "An online session needs its link.", "线上班次须填写链接。", field="online_link")
    sess = CourseSession(
        programme_id=prog.id, jurisdiction=jurisdiction, starts_at=starts_at, ends_at=ends_at,
        days=[d.isoformat() for d in days], venue=venue, online_link=online_link, trainer=trainer,
        capacity=capacity, status="scheduled", created_by=principal.sub, created_at=now,
    )
    s.add(sess)
    s.flush()
    return sess


def session_days_of(sess: CourseSession) -> list[date]:
    return [date.fromisoformat(d) for d in sess.days]


class Counts(NamedTuple):
    enrolled: int
    waitlisted: int


def counts(s: Session, session_ids: list[int]) -> dict[int, Counts]:
    """Seats held (enrolled, completed, not completed) and waitlist length per session."""
    out = {i: Counts(0, 0) for i in session_ids}
    if not session_ids:
        return out
    rows = s.execute(
        select(Enrolment.session_id, Enrolment.status, func.count())
        .where(Enrolment.session_id.in_(session_ids), Enrolment.status != "cancelled")
        .group_by(Enrolment.session_id, Enrolment.status)
    ).all()
    acc: dict[int, list[int]] = {i: [0, 0] for i in session_ids}
    for sid, status, n in rows:
        acc[sid][1 if status == "waitlisted" else 0] += n
    return {i: Counts(*v) for i, v in acc.items()}


def list_sessions(
    s: Session, principal: Principal, *, starts_from: datetime | None, starts_before: datetime | None,
    programme_id: int | None, jurisdiction: str | None, tier: str | None, include_cancelled: bool,
    limit: int, offset: int,
) -> tuple[list[tuple[CourseSession, Programme]], int]:
    """Sessions overlapping [starts_from, starts_before), earliest first: the calendar feed."""
    q = (select(CourseSession, Programme).join(Programme, Programme.id == CourseSession.programme_id)
         .where(visible_to(principal, CourseSession.jurisdiction)))
    if starts_from is not None:
        q = q.where(CourseSession.ends_at > starts_from)
    if starts_before is not None:
        q = q.where(CourseSession.starts_at < starts_before)
    if programme_id is not None:
        q = q.where(CourseSession.programme_id == programme_id)
    if jurisdiction:
        q = q.where(in_scope(CourseSession.jurisdiction, jurisdiction))
    if tier:
        q = q.where(Programme.tier == tier)
    if not include_cancelled:
        q = q.where(CourseSession.status != "cancelled")
    total = s.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = s.execute(q.order_by(CourseSession.starts_at, CourseSession.id).limit(limit).offset(offset)).all()
    return [(r[0], r[1]) for r in rows], total


# --- enrolment, the waitlist and cancellation ---------------------------------------


def _seated(s: Session, session_id: int) -> int:
    return s.execute(select(func.count()).select_from(Enrolment).where(
        Enrolment.session_id == session_id, Enrolment.status == "enrolled")).scalar_one()


def waitlist_position(s: Session, e: Enrolment) -> int | None:
    if e.status != "waitlisted":
        return None
    return s.execute(select(func.count()).select_from(Enrolment).where(
        Enrolment.session_id == e.session_id, Enrolment.status == "waitlisted", Enrolment.id <= e.id)).scalar_one()


def is_selected_abroad(s: Session, worker_id: int, year: int) -> bool:
    return s.execute(select(AbroadSelection.id).where(
        AbroadSelection.worker_id == worker_id, AbroadSelection.year == year)).first() is not None


class _Held(NamedTuple):
    session_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    enrolment_id: int | None


class Placement:
    """Enrolment for a set of workers and sessions, set-based.

    It locks the roster rows, then the session rows (always in that order, by
    id), and loads once what the rules need: each worker's live places with
    their times (for duplicates and overlaps), the seats taken, designations,
    the abroad list and the tier policy. ``place`` then applies the rules to
    one (session, worker) pair in memory and adds the enrolment; later pairs
    see the earlier ones, first come first served."""

    def __init__(self, s: Session, policies: Policies, principal: Principal | None,
                 worker_ids: Iterable[int], session_ids: Iterable[int]):
        self.s, self.policies, self.principal = s, policies, principal
        self.workers: dict[int, RosterWorker] = {}
        for chunk in _chunks(worker_ids):
            self.workers.update((w.worker_id, w) for w in s.execute(
                select(RosterWorker).where(RosterWorker.worker_id.in_(chunk)).order_by(RosterWorker.worker_id)
                .with_for_update().execution_options(populate_existing=True)).scalars())
        self.sessions: dict[int, CourseSession] = {}
        for chunk in _chunks(session_ids):
            self.sessions.update((x.id, x) for x in s.execute(
                select(CourseSession).where(CourseSession.id.in_(chunk)).order_by(CourseSession.id)
                .with_for_update().execution_options(populate_existing=True)).scalars())
        pids = {x.programme_id for x in self.sessions.values()}
        self.programmes = {p.id: p for p in s.execute(select(Programme).where(Programme.id.in_(pids))).scalars()}
        self.held: dict[int, list[_Held]] = defaultdict(list)
        self.designations: dict[int, list[Designation]] = defaultdict(list)
        self.abroad: set[tuple[int, int]] = set()
        for chunk in _chunks(self.workers):
            for r in s.execute(
                select(Enrolment.id, Enrolment.worker_id, Enrolment.session_id, Enrolment.status,
                       CourseSession.starts_at, CourseSession.ends_at)
                .join(CourseSession, CourseSession.id == Enrolment.session_id)
                .where(Enrolment.worker_id.in_(chunk), Enrolment.status.in_(rules.HELD_STATUSES),
                       CourseSession.status != "cancelled")
            ):
                self.held[r.worker_id].append(_Held(r.session_id, r.starts_at, r.ends_at, r.status, r.id))
            for d in s.execute(select(Designation).where(Designation.worker_id.in_(chunk))).scalars():
                self.designations[d.worker_id].append(d)
            self.abroad.update((r.worker_id, r.year) for r in s.execute(
                select(AbroadSelection.worker_id, AbroadSelection.year).where(AbroadSelection.worker_id.in_(chunk))))
        self.seated: dict[int, int] = {sid: 0 for sid in self.sessions}
        for chunk in _chunks(self.sessions):
            for sid, n in s.execute(select(Enrolment.session_id, func.count()).where(
                    Enrolment.session_id.in_(chunk), Enrolment.status == "enrolled").group_by(Enrolment.session_id)):
                self.seated[sid] = n
        self._tiers: dict[tuple[str, date], TierEligibility] = {}

    def _designations_on(self, worker_id: int, on: date) -> frozenset[str]:
        return frozenset(d.designation for d in self.designations.get(worker_id, ())
                         if (d.valid_from is None or d.valid_from <= on) and (d.valid_until is None or d.valid_until >= on))

    def _tier_rule(self, jurisdiction: str, on: date) -> TierEligibility:
        key = (jurisdiction, on)
        if key not in self._tiers:
            self._tiers[key] = self.policies.in_force(self.s, "tier_eligibility", jurisdiction, on)
        return self._tiers[key]

    def place(self, session_id: int, worker_id: int, *, source: str, by: str, now: datetime) -> Enrolment:
        """Seat the worker if a seat is free, else put them at the end of the
        waitlist. Refuses a worker who is not eligible (422), or who already
        holds a place here or in an overlapping session (409)."""
        principal = self.principal
        worker = self.workers.get(worker_id)
        if worker is None or (principal is not None and not principal.may_see(worker.jurisdiction, worker.worker_id)):
            raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
        sess = self.sessions.get(session_id)
        if sess is None or (principal is not None and not sees(principal, sess.jurisdiction)):
            raise NotFound("session", "培训班次", session_id, field="session_id")
        if sess.status != "scheduled":
            raise Conflict("session_not_open", f"Session {sess.id} is {sess.status}.",
                           f"该班次已{_STATUS_ZH[sess.status]}。", field="session_id")
        mine = self.held[worker_id]
        here = [h for h in mine if h.session_id == sess.id]
        if here:
            raise Conflict("already_enrolled",
                           f"Worker {worker_id} already holds a place in session {sess.id} ({here[0].status}).",
                           "该社区工作者已报名该班次。", field="worker_id", extra={"enrolment_id": here[0].enrolment_id})
        prog = self.programmes[sess.programme_id]
        on = sess.starts_at.date()
        refusal = rules.eligibility(
            rules.Candidate(worker.worker_id, worker.post, worker.jurisdiction, worker.status == "active",
                            self._designations_on(worker_id, on)),
            rules.Offer(prog.tier, prog.location, sess.jurisdiction, on.year, prog.eligible_posts,
                        prog.eligible_designations),
            self._tier_rule(sess.jurisdiction, on),
            (worker_id, on.year) in self.abroad,
        )
        if refusal:
            raise Invalid(refusal.code, refusal.detail, refusal.detail_zh, field=refusal.field, clause=refusal.clause)
        clash = min((h for h in mine if rules.overlaps(h.starts_at, h.ends_at, sess.starts_at, sess.ends_at)),
                    key=lambda h: h.starts_at, default=None)
        if clash is not None:
            raise Conflict(
                "overlapping_session",
                f"Worker {worker_id} already holds session {clash.session_id} ({clash.starts_at:%Y-%m-%d %H:%M} to "
                f"{clash.ends_at:%Y-%m-%d %H:%M}), which overlaps this one.",
                f"该社区工作者已报名的班次 {clash.session_id} 与本班次时间重叠。",
                field="session_id", extra={"overlapping_session_id": clash.session_id},
            )
        seated = self.seated[sess.id] < sess.capacity
        e = Enrolment(
            session_id=sess.id, worker_id=worker_id, status="enrolled" if seated else "waitlisted", source=source,
            requested_by=by, requested_at=now, seated_at=now if seated else None, promoted=False,
        )
        self.s.add(e)
        self.seated[sess.id] += int(seated)
        mine.append(_Held(sess.id, sess.starts_at, sess.ends_at, e.status, None))
        return e


def enrol(s: Session, policies: Policies, *, session_id: int, worker_id: int, principal: Principal | None,
          source: str, by: str, now: datetime) -> Enrolment:
    """One enrolment: first come first served, else the end of the waitlist (see ``Placement``)."""
    e = Placement(s, policies, principal, [worker_id], [session_id]).place(
        session_id, worker_id, source=source, by=by, now=now)
    s.flush()
    return e


_STATUS_ZH = {"scheduled": "开放", "closed": "结班", "cancelled": "取消"}


def fill_seats(s: Session, sess: CourseSession, now: datetime) -> list[Enrolment]:
    """Free seats go to the head of the waitlist at once, in order."""
    free = sess.capacity - _seated(s, sess.id)
    if free <= 0:
        return []
    heads = list(s.execute(select(Enrolment).where(
        Enrolment.session_id == sess.id, Enrolment.status == "waitlisted").order_by(Enrolment.id).limit(free)).scalars())
    for e in heads:
        e.status, e.seated_at, e.promoted = "enrolled", now, True
    s.flush()
    return heads


def get_enrolment(s: Session, enrolment_id: int, principal: Principal) -> tuple[Enrolment, CourseSession]:
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFound("enrolment", "报名记录", enrolment_id)
    sess = s.get(CourseSession, e.session_id)
    worker = s.get(RosterWorker, e.worker_id)
    if is_worker(principal):
        ok = e.worker_id == principal.worker_id
    else:
        ok = principal.covers(sess.jurisdiction) or (worker is not None and principal.covers(worker.jurisdiction))
    if not ok:
        raise NotFound("enrolment", "报名记录", enrolment_id)
    return e, sess


def cancel_enrolment(s: Session, enrolment_id: int, principal: Principal | None, reason: str | None, by: str,
                     now: datetime) -> tuple[Enrolment, list[Enrolment]]:
    """Cancel a place (by the worker or a coordinator); a freed seat goes to the
    head of the waitlist in the same transaction."""
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFound("enrolment", "报名记录", enrolment_id)
    if principal is not None:
        get_enrolment(s, enrolment_id, principal)
    sess = lock_session(s, e.session_id)
    s.refresh(e)
    if e.status not in rules.OPEN_STATUSES or sess.status != "scheduled":
        raise Conflict("not_cancellable", f"Enrolment {e.id} is {e.status} in a {sess.status} session; it cannot be cancelled.",
                       "该报名记录已不能取消。", field="enrolment_id")
    was_seated = e.status == "enrolled"
    e.status, e.cancelled_at, e.cancelled_by, e.cancel_reason = "cancelled", now, by, (reason or None)
    s.flush()
    return e, (fill_seats(s, sess, now) if was_seated else [])


def update_session(s: Session, principal: Principal, session_id: int, changes: dict, now: datetime
                   ) -> tuple[CourseSession, list[Enrolment]]:
    sess = session_for(s, session_id, principal, lock=True, write=True)
    if sess.status != "scheduled":
        raise Conflict("session_not_open", f"Session {sess.id} is {sess.status}.", f"该班次已{_STATUS_ZH[sess.status]}。",
                       field="session_id")
    if "capacity" in changes:
        seated = _seated(s, sess.id)
        if changes["capacity"] < seated:
            raise Invalid("capacity_below_enrolled",
                          f"Capacity {changes['capacity']} is below the {seated} worker(s) already enrolled.",
                          f"容量 {changes['capacity']} 少于已报名的 {seated} 人。", field="capacity")
    for k, v in changes.items():
        setattr(sess, k, v)
    s.flush()
    return sess, fill_seats(s, sess, now)


def cancel_session(s: Session, principal: Principal, session_id: int, reason: str | None, now: datetime) -> CourseSession:
    sess = session_for(s, session_id, principal, lock=True, write=True)
    if sess.status != "scheduled":
        raise Conflict("session_not_open", f"Session {sess.id} is {sess.status}.", f"该班次已{_STATUS_ZH[sess.status]}。",
                       field="session_id")
    for e in s.execute(select(Enrolment).where(Enrolment.session_id == sess.id,
                                               Enrolment.status.in_(rules.OPEN_STATUSES))).scalars():
        e.status, e.cancelled_at, e.cancelled_by = "cancelled", now, principal.sub
        e.cancel_reason = "session cancelled" + (f": {reason}" if reason else "")
    sess.status = "cancelled"
    s.flush()
    return sess


def bulk_enrol(s: Session, policies: Policies, body: bytes, principal: Principal, now: datetime) -> list[Enrolment]:
    """Enrol from CSV (columns session_id, worker_id), in file order, first come
    first served. One bad row and nothing is written; every bad row is named."""
    rows = read_csv(body, ["session_id", "worker_id"])
    if not rows:
        raise Invalid("csv_empty", "The CSV has no rows.", "CSV 文件没有数据行。", field="body")
    parsed: list[tuple[int, int, int]] = []
    errors: list[FieldError] = []
    for line, r in rows:
        try:
            parsed.append((line, int(r["session_id"]), int(r["worker_id"])))
        except ValueError:
            errors.append(_row_error(line, "session_id" if not r["session_id"].isdigit() else "worker_id",
                                     "must be a whole number"))
    if errors:
        raise _rows_refused(errors, "enrolment file", "报名文件")
    plan = Placement(s, policies, principal, [w for *_, w in parsed], [sid for _, sid, _ in parsed])
    done: list[Enrolment] = []
    for line, sid, wid in parsed:
        try:
            done.append(plan.place(sid, wid, source="csv", by=principal.sub, now=now))
        except (Invalid, Conflict, NotFound) as p:
            errors.append(_row_error(line, p.field or "worker_id", f"{p.code}: {p.detail}"))
    if errors:
        raise _rows_refused(errors, "enrolment file", "报名文件")
    s.flush()
    return done


def auto_enrol(s: Session, policies: Policies, worker_id: int, tier: str, not_before: date, by: str,
               now: datetime, not_after: date | None = None) -> Enrolment | None:
    """Enrol a worker in the earliest open session of ``tier`` starting on or
    after ``not_before`` (and, when given, on or before ``not_after``) with a
    free seat, else on the earliest one's waitlist. Skips a worker who already
    holds or completed a place in that tier."""
    worker = lock_worker(s, worker_id)
    if worker is None or worker.status != "active":
        return None
    already = s.execute(
        select(Enrolment.id).join(CourseSession, CourseSession.id == Enrolment.session_id)
        .join(Programme, Programme.id == CourseSession.programme_id)
        .where(Enrolment.worker_id == worker_id, Programme.tier == tier, Enrolment.status.in_(rules.HELD_STATUSES))
    ).first()
    if already:
        return None
    candidates = list(s.execute(
        select(CourseSession).join(Programme, Programme.id == CourseSession.programme_id).where(
            Programme.tier == tier, CourseSession.status == "scheduled",
            CourseSession.starts_at >= datetime.combine(not_before, datetime.min.time()),
            CourseSession.jurisdiction.in_(jurisdiction_chain(worker.jurisdiction)),
            *([CourseSession.starts_at < datetime.combine(not_after + timedelta(days=1), datetime.min.time())]
              if not_after else []),
        ).order_by(CourseSession.starts_at, CourseSession.id)
    ).scalars())
    c = counts(s, [c.id for c in candidates])
    ordered = [x for x in candidates if c[x.id].enrolled < x.capacity] + [x for x in candidates if c[x.id].enrolled >= x.capacity]
    for sess in ordered:
        try:
            with s.begin_nested():
                return enrol(s, policies, session_id=sess.id, worker_id=worker_id, principal=None, source="event",
                             by=by, now=now)
        except (Invalid, Conflict, NotFound):
            continue
    return None


def close_open_enrolments(s: Session, worker_id: int, reason: str, now: datetime) -> list[Enrolment]:
    """Cancel a leaver's open places in sessions still running; their seats go
    to the waitlists."""
    open_ = list(s.execute(
        select(Enrolment).join(CourseSession, CourseSession.id == Enrolment.session_id).where(
            Enrolment.worker_id == worker_id, Enrolment.status.in_(rules.OPEN_STATUSES),
            CourseSession.status == "scheduled",
        ).order_by(Enrolment.session_id)
    ).scalars())
    for e in open_:
        sess = lock_session(s, e.session_id)
        s.refresh(e)
        if e.status not in rules.OPEN_STATUSES:
            continue
        was_seated = e.status == "enrolled"
        e.status, e.cancelled_at, e.cancelled_by, e.cancel_reason = "cancelled", now, "system", reason
        s.flush()
        if was_seated:
            fill_seats(s, sess, now)
    return open_


def session_enrolments(s: Session, session_id: int, statuses: Iterable[str] | None = None
                       ) -> list[tuple[Enrolment, RosterWorker | None]]:
    q = (select(Enrolment, RosterWorker).outerjoin(RosterWorker, RosterWorker.worker_id == Enrolment.worker_id)
         .where(Enrolment.session_id == session_id))
    if statuses:
        q = q.where(Enrolment.status.in_(list(statuses)))
    return [(r[0], r[1]) for r in s.execute(q.order_by(Enrolment.id)).all()]


class EnrolmentView(NamedTuple):
    enrolment: Enrolment
    session: CourseSession
    programme: Programme
    worker: RosterWorker | None


def enrolment_views(s: Session, *, worker_id: int | None = None, session_id: int | None = None,
                    enrolment_ids: list[int] | None = None, status: str | None = None) -> list[EnrolmentView]:
    q = (select(Enrolment, CourseSession, Programme, RosterWorker)
         .join(CourseSession, CourseSession.id == Enrolment.session_id)
         .join(Programme, Programme.id == CourseSession.programme_id)
         .outerjoin(RosterWorker, RosterWorker.worker_id == Enrolment.worker_id))
    if worker_id is not None:
        q = q.where(Enrolment.worker_id == worker_id)
    if session_id is not None:
        q = q.where(Enrolment.session_id == session_id)
    if enrolment_ids is not None:
        q = q.where(Enrolment.id.in_(enrolment_ids))
    if status:
        q = q.where(Enrolment.status == status)
    return [EnrolmentView(*r) for r in s.execute(q.order_by(CourseSession.starts_at, Enrolment.id)).all()]


def waitlist_positions(s: Session, views: list[EnrolmentView]) -> dict[int, int]:
    out: dict[int, int] = {}
    for v in views:
        pos = waitlist_position(s, v.enrolment)
        if pos is not None:
            out[v.enrolment.id] = pos
    return out


# --- attendance, assessment and completion --------------------------------------


def _open_for_records(s: Session, principal: Principal, session_id: int) -> CourseSession:
    sess = session_for(s, session_id, principal, lock=True, write=True)
    if sess.status != "scheduled":
        raise Conflict("session_closed", f"Session {sess.id} is {sess.status}; its records are final.",
                       f"该班次已{_STATUS_ZH[sess.status]}，记录不能再修改。", field="session_id")
    return sess


def _seated_by_worker(s: Session, session_id: int) -> dict[int, Enrolment]:
    return {e.worker_id: e for e in s.execute(select(Enrolment).where(
        Enrolment.session_id == session_id, Enrolment.status == "enrolled")).scalars()}


def record_attendance(s: Session, principal: Principal, session_id: int, day: date,
                      records: list[tuple[int, bool]], now: datetime) -> CourseSession:
    """Present or absent on one session day, for seated workers only."""
    sess = _open_for_records(s, principal, session_id)
    if day not in session_days_of(sess):
        raise Invalid("day_outside_session", f"{day} is not a day of session {sess.id} ({', '.join(sess.days)}).",
                      f"{day} 不是该班次的上课日。", field="day")
    seated = _seated_for_records(s, sess, records)
    for wid, present in records:
        eid = seated[wid].id
        a = s.get(Attendance, (eid, day))
        if a is None:
            s.add(Attendance(enrolment_id=eid, day=day, present=present, recorded_by=principal.sub, recorded_at=now))
        else:
            a.present, a.recorded_by, a.recorded_at = present, principal.sub, now
    s.flush()
    return sess


def _seated_for_records(s: Session, sess: CourseSession, records: list[tuple[int, bool]]) -> dict:
    """The seated enrolments by worker; 422 naming every listed worker without a seat."""
    seated = _seated_by_worker(s, sess.id)
    errors = [FieldError(f"records[{i}].worker_id", f"worker {wid} holds no seat in session {sess.id}")
              for i, (wid, _) in enumerate(records) if wid not in seated]
    if errors:
        raise Invalid("not_seated", f"{errors[0].reason}.", "名单中有未在该班次就座的社区工作者。",
                      field=errors[0].field, errors=errors)
    return seated


def record_assessments(s: Session, principal: Principal, session_id: int, records: list[tuple[int, bool]]) -> CourseSession:
    sess = _open_for_records(s, principal, session_id)
    prog = s.get(Programme, sess.programme_id)
    if not prog.assessment_required:
        raise Invalid("no_assessment", f"Programme {prog.id} has no course assessment.", "该培训项目没有结业考核。",
                      field="records")
    seated = _seated_for_records(s, sess, records)
    for wid, passed in records:
        seated[wid].assessment_passed = passed
    s.flush()
    return sess


class SheetRow(NamedTuple):
    enrolment: Enrolment
    worker: RosterWorker | None
    marks: dict[date, bool]
    completion: rules.Completion


def attendance_sheet(s: Session, policies: Policies, sess: CourseSession) -> tuple[Programme, list[date], list[SheetRow]]:
    """Every seated worker with their marks per day and where they stand on completion."""
    prog = s.get(Programme, sess.programme_id)
    days = session_days_of(sess)
    rule: CompletionRule = policies.in_force(s, "completion", sess.jurisdiction, days[-1])
    pairs = session_enrolments(s, sess.id, rules.SEATED_STATUSES)
    marks: dict[int, dict[date, bool]] = defaultdict(dict)
    ids = [e.id for e, _ in pairs]
    if ids:
        for a in s.execute(select(Attendance).where(Attendance.enrolment_id.in_(ids))).scalars():
            marks[a.enrolment_id][a.day] = a.present
    out = []
    for e, w in pairs:
        m = marks.get(e.id, {})
        present = sum(1 for d in days if m.get(d))
        out.append(SheetRow(e, w, m, rules.completion(len(days), present, prog.assessment_required,
                                                         e.assessment_passed, rule)))
    return prog, days, out


def close_session(s: Session, policies: Policies, principal: Principal, session_id: int, as_of: date,
                  now: datetime) -> tuple[CourseSession, list[SheetRow]]:
    """Close a session after its last day: each seated worker completes or not
    (D-6 threshold, assessment); completion credits the ledger and publishes
    session.completed and, for an accredited programme, cpd.credited."""
    sess = _open_for_records(s, principal, session_id)
    days = session_days_of(sess)
    if as_of < days[-1]:
        raise Conflict("session_not_over", f"Session {sess.id} runs until {days[-1]}.", f"该班次到 {days[-1]} 才结束。",
                       field="session_id")
    prog, _, sheet = attendance_sheet(s, policies, sess)
    completed_on = days[-1]
    for row in sheet:
        e, w = row.enrolment, row.worker
        if not row.completion.completed:
            e.status = "not_completed"
            continue
        e.status, e.completed_on = "completed", completed_on
        jurisdiction = w.jurisdiction if w is not None else sess.jurisdiction
        s.add(TrainingCredit(
            worker_id=e.worker_id, enrolment_id=e.id, session_id=sess.id, programme_id=prog.id, title=prog.title,
            jurisdiction=jurisdiction, tier=prog.tier, category=prog.category, delivery=prog.delivery,
            location=prog.location, hours_ch=prog.hours_ch, cpd_hours_ch=prog.cpd_hours_ch if prog.cpd_accredited else 0,
            completed_on=completed_on, year=completed_on.year,
        ))
        publish(s, infra.outbox, SessionCompleted(
            worker_id=e.worker_id, jurisdiction=jurisdiction, session_id=sess.id, programme_id=prog.id,
            tier=prog.tier, category=prog.category, hours=from_ch(prog.hours_ch), completed_on=completed_on,
        ))
        if prog.cpd_accredited and prog.cpd_hours_ch > 0:
            publish(s, infra.outbox, CpdCredited(
                worker_id=e.worker_id, jurisdiction=jurisdiction, hours=from_ch(prog.cpd_hours_ch),
                credited_on=completed_on, session_id=sess.id, programme_id=prog.id,
                source="degree" if prog.tier == "degree" else "course",
            ))
    for e in s.execute(select(Enrolment).where(Enrolment.session_id == sess.id,
                                               Enrolment.status == "waitlisted")).scalars():
        e.status, e.cancelled_at, e.cancelled_by, e.cancel_reason = "cancelled", now, principal.sub, "session closed"
    sess.status, sess.closed_at = "closed", now
    s.flush()
    return sess, sheet


# --- the ledger and the obligations of D-6 ------------------------------------------


def credits_of(s: Session, worker_id: int, year: int | None = None) -> list[TrainingCredit]:
    q = select(TrainingCredit).where(TrainingCredit.worker_id == worker_id)
    if year is not None:
        q = q.where(TrainingCredit.year == year)
    return list(s.execute(q.order_by(TrainingCredit.completed_on, TrainingCredit.id)).scalars())


def _credit(c) -> rules.Credit:
    return rules.Credit(c.completed_on, c.tier, c.delivery, c.hours_ch)


def _member(w: RosterWorker) -> rules.Member:
    return rules.Member(w.post, w.hired_on, w.probation_ends_on)


def _rule_date(year: int, as_of: date) -> date:
    return min(as_of, date(year, 12, 31))


def worker_obligations(s: Session, policies: Policies, w: RosterWorker, year: int, as_of: date) -> list[rules.Obligation]:
    rule: ObligationRule = policies.in_force(s, "training_obligations", w.jurisdiction, _rule_date(year, as_of))
    return rules.obligations(_member(w), [_credit(c) for c in credits_of(s, w.worker_id)], year, as_of, rule)


class ComplianceLine(NamedTuple):
    worker: RosterWorker
    obligation: rules.Obligation


def compliance(s: Session, policies: Policies, scope: str, year: int, as_of: date) -> tuple[int, list[ComplianceLine]]:
    """Every active worker in ``scope`` judged against D-6 for ``year``: how many
    were checked, and each obligation not met (open or behind) with its shortfall."""
    workers = list(s.execute(select(RosterWorker).where(
        in_scope(RosterWorker.jurisdiction, scope), RosterWorker.status == "active",
        or_(RosterWorker.hired_on.is_(None), RosterWorker.hired_on <= date(year, 12, 31)),
    ).order_by(RosterWorker.jurisdiction, RosterWorker.worker_id)).scalars())
    rule_for: dict[str, ObligationRule] = {}
    for j in {w.jurisdiction for w in workers}:
        rule_for[j] = policies.in_force(s, "training_obligations", j, _rule_date(year, as_of))
    longest = max((r.every_years for r in rule_for.values()), default=2)
    since = date(year - longest + 1, 1, 1)
    tc = TrainingCredit
    by_worker: dict[int, list[rules.Credit]] = defaultdict(list)
    for r in s.execute(
        select(tc.worker_id, tc.completed_on, tc.tier, tc.delivery, tc.hours_ch)
        .join(RosterWorker, RosterWorker.worker_id == tc.worker_id)
        .where(in_scope(RosterWorker.jurisdiction, scope), or_(tc.completed_on >= since, tc.tier == "induction"))
    ):
        by_worker[r.worker_id].append(_credit(r))
    lines: list[ComplianceLine] = []
    for w in workers:
        for o in rules.obligations(_member(w), by_worker.get(w.worker_id, []), year, as_of, rule_for[w.jurisdiction]):
            if o.status in ("open", "behind"):
                lines.append(ComplianceLine(w, o))
    lines.sort(key=lambda x: (x.obligation.status != "behind", x.worker.jurisdiction, x.worker.worker_id))
    return len(workers), lines


# --- statistics (S3-7 人次) and spend (S2-2) -----------------------------------------


class Statistics(NamedTuple):
    sessions: int
    person_times: int
    completed_person_times: int
    workers: int
    hours_ch: int
    cpd_hours_ch: int
    by_tier: dict[str, int]
    by_category: dict[str, int]
    by_location: dict[str, int]
    by_delivery: dict[str, int]
    spend_fen: int
    budget_fen: int
    budget_jurisdiction: str


def statistics(s: Session, policies: Policies, scope: str, year: int) -> Statistics:
    """The sessions ``scope`` ran that started in ``year`` (a city's include its
    districts'): person-times (人次, each seat held counts once), distinct
    workers, hours credited, and spend (programme cost per participant) against
    the year's budget."""
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    in_year = and_(in_scope(CourseSession.jurisdiction, scope), CourseSession.starts_at >= start,
                   CourseSession.starts_at < end, CourseSession.status != "cancelled")
    n_sessions = s.execute(select(func.count()).select_from(CourseSession).where(in_year)).scalar_one()
    seats = (select(Enrolment.id, Enrolment.worker_id, Enrolment.status, Programme.tier, Programme.category,
                    Programme.location, Programme.delivery, Programme.cost_fen)
             .join(CourseSession, CourseSession.id == Enrolment.session_id)
             .join(Programme, Programme.id == CourseSession.programme_id)
             .where(in_year, Enrolment.status.in_(rules.SEATED_STATUSES))).subquery()
    totals = s.execute(select(func.count(), func.count(distinct(seats.c.worker_id)),
                              func.coalesce(func.sum(seats.c.cost_fen), 0))).one()
    completed = s.execute(select(func.count()).select_from(seats).where(seats.c.status == "completed")).scalar_one()

    def by(col) -> dict[str, int]:
        return {k: n for k, n in s.execute(select(col, func.count()).group_by(col).order_by(col)).all()}

    hours = s.execute(select(func.coalesce(func.sum(TrainingCredit.hours_ch), 0),
                             func.coalesce(func.sum(TrainingCredit.cpd_hours_ch), 0))
                      .where(TrainingCredit.enrolment_id.in_(select(seats.c.id)))).one()
    version = policies.version_in_force(s, "training_budget", scope, date(year, 12, 31))
    budget = msgspec.convert(version.value, rules.BudgetRule)
    return Statistics(
        n_sessions, totals[0], completed, totals[1], int(hours[0]), int(hours[1]),
        by(seats.c.tier), by(seats.c.category), by(seats.c.location), by(seats.c.delivery),
        int(totals[2]), budget.annual_fen, version.jurisdiction,
    )


# --- places abroad (S2-3) ---------------------------------------------------------


def select_abroad(s: Session, policies: Policies, principal: Principal, year: int, worker_id: int, note: str | None,
                  now: datetime) -> AbroadSelection:
    """Put a worker on the year's selection list for study abroad, within the
    yearly places of the jurisdiction whose policy is in force (S2-3)."""
    w = lock_worker(s, worker_id)
    if w is None or not principal.may_see(w.jurisdiction, w.worker_id):
        raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
    require_jurisdiction(principal, w.jurisdiction, field="worker_id")
    if w.status != "active":
        raise Invalid("worker_not_active", f"Worker {worker_id} has left.", "该社区工作者已离职。", field="worker_id")
    version = policies.version_in_force(s, "abroad_places", w.jurisdiction, date(year, 12, 31))
    # the policy row that sets the places is the lock that serialises selections against it
    s.execute(select(infra.policy_version.c.id).where(infra.policy_version.c.id == version.id).with_for_update())
    if is_selected_abroad(s, worker_id, year):
        raise Conflict("already_selected", f"Worker {worker_id} is already on the {year} list.",
                       f"该社区工作者已在 {year} 年度名单中。", field="worker_id", clause="S2-3")
    places = msgspec.convert(version.value, rules.AbroadRule).places_per_year
    taken = s.execute(select(func.count()).select_from(AbroadSelection).where(
        AbroadSelection.year == year, in_scope(AbroadSelection.jurisdiction, version.jurisdiction))).scalar_one()
    if taken >= places:
        raise Conflict("abroad_places_full",
                       f"All {places} places abroad for {year} in {version.jurisdiction} are taken.",
                       f"{version.jurisdiction} {year} 年度出境学习名额（{places} 个）已满。", field="year", clause="S2-3",
                       extra={"places_per_year": places, "taken": taken})
    sel = AbroadSelection(year=year, worker_id=worker_id, jurisdiction=w.jurisdiction, note=note,
                          selected_by=principal.sub, selected_at=now)
    s.add(sel)
    s.flush()
    return sel


def list_abroad(s: Session, principal: Principal, year: int | None) -> list[AbroadSelection]:
    q = select(AbroadSelection).where(in_scope(AbroadSelection.jurisdiction, principal.jurisdiction))
    if is_worker(principal):
        q = select(AbroadSelection).where(AbroadSelection.worker_id == principal.worker_id)
    if year is not None:
        q = q.where(AbroadSelection.year == year)
    return list(s.execute(q.order_by(AbroadSelection.year, AbroadSelection.id)).scalars())


def remove_abroad(s: Session, principal: Principal, selection_id: int) -> None:
    sel = s.get(AbroadSelection, selection_id)
    if sel is None or not principal.covers(sel.jurisdiction):
        raise NotFound("selection", "选派记录", selection_id)
    held = s.execute(
        select(Enrolment.id).join(CourseSession, CourseSession.id == Enrolment.session_id)
        .join(Programme, Programme.id == CourseSession.programme_id).where(
            Enrolment.worker_id == sel.worker_id, Enrolment.status.in_(rules.HELD_STATUSES),
            Programme.location == "abroad", CourseSession.starts_at >= datetime(sel.year, 1, 1),
            CourseSession.starts_at < datetime(sel.year + 1, 1, 1))
    ).first()
    if held:
        raise Conflict("selection_in_use", "The worker holds a place abroad this year; cancel it first.",
                       "该社区工作者已报名本年度出境学习，请先取消报名。", field="selection_id", clause="S2-3")
    s.delete(sel)
