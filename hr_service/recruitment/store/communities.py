"""Communities (社区): the unit of S4-1's staffing quota (with S4-3 and D-9),
their vacancies, and their work funds (S4-7a/b/c)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.recruitment import rules
from hr_service.recruitment.states import RUNNING, ApplicationStatus
from hr_service.recruitment.tables import Application, Campaign, CampaignPost, Community
from hr_service.rules import StaffingRule
from hr_service.states import WorkerStatus
from hr_service.tables import Worker
from shared.auth import Principal, ensure_visible, require_jurisdiction
from shared.db import in_jurisdiction
from shared.errors import Conflict, NotFound
from shared.paging import fetch_page
from shared.policy import Policies


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


def create_community(
    s: Session, principal: Principal, *, code: str, name: str, district: str, households: int,
    party_members: int, now: datetime,
) -> Community:
    require_jurisdiction(principal, district, field="district")
    if s.execute(select(Community.id).where(Community.code == code)).first():
        raise Conflict("community_exists", f"Community '{code}' exists.", f"社区“{code}”已存在。", field="code")
    c = Community(code=code, name=name, district=district, households=households, party_members=party_members,
                  created_at=now, updated_at=now)
    s.add(c)
    s.flush()
    return c


def update_community(
    s: Session, principal: Principal, code: str, *, name: str | None, households: int | None,
    party_members: int | None, now: datetime,
) -> Community:
    c = community(s, principal, code, write=True)
    if name is not None:
        c.name = name
    if households is not None:
        c.households = households
    if party_members is not None:
        c.party_members = party_members
    c.updated_at = now
    s.flush()
    return c


def list_communities(
    s: Session, principal: Principal, district: str | None, limit: int, offset: int,
) -> tuple[list[Community], int]:
    q = visible_scope(select(Community), Community.district, principal)
    if district:
        q = q.where(in_jurisdiction(Community.district, district))
    page, total = fetch_page(s, q, [Community.code], limit, offset)
    rows = page.scalars().all()
    return list(rows), total


def headcount(s: Session, code: str) -> int:
    """Workers on the rolls of the community (not left)."""
    return s.execute(
        select(func.count()).select_from(Worker)
        .where(Worker.community_code == code, Worker.left_on.is_(None), Worker.status != WorkerStatus.left)
    ).scalar_one()


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
    staffing: rules.Staffing
    headcount: int
    vacancies: int
    open_in_campaigns: int
    available_for_new_posts: int


def staffing_of(s: Session, policies: Policies, c: Community, as_of: date) -> StaffingView:
    """S4-1/S4-3/D-9: the quota, the workers on the rolls, the vacancies."""
    rule: StaffingRule = policies.in_force(s, "staffing", c.district, as_of)
    st = rules.staffing(c.households, c.party_members, rule)
    n = headcount(s, c.code)
    reserved = open_places(s, c.code)
    vacancies = max(st.quota - n, 0)
    return StaffingView(c, as_of, st, n, vacancies, reserved, max(vacancies - reserved, 0))


def room_on(s: Session, policies: Policies, code: str, as_of: date) -> rules.Room:
    """S4-1 at hire: the community (locked) with its quota and headcount on ``as_of``."""
    com = locked_community(s, code)
    if com is None:
        raise NotFound("community", "社区", code)
    view = staffing_of(s, policies, com, as_of)
    return rules.Room(com.code, com.district, view.staffing.quota, view.headcount)


def work_fund_of(s: Session, policies: Policies, c: Community, year: int) -> rules.WorkFund:
    """S4-7a/b/c, with the figures in force on 1 January of ``year``."""
    as_of = date(year, 1, 1)
    return rules.work_fund(
        year, c.households, c.party_members,
        policies.in_force(s, "work_fund", c.district, as_of),
        policies.in_force(s, "work_fund_growth", c.district, as_of),
        policies.in_force(s, "party_work_fund", c.district, as_of),
        policies.in_force(s, "staffing", c.district, as_of),
    )
