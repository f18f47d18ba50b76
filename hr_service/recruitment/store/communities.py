"""Communities (社区): the unit of S4-1's staffing quota (with S4-3 and D-9),
their dated figures (D-11), the room on their rolls, their vacancies, and
their work funds (S4-7a/b/c).

``check_room`` is the one quota check of every path that adds or moves a
worker (``POST /workers``, the import, recruitment's hire, a transfer, a
reinstatement): it locks the community's row, so two requests cannot both
take the last place, and asks ``hr_service.rules.staffing.room``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hr_service.recruitment import rules
from hr_service.recruitment.states import RUNNING, ApplicationStatus
from hr_service.recruitment.tables import Application, Campaign, CampaignPost, Community, CommunityFigures
from hr_service.rules import StaffingRule
from hr_service.rules import staffing as room_rules
from hr_service.rules.staffing import Figures, Place, QuotaStep, Room
from hr_service.states import WorkerStatus
from hr_service.tables import Worker, WorkerChange
from shared.auth import Principal, ensure_visible, require_jurisdiction
from shared.db import in_jurisdiction
from shared.errors import Conflict, Invalid, NotFound, Refusal
from shared.paging import fetch_page
from shared.policy import Policies, PolicyBook, jurisdiction_chain

TRANSFER = "transfer"
"""The kind of ``worker_change`` row a transfer keeps (D-11)."""


def visible_scope(q, column, principal: Principal):
    """``q`` narrowed to the rows of the caller's jurisdiction (D-8)."""
    return q.where(in_jurisdiction(column, principal.jurisdiction))


def community(s: Session, principal: Principal, code: str, *, write: bool = False) -> Community:
    """The community ``code``: 404 when unknown or (on reads) outside the
    caller's jurisdiction, 403 on writes outside it (D-8)."""
    q = select(Community).where(Community.code == code)
    if write:
        q = q.with_for_update()
    c = s.execute(q).scalar_one_or_none()
    if c is None:
        raise NotFound("community", "社区", code)
    if write:
        require_jurisdiction(principal, c.district, field="district")
    else:
        ensure_visible(principal, c.district, None, "community", "社区", code)
    return c


def locked_community(s: Session, code: str) -> Community | None:
    """The community's row taken FOR UPDATE: its vacancies are about to be counted and used."""
    return s.execute(select(Community).where(Community.code == code).with_for_update()).scalar_one_or_none()


def locked_communities(s: Session, codes: Iterable[str]) -> dict[str, Community]:
    """The registered ones of ``codes``, their rows taken FOR UPDATE in code order (no two requests deadlock)."""
    found: dict[str, Community] = {}
    for chunk in chunks(sorted(set(codes))):
        q = select(Community).where(Community.code.in_(chunk)).order_by(Community.code).with_for_update()
        found.update((c.code, c) for c in s.execute(q).scalars())
    return found


def chunks(values: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


# --- registration and dated figures (D-11) ---------------------------------------


def add_figures(s: Session, c: Community, *, effective_from: date, households: int, party_members: int,
                reason: str | None, actor: str, now: datetime) -> CommunityFigures:
    v = CommunityFigures(community_code=c.code, effective_from=effective_from, households=households,
                         party_members=party_members, reason=reason, recorded_by=actor, recorded_at=now)
    s.add(v)
    return v


def create_community(
    s: Session, principal: Principal, *, code: str, name: str, district: str, households: int,
    party_members: int, effective_from: date, reason: str | None, now: datetime,
) -> Community:
    """A community of the officer's district, its figures the first version from ``effective_from`` (D-11)."""
    require_jurisdiction(principal, district, field="district")
    if s.execute(select(Community.id).where(Community.code == code)).first():
        raise Conflict("community_exists", f"Community '{code}' exists.", f"社区“{code}”已存在。", field="code")
    c = Community(code=code, name=name, district=district, households=households, party_members=party_members,
                  created_at=now, updated_at=now)
    s.add(c)
    s.flush()
    add_figures(s, c, effective_from=effective_from, households=households, party_members=party_members,
                reason=reason, actor=principal.sub, now=now)
    s.flush()
    return c


def figures_by_code(s: Session, communities: Sequence[Community]) -> dict[str, list[Figures]]:
    """Each community's figures, oldest first (D-11). A community without any
    (none is, after the migration) has its row's figures from its registration."""
    found: dict[str, list[Figures]] = {}
    for chunk in chunks(sorted(c.code for c in communities)):
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


def update_community(
    s: Session, principal: Principal, code: str, *, name: str | None, households: int | None,
    party_members: int | None, effective_from: date | None, reason: str | None, today: date, now: datetime,
) -> Community:
    """The name changes in place; new households or party members are a new
    version from ``effective_from`` (default today), after the latest (D-11:
    the past is not rewritten), the other figure carried from it. The row
    shows the latest. A date or reason with no figures to date is 422."""
    c = community(s, principal, code, write=True)
    figures = households is not None or party_members is not None
    if not figures and (effective_from is not None or reason is not None):
        raise Invalid("figures_required", "effective_from and reason date new households or party members; "
                      "give them.", "生效日期和理由用于新的户数或党员数，请一并填写。", field="households",
                      clause="D-11")
    if name is not None:
        c.name = name
    if figures:
        effective_from = effective_from or today
        latest = figures_versions(s, c)[-1]
        refused = room_rules.figures_dating(latest.effective_from, effective_from)
        if refused is not None:
            raise refused.problem()
        c.households = latest.households if households is None else households
        c.party_members = latest.party_members if party_members is None else party_members
        add_figures(s, c, effective_from=effective_from, households=c.households, party_members=c.party_members,
                    reason=reason, actor=principal.sub, now=now)
    c.updated_at = now
    s.flush()
    return c


def figures_history(s: Session, c: Community) -> list[CommunityFigures]:
    return list(s.execute(select(CommunityFigures).where(CommunityFigures.community_code == c.code)
                          .order_by(CommunityFigures.effective_from)).scalars())


def list_communities(
    s: Session, principal: Principal, district: str | None, limit: int, offset: int,
) -> tuple[list[Community], int]:
    q = visible_scope(select(Community), Community.district, principal)
    if district:
        q = q.where(in_jurisdiction(Community.district, district))
    page, total = fetch_page(s, q, [Community.code], limit, offset)
    rows = page.scalars().all()
    return list(rows), total


# --- the quota and the rolls on a date (S4-1, S4-3, D-9, D-11) ----------------------


def staffing_rule(s: Session, policies: Policies, c: Community, as_of: date) -> StaffingRule:
    return policies.in_force(s, "staffing", c.district, as_of, or_first=True)


def quota_steps(book: PolicyBook, c: Community, figures: Sequence[Figures]) -> list[QuotaStep]:
    """The community's quota through time: a step wherever its figures or the
    staffing rule of its district (or city) change."""
    chain = jurisdiction_chain(c.district)
    days = {f.effective_from for f in figures}
    days |= {v.effective_from for v in book.versions["staffing"] if v.jurisdiction in chain}
    steps = []
    for day in sorted(days):
        f = room_rules.figures_on(figures, day)
        st = rules.staffing(f.households, f.party_members, book.in_force("staffing", c.district, day, or_first=True))
        steps.append(QuotaStep(day, st.quota, st.capped))
    return steps


def places_by_code(s: Session, codes: Sequence[str], *, moving_worker: int | None = None) -> dict[str, list[Place]]:
    """Every worker's time on each community's rolls (D-11): from the hire or
    the transfer in, to the last day or the day before the transfer out;
    ``moving_worker`` (the one being added) left out."""
    found: dict[str, list[Place]] = {code: [] for code in codes}
    for chunk in chunks(sorted(set(codes))):
        to_code = WorkerChange.after["community_code"].as_string()
        from_code = WorkerChange.before["community_code"].as_string()
        moved = select(WorkerChange.worker_id).where(WorkerChange.kind == TRANSFER,
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
            .where(WorkerChange.kind == TRANSFER, WorkerChange.worker_id.in_(moved))
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
    decided = room_rules.room(c.code, c.district, there, steps, on, adding, until)
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
        decided = room_rules.admissions(code, c.district, there[code], quota_steps(book, c, figures[code]),
                                        [rows[i].on for i in mine], until)
        for i, refusal in zip(mine, decided, strict=True):
            out[i] = refusal
    return out


# --- vacancies, staffing and funds -------------------------------------------------------


def open_places(s: Session, code: str, exclude_campaign: int | None = None) -> int:
    """Places opened for the community by running campaigns and not yet filled
    (a hired candidate is on the rolls and counts in the headcount instead)."""
    q = (
        select(CampaignPost.id, CampaignPost.count)
        .join(Campaign, Campaign.id == CampaignPost.campaign_id)
        .where(CampaignPost.community_code == code, Campaign.status.in_(RUNNING))
    )
    if exclude_campaign is not None:
        q = q.where(Campaign.id != exclude_campaign)
    posts = s.execute(q).all()
    if not posts:
        return 0
    hired = dict(s.execute(
        select(Application.post_id, func.count()).where(
            Application.post_id.in_([p.id for p in posts]), Application.status == ApplicationStatus.hired,
        ).group_by(Application.post_id)
    ).all())
    return sum(max(p.count - hired.get(p.id, 0), 0) for p in posts)


@dataclass
class StaffingView:
    community: Community
    as_of: date
    figures: Figures
    staffing: rules.Staffing
    headcount: int
    vacancies: int
    open_in_campaigns: int
    available_for_new_posts: int


def staffing_of(s: Session, policies: Policies, c: Community, as_of: date) -> StaffingView:
    """S4-1/S4-3/D-9: the quota from the figures in force on ``as_of`` (D-11),
    the workers on the rolls that day, the vacancies."""
    f = room_rules.figures_on(figures_versions(s, c), as_of)
    st = rules.staffing(f.households, f.party_members, staffing_rule(s, policies, c, as_of))
    n = headcount(s, c.code, as_of)
    reserved = open_places(s, c.code)
    vacancies = max(st.quota - n, 0)
    return StaffingView(c, as_of, f, st, n, vacancies, reserved, max(vacancies - reserved, 0))


def quota_given(s: Session, policies: Policies, c: Community, v: CommunityFigures) -> rules.Staffing:
    """The quota a version of the figures gives, under the staffing rule in force from its date."""
    return rules.staffing(v.households, v.party_members, staffing_rule(s, policies, c, v.effective_from))


def work_fund_of(s: Session, policies: Policies, c: Community, year: int) -> rules.WorkFund:
    """S4-7a/b/c, with the figures and policies in force on 1 January of ``year`` (D-11)."""
    as_of = date(year, 1, 1)
    f = room_rules.figures_on(figures_versions(s, c), as_of)
    return rules.work_fund(
        year, f.households, f.party_members,
        policies.in_force(s, "work_fund", c.district, as_of),
        policies.in_force(s, "work_fund_growth", c.district, as_of),
        policies.in_force(s, "party_work_fund", c.district, as_of),
        staffing_rule(s, policies, c, as_of),
    )
