"""Communities (社区): the unit of S4-1's staffing quota (with S4-3 and D-9),
their dated figures (D-11), the room on their rolls, their vacancies, and
their work funds (S4-7a/b/c).

The rolls on a date and the one quota check (``check_room``) are
``hr_service.store.rolls``: HR's own store uses them too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.org import store as org
from hr_service.org.tables import OrgUnitName
from hr_service.recruitment import rules
from hr_service.recruitment.states import RUNNING, ApplicationStatus
from hr_service.recruitment.tables import Application, Campaign, CampaignPost, Community, CommunityFigures
from hr_service.rules import staffing as room_rules
from hr_service.rules.staffing import Figures
from hr_service.store.rolls import (
    figures_versions,
    headcount,
    staffing_rule,
)
from shared.auth import Principal, Role, require_jurisdiction
from shared.db import in_jurisdiction
from shared.errors import Conflict, Invalid, NotFound
from shared.paging import fetch_page
from shared.policy import Policies

"""The kind of ``worker_change`` row a transfer keeps (D-11)."""


def visible_scope(q, column, principal: Principal):
    """``q`` narrowed to the rows of the caller's jurisdiction (D-8)."""
    return q.where(in_jurisdiction(column, principal.jurisdiction))


def community(s: Session, principal: Principal, code: str, *, write: bool = False) -> Community:
    """The community ``code``: 404 when unknown or (on reads) outside the
    caller's jurisdiction, 403 on writes outside it (D-8). A street officer
    acts on the communities of their street (D-17)."""
    q = select(Community).where(Community.code == code)
    if write:
        q = q.with_for_update()
    c = s.execute(q).scalar_one_or_none()
    if c is None:
        raise NotFound("community", "社区", code)
    if write:
        require_jurisdiction(principal, c.jurisdiction, field="district")
    elif not principal.may_see(c.jurisdiction, None, c.code):
        raise NotFound("community", "社区", code)
    return c


# --- registration and dated figures (D-11) ---------------------------------------


def add_figures(s: Session, c: Community, *, effective_from: date, households: int, party_members: int,
                reason: str | None, actor: str, now: datetime) -> CommunityFigures:
    v = CommunityFigures(community_code=c.code, effective_from=effective_from, households=households,
                         party_members=party_members, reason=reason, recorded_by=actor, recorded_at=now)
    s.add(v)
    return v


def create_community(
    s: Session, principal: Principal, *, code: str, name: str, district: str, households: int,
    party_members: int, effective_from: date, reason: str | None, now: datetime, street: str | None = None,
) -> Community:
    """A community of the officer's district (in a registered street of it
    when ``street`` is given, D-17), its figures the first version from
    ``effective_from`` (D-11) and its name the first dated name."""
    require_jurisdiction(principal, district, field="district")
    org.check_street(s, district, street)
    if street is not None:
        require_jurisdiction(principal, street, field="street")
    if s.execute(select(Community.id).where(Community.code == code)).first():
        raise Conflict("community_exists", f"Community '{code}' exists.", f"社区“{code}”已存在。", field="code")
    c = Community(code=code, name=name, district=district, street=street, households=households,
                  party_members=party_members, created_at=now, updated_at=now)
    s.add(c)
    s.flush()
    org.add_name(s, org.COMMUNITY, c.code, name, effective_from, principal.sub, now)
    add_figures(s, c, effective_from=effective_from, households=households, party_members=party_members,
                reason=reason, actor=principal.sub, now=now)
    s.flush()
    return c


def update_community(
    s: Session, principal: Principal, code: str, *, name: str | None, households: int | None,
    party_members: int | None, effective_from: date | None, reason: str | None, today: date, now: datetime,
    street: str | None = None,
) -> Community:
    """A new name is a dated name from today (D-17; ``rename`` for another
    date); new households or party members are a new version from
    ``effective_from`` (default today), after the latest (D-11: the past is
    not rewritten), the other figure carried from it. The row shows the
    latest. A date or reason with no figures to date is 422. ``street`` puts
    the community in a street of its district while nobody is recorded in it
    (409 otherwise, D-17)."""
    c = community(s, principal, code, write=True)
    if street is not None:
        org.assign_street(s, principal, c, street)
    figures = households is not None or party_members is not None
    if not figures and (effective_from is not None or reason is not None):
        raise Invalid("figures_required", "effective_from and reason date new households or party members; "
                      "give them.", "生效日期和理由用于新的户数或党员数，请一并填写。", field="households",
                      clause="D-11")
    if name is not None and name != c.name:
        org.rename_community(s, c, name=name, effective_from=today, today=today, actor=principal.sub, now=now)
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
    """The communities the caller sees (a community secretary: their own, D-17),
    of ``district`` (a district or a street) when given."""
    q = visible_scope(select(Community), Community.jurisdiction, principal)
    if principal.role is Role.community_secretary:
        q = q.where(Community.code == principal.community)
    if district:  # a street lies in its district, so one prefix test covers both (D-17)
        q = q.where(in_jurisdiction(Community.jurisdiction, district))
    page, total = fetch_page(s, q, [Community.code], limit, offset)
    rows = page.scalars().all()
    return list(rows), total


def rename(s: Session, principal: Principal, code: str, *, name: str, effective_from: date, today: date,
           now: datetime) -> Community:
    """The community's new name from ``effective_from`` (after its latest
    name, not after today; D-17): reports for earlier dates keep the old one."""
    c = community(s, principal, code, write=True)
    org.rename_community(s, c, name=name, effective_from=effective_from, today=today, actor=principal.sub, now=now)
    s.flush()
    return c


def names_of(s: Session, c: Community) -> list[OrgUnitName]:
    """Every name the community has had, oldest first (D-17)."""
    return org.name_history(s, org.COMMUNITY, c.code)


def names_on(s: Session, codes: list[str], as_of: date) -> dict[str, str]:
    """The names of ``codes`` in force on ``as_of`` (D-17)."""
    return org.community_names(s, codes, as_of)


# --- the quota and the rolls on a date (S4-1, S4-3, D-9, D-11) ----------------------


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
        policies.in_force(s, "work_fund", c.jurisdiction, as_of),
        policies.in_force(s, "work_fund_growth", c.jurisdiction, as_of),
        policies.in_force(s, "party_work_fund", c.jurisdiction, as_of),
        staffing_rule(s, policies, c, as_of),
    )
