"""The rolls of a community on a date and the one quota check (S4-1, S4-3,
D-9, D-11), for every path that adds or moves a worker: ``POST /workers``, the
import, recruitment's hire, a transfer, a reinstatement. ``check_room`` locks
the community's row, so two requests cannot both take the last place, and
asks ``hr_service.rules.staffing.room``. A community's figures are dated
versions; its headcount on a day follows hires, leavings and transfers."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hr_service.recruitment import rules
from hr_service.recruitment.tables import Community, CommunityFigures
from hr_service.rules import StaffingRule
from hr_service.rules import staffing as room_rules
from hr_service.rules.changes import ChangeKind
from hr_service.rules.staffing import Figures, Place, QuotaStep, Room
from hr_service.states import WorkerStatus
from hr_service.tables import Worker, WorkerChange
from shared.db import in_chunks
from shared.errors import Refusal
from shared.policy import Policies, PolicyBook, jurisdiction_chain


def locked_community(s: Session, code: str) -> Community | None:
    """The community's row taken FOR UPDATE: its vacancies are about to be counted and used."""
    return s.execute(select(Community).where(Community.code == code).with_for_update()).scalar_one_or_none()


def locked_communities(s: Session, codes: Iterable[str]) -> dict[str, Community]:
    """The registered ones of ``codes``, their rows taken FOR UPDATE in code order (no two requests deadlock)."""
    found: dict[str, Community] = {}
    for chunk in in_chunks(codes):
        q = select(Community).where(Community.code.in_(chunk)).order_by(Community.code).with_for_update()
        found.update((c.code, c) for c in s.execute(q).scalars())
    return found

def figures_by_code(s: Session, communities: Sequence[Community]) -> dict[str, list[Figures]]:
    """Each community's figures, oldest first (D-11). A community without any
    (none is, after the migration) has its row's figures from its registration."""
    found: dict[str, list[Figures]] = {}
    for chunk in in_chunks(c.code for c in communities):
        for code, effective_from, households, party_members in s.execute(
            select(CommunityFigures.community_code, CommunityFigures.effective_from, CommunityFigures.households,
                   CommunityFigures.party_members)
            .where(CommunityFigures.community_code.in_(chunk)).order_by(CommunityFigures.effective_from)
        ).all():
            found.setdefault(code, []).append(Figures(effective_from, households, party_members))
    return {c.code: found.get(c.code) or [Figures(c.created_at.date(), c.households, c.party_members)]
            for c in communities}


def figures_versions(s: Session, c: Community) -> list[Figures]:
    return figures_by_code(s, [c])[c.code]

def staffing_rule(s: Session, policies: Policies, c: Community, as_of: date) -> StaffingRule:
    return policies.in_force(s, "staffing", c.jurisdiction, as_of, or_first=True)


def quota_steps(book: PolicyBook, c: Community, figures: Sequence[Figures]) -> list[QuotaStep]:
    """The community's quota through time: a step wherever its figures or the
    staffing rule of its street, district or city change (D-17)."""
    chain = jurisdiction_chain(c.jurisdiction)
    days = {f.effective_from for f in figures}
    days |= {v.effective_from for v in book.versions["staffing"] if v.jurisdiction in chain}
    steps = []
    for day in sorted(days):
        f = room_rules.figures_on(figures, day)
        rule = book.in_force("staffing", c.jurisdiction, day, or_first=True)
        st = rules.staffing(f.households, f.party_members, rule)
        steps.append(QuotaStep(day, st.quota, st.capped))
    return steps


def places_by_code(s: Session, codes: Sequence[str], *, moving_worker: int | None = None) -> dict[str, list[Place]]:
    """Every worker's time on each community's rolls (D-11): from the hire or
    the transfer in, to the last day or the day before the transfer out;
    ``moving_worker`` (the one being added) left out."""
    found: dict[str, list[Place]] = {code: [] for code in codes}
    for chunk in in_chunks(codes):
        to_code = WorkerChange.after["community_code"].as_string()
        from_code = WorkerChange.before["community_code"].as_string()
        moved = select(WorkerChange.worker_id).where(WorkerChange.kind == ChangeKind.transfer.value,
                                                     or_(to_code.in_(chunk), from_code.in_(chunk)))
        q = select(Worker.id, Worker.hired_on, Worker.left_on, Worker.community_code).where(
            or_(Worker.community_code.in_(chunk), Worker.id.in_(moved)),
            or_(Worker.left_on.is_not(None), Worker.status != WorkerStatus.left))
        if moving_worker is not None:
            q = q.where(Worker.id != moving_worker)
        workers = s.execute(q).all()
        moves: dict[int, list[room_rules.Transfer]] = {}
        for wid, on, before, after in s.execute(
            select(WorkerChange.worker_id, WorkerChange.effective_on, WorkerChange.before, WorkerChange.after)
            .where(WorkerChange.kind == ChangeKind.transfer.value, WorkerChange.worker_id.in_(moved))
        ).all():
            moves.setdefault(wid, []).append(room_rules.Transfer(on, before.get("community_code"),
                                                                 after.get("community_code")))
        for w in workers:
            for where, place in room_rules.stints(w.hired_on, w.left_on, w.community_code, moves.get(w.id, [])):
                if where in found:
                    found[where].append(place)
    return found


def headcount(s: Session, code: str, as_of: date) -> int:
    """Workers on the rolls of the community on ``as_of`` (hired on or before, not left before)."""
    return room_rules.headcount_on(places_by_code(s, [code])[code], as_of)


def check_room(
    session: Session, policies: Policies, community_code: str, on: date, adding: int = 1, *,
    moving_worker: int | None = None, until: date | None = None,
) -> Room:
    """S4-1, S4-3, D-9: may ``adding`` workers join ``community_code``'s rolls
    on ``on``? The community's row is locked first. 422 ``unknown_community``
    when it is not registered; 409 ``quota_full`` (naming the community, its
    quota and headcount) when its headcount that day plus them passes its
    quota that day (with ``until``, on any later day up to it, e.g. today for a
    hire dated back). ``moving_worker`` (a transfer, a reinstatement) is not
    counted among those already there. Returns the room on ``on``."""
    c = locked_community(session, community_code)
    if c is None:
        raise room_rules.unknown_community(community_code).problem()
    steps = quota_steps(policies.book(session, ("staffing",)), c, figures_versions(session, c))
    there = places_by_code(session, [c.code], moving_worker=moving_worker)[c.code]
    decided = room_rules.room(c.code, c.jurisdiction, there, steps, on, adding, until)
    if isinstance(decided, Refusal):
        raise decided.problem()
    return decided


class Joining(NamedTuple):
    """A row of a file naming a community: ``counted`` False when the row is refused for
    another reason (its community is still checked, it takes no place)."""

    community_code: str | None
    on: date
    counted: bool = True


def rows_room(session: Session, policies: Policies, rows: Sequence[Joining], *,
              until: date | None = None) -> list[Refusal | None]:
    """``check_room`` for the rows of an import in a few statements, all rows
    of a community counted together in the file's order: for each row, None,
    or why it may not join (``unknown_community``, ``quota_full``)."""
    known = locked_communities(session, [r.community_code for r in rows if r.community_code is not None])
    out: list[Refusal | None] = [None] * len(rows)
    joining: dict[str, list[int]] = {}  # the counted rows of each community, in the file's order
    for i, r in enumerate(rows):
        if r.community_code is not None and r.community_code not in known:
            out[i] = room_rules.unknown_community(r.community_code)
        elif r.community_code is not None and r.counted:
            joining.setdefault(r.community_code, []).append(i)
    if not joining:
        return out
    book = policies.book(session, ("staffing",))
    figures = figures_by_code(session, [known[code] for code in joining])
    there = places_by_code(session, list(joining))
    for code, mine in joining.items():
        c = known[code]
        decided = room_rules.admissions(code, c.jurisdiction, there[code], quota_steps(book, c, figures[code]),
                                        [rows[i].on for i in mine], until)
        for i, refusal in zip(mine, decided, strict=True):
            out[i] = refusal
    return out