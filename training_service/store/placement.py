"""Placement: taking places in sessions, one at a time, from a file, or for a
worker an event names (induction on hire, the leader-talent class on selection).

Seats are counted under a lock on the session row: on SQLite every write
transaction begins IMMEDIATE (one writer at a time); on PostgreSQL the roster
rows and then the session rows are taken ``FOR UPDATE``, always in that order,
so that two transactions never wait on each other in a circle."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.auth import Principal
from shared.db import in_chunks
from shared.errors import Conflict, FieldError, Invalid, NotFound
from shared.policy import Policies, jurisdiction_chain
from shared.tabular import read_records
from training_service import rules
from training_service.states import EnrolmentStatus, RosterStatus, SessionStatus
from training_service.store.common import row_error, rows_refused, sees, texts
from training_service.store.roster import lock_worker
from training_service.store.seats import counts
from training_service.tables import AbroadSelection, CourseSession, Designation, Enrolment, Programme, RosterWorker


class Placement:
    """Enrolment for a set of workers and sessions, set-based.

    It locks the roster rows, then the session rows (always in that order, by
    id), and loads once what the rules need: each worker's live places with
    their times (for duplicates and overlaps), the seats taken, designations,
    the abroad list and the tier policy. ``place`` then asks
    ``rules.placement`` about one (session, worker) pair in memory and adds the
    enrolment; later pairs see the earlier ones, first come first served."""

    def __init__(self, s: Session, policies: Policies, principal: Principal | None,
                 worker_ids: Iterable[int], session_ids: Iterable[int]):
        self.s, self.principal = s, principal
        self.workers: dict[int, RosterWorker] = {}
        for chunk in in_chunks(worker_ids):
            self.workers.update((w.worker_id, w) for w in s.execute(
                select(RosterWorker).where(RosterWorker.worker_id.in_(chunk)).order_by(RosterWorker.worker_id)
                .with_for_update().execution_options(populate_existing=True)).scalars())
        self.sessions: dict[int, CourseSession] = {}
        for chunk in in_chunks(session_ids):
            self.sessions.update((x.id, x) for x in s.execute(
                select(CourseSession).where(CourseSession.id.in_(chunk)).order_by(CourseSession.id)
                .with_for_update().execution_options(populate_existing=True)).scalars())
        pids = {x.programme_id for x in self.sessions.values()}
        self.programmes = {p.id: p for p in s.execute(select(Programme).where(Programme.id.in_(pids))).scalars()}
        self.held: dict[int, list[rules.Held]] = defaultdict(list)
        self.designations: dict[int, list[Designation]] = defaultdict(list)
        self.abroad: set[tuple[int, int]] = set()
        for chunk in in_chunks(self.workers):
            self.load_workers(chunk)
        self.seated: dict[int, int] = {sid: 0 for sid in self.sessions}
        for chunk in in_chunks(self.sessions):
            for sid, n in s.execute(select(Enrolment.session_id, func.count()).where(
                    Enrolment.session_id.in_(chunk), Enrolment.status == EnrolmentStatus.enrolled)
                    .group_by(Enrolment.session_id)):
                self.seated[sid] = n
        self.book = policies.book(s, ("tier_eligibility",))

    def load_workers(self, worker_ids: list[int]) -> None:
        """The workers' live places (with their sessions' times), designations and places abroad."""
        s = self.s
        for r in s.execute(
            select(Enrolment.id, Enrolment.worker_id, Enrolment.session_id, Enrolment.status,
                   CourseSession.starts_at, CourseSession.ends_at)
            .join(CourseSession, CourseSession.id == Enrolment.session_id)
            .where(Enrolment.worker_id.in_(worker_ids), Enrolment.status.in_(rules.HELD_STATUSES),
                   CourseSession.status != SessionStatus.cancelled)
        ):
            self.held[r.worker_id].append(rules.Held(r.session_id, r.starts_at, r.ends_at, r.status, r.id))
        for d in s.execute(select(Designation).where(Designation.worker_id.in_(worker_ids))).scalars():
            self.designations[d.worker_id].append(d)
        self.abroad.update((r.worker_id, r.year) for r in s.execute(
            select(AbroadSelection.worker_id, AbroadSelection.year).where(AbroadSelection.worker_id.in_(worker_ids))))

    def designations_on(self, worker_id: int, on: date) -> frozenset[str]:
        """The designations the worker holds on ``on`` (their terms include it)."""
        return frozenset(d.designation for d in self.designations.get(worker_id, ())
                         if (d.valid_from is None or d.valid_from <= on)
                         and (d.valid_until is None or d.valid_until >= on))

    def place(self, session_id: int, worker_id: int, *, source: str, by: str, now: datetime) -> Enrolment:
        """Seat the worker if a seat is free, else put them at the end of the
        waitlist. Refuses a worker or session the caller cannot see (404), and
        whatever ``rules.placement`` refuses (409 or 422)."""
        principal = self.principal
        worker = self.workers.get(worker_id)
        if worker is None or (principal is not None and not principal.may_see(worker.jurisdiction, worker.worker_id)):
            raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
        sess = self.sessions.get(session_id)
        if sess is None or (principal is not None and not sees(principal, sess.jurisdiction)):
            raise NotFound("session", "培训班次", session_id, field="session_id")
        prog = self.programmes[sess.programme_id]
        on = sess.starts_at.date()
        mine = self.held[worker_id]
        status = rules.placement(
            rules.Candidate(worker.worker_id, worker.post, worker.jurisdiction, worker.status == RosterStatus.active,
                            self.designations_on(worker_id, on)),
            rules.Slot(sess.id, sess.status, sess.starts_at, sess.ends_at, sess.capacity, self.seated[sess.id]),
            rules.Offer(prog.tier, prog.location, sess.jurisdiction, on.year, prog.eligible_posts,
                        prog.eligible_designations),
            self.book.in_force("tier_eligibility", sess.jurisdiction, on),
            (worker_id, on.year) in self.abroad,
            mine,
        )
        if isinstance(status, rules.Refusal):
            raise status.problem()
        seated = status == EnrolmentStatus.enrolled
        e = Enrolment(
            session_id=sess.id, worker_id=worker_id, status=status, source=source,
            requested_by=by, requested_at=now, seated_at=now if seated else None, promoted=False,
        )
        self.s.add(e)
        self.seated[sess.id] += int(seated)
        mine.append(rules.Held(sess.id, sess.starts_at, sess.ends_at, status, None))
        return e


def enrol(s: Session, policies: Policies, *, session_id: int, worker_id: int, principal: Principal | None,
          source: str, by: str, now: datetime) -> Enrolment:
    """One enrolment: first come first served, else the end of the waitlist (see ``Placement``)."""
    e = Placement(s, policies, principal, [worker_id], [session_id]).place(
        session_id, worker_id, source=source, by=by, now=now)
    s.flush()
    return e


def bulk_enrol(s: Session, policies: Policies, body: bytes, principal: Principal, now: datetime) -> list[Enrolment]:
    """Enrol from a CSV or XLSX file (columns session_id, worker_id), in file
    order, first come first served. One bad row and nothing is written; every
    bad row is named."""
    records = read_records(body, ["session_id", "worker_id"], field="body")
    if not records:
        raise Invalid("csv_empty", "The CSV has no rows.", "CSV 文件没有数据行。", field="body")
    parsed: list[tuple[int, int, int]] = []
    errors: list[FieldError] = []
    for line, record in records:
        r = texts(record)
        try:
            parsed.append((line, int(r["session_id"]), int(r["worker_id"])))
        except ValueError:
            errors.append(row_error(line, "session_id" if not r["session_id"].isdigit() else "worker_id",
                                    "must be a whole number"))
    if errors:
        raise rows_refused(errors, "enrolment file", "报名文件")
    plan = Placement(s, policies, principal, [w for *_, w in parsed], [sid for _, sid, _ in parsed])
    done: list[Enrolment] = []
    for line, sid, wid in parsed:
        try:
            done.append(plan.place(sid, wid, source="csv", by=principal.sub, now=now))
        except (Invalid, Conflict, NotFound) as p:
            errors.append(row_error(line, p.field or "worker_id", f"{p.code}: {p.detail}"))
    if errors:
        raise rows_refused(errors, "enrolment file", "报名文件")
    s.flush()
    return done


def open_sessions_of_tier(s: Session, tier: str, jurisdiction: str, not_before: date,
                          not_after: date | None) -> list[CourseSession]:
    """Scheduled sessions of ``tier`` open to a worker of ``jurisdiction``,
    starting from ``not_before`` (to ``not_after``), earliest first."""
    return list(s.execute(
        select(CourseSession).join(Programme, Programme.id == CourseSession.programme_id).where(
            Programme.tier == tier, CourseSession.status == SessionStatus.scheduled,
            CourseSession.starts_at >= datetime.combine(not_before, datetime.min.time()),
            CourseSession.jurisdiction.in_(jurisdiction_chain(jurisdiction)),
            *([CourseSession.starts_at < datetime.combine(not_after + timedelta(days=1), datetime.min.time())]
              if not_after else []),
        ).order_by(CourseSession.starts_at, CourseSession.id)
    ).scalars())


def auto_enrol(s: Session, policies: Policies, worker_id: int, tier: str, not_before: date, by: str,
               now: datetime, not_after: date | None = None) -> Enrolment | None:
    """Enrol a worker in the earliest open session of ``tier`` starting on or
    after ``not_before`` (and, when given, on or before ``not_after``) with a
    free seat, else on the earliest one's waitlist. Skips a worker who already
    holds or completed a place in that tier."""
    worker = lock_worker(s, worker_id)
    if worker is None or worker.status != RosterStatus.active:
        return None
    already = s.execute(
        select(Enrolment.id).join(CourseSession, CourseSession.id == Enrolment.session_id)
        .join(Programme, Programme.id == CourseSession.programme_id)
        .where(Enrolment.worker_id == worker_id, Programme.tier == tier, Enrolment.status.in_(rules.HELD_STATUSES))
    ).first()
    if already:
        return None
    candidates = open_sessions_of_tier(s, tier, worker.jurisdiction, not_before, not_after)
    c = counts(s, [c.id for c in candidates])
    free = [x for x in candidates if c[x.id].enrolled < x.capacity]
    ordered = free + [x for x in candidates if c[x.id].enrolled >= x.capacity]
    for sess in ordered:
        try:
            with s.begin_nested():
                return enrol(s, policies, session_id=sess.id, worker_id=worker_id, principal=None, source="event",
                             by=by, now=now)
        except (Invalid, Conflict, NotFound):
            continue
    return None
