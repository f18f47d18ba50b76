"""Campaigns (公开招考, S3-6, D-4): access, the order of the steps, the history
of every step with the states it moved between, the posts a campaign opens
(S4-1), closing and cancelling."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.recruitment import rules
from hr_service.recruitment.states import CAMPAIGN, ApplicationStatus, CampaignStatus
from hr_service.recruitment.store.communities import staffing_of, visible_scope
from hr_service.recruitment.tables import Application, Campaign, CampaignEvent, CampaignPost, Community
from hr_service.rules import POSTS
from hr_service.store.rolls import locked_community
from shared.auth import Principal, district_in, ensure_visible, require_jurisdiction
from shared.errors import Conflict, Invalid, NotFound
from shared.paging import fetch_page
from shared.policy import Policies


def campaign(s: Session, principal: Principal, campaign_id: int, *, write: bool = False) -> Campaign:
    """The campaign: 404 when unknown or not visible; on writes its row is
    locked (steps queue) and 403 outside the officer's jurisdiction (D-8)."""
    q = select(Campaign).where(Campaign.id == campaign_id)
    if write:
        q = q.with_for_update()
    c = s.execute(q).scalar_one_or_none()
    if c is None:
        raise NotFound("campaign", "招考", campaign_id)
    if write:
        require_jurisdiction(principal, c.jurisdiction)
    else:
        ensure_visible(principal, c.jurisdiction, None, "campaign", "招考", campaign_id)
    return c


def require_step(c: Campaign, step: str) -> None:
    """D-4: the campaign's steps run in order."""
    if not rules.step_allowed(c.status, step):
        raise Conflict(
            "step_out_of_order",
            f"Cannot {step.replace('_', ' ')} while the campaign is '{c.status}': this step comes "
            f"{rules.STEP_NEEDS[step]}.",
            f"招考当前处于“{c.status}”阶段，不能执行“{step}”。",
            field="status", clause="D-4", extra={"status": c.status, "step": step},
        )


def applications_not_ready(code: str, ids: list[int], en: str, zh: str, field: str) -> Conflict:
    """D-4: a step refused because the applications ``ids`` are not ready for it (409 naming them)."""
    listed = ", ".join(map(str, ids))
    return Conflict(code, f"Application(s) {listed} {en}", f"报名 {listed} {zh}", field=field, clause="D-4",
                    extra={"applications": ids})


def record_step(s: Session, c: Campaign, step: str, actor: str, as_of: date, now: datetime,
                to_status: CampaignStatus | None = None, **detail: Any) -> None:
    """Write the step to the campaign's history; with ``to_status`` the campaign
    moves there first (``states.CAMPAIGN``; staying where it is is no move)."""
    from_status = c.status
    if to_status is not None and to_status != c.status:
        c.status = CAMPAIGN.move(c.status, to_status)
    s.add(CampaignEvent(campaign_id=c.id, step=step, from_status=from_status, to_status=c.status, as_of=as_of,
                        actor=actor, detail=detail, at=now))


def recruitment_rule(s: Session, policies: Policies, c: Campaign) -> rules.RecruitmentRule:
    """D-4's figures for the campaign: those in force on its announcement."""
    return policies.in_force(s, "recruitment", c.jurisdiction, c.announced_on)


def create_campaign(
    s: Session, principal: Principal, *, title: str, jurisdiction: str, announced_on: date, now: datetime,
) -> Campaign:
    require_jurisdiction(principal, jurisdiction)
    c = Campaign(title=title, jurisdiction=jurisdiction, announced_on=announced_on,
                 status=CampaignStatus.announced, created_by=principal.sub, created_at=now)
    s.add(c)
    s.flush()
    s.add(CampaignEvent(campaign_id=c.id, step="announce", from_status=None, to_status=CampaignStatus.announced,
                        as_of=announced_on, actor=principal.sub, detail={"title": title}, at=now))
    return c


def list_campaigns(
    s: Session, principal: Principal, status: str | None, limit: int, offset: int,
) -> tuple[list[Campaign], int]:
    q = visible_scope(select(Campaign), Campaign.jurisdiction, principal)
    if status:
        q = q.where(Campaign.status == status)
    page, total = fetch_page(s, q, [Campaign.id.desc()], limit, offset)
    return list(page.scalars()), total


def posts_of(s: Session, campaign_id: int) -> list[CampaignPost]:
    return list(s.execute(
        select(CampaignPost).where(CampaignPost.campaign_id == campaign_id).order_by(CampaignPost.id)
    ).scalars())


def posts_by_campaign(s: Session, campaign_ids: list[int]) -> dict[int, list[CampaignPost]]:
    """The posts of each of the campaigns, in one query."""
    posts: dict[int, list[CampaignPost]] = {cid: [] for cid in campaign_ids}
    for p in s.execute(select(CampaignPost).where(CampaignPost.campaign_id.in_(campaign_ids))
                       .order_by(CampaignPost.id)).scalars():
        posts[p.campaign_id].append(p)
    return posts


def status_counts(s: Session, campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """How many applications each of the campaigns has in each state, in one query."""
    counts: dict[int, dict[str, int]] = {cid: {} for cid in campaign_ids}
    for cid, status, n in s.execute(
        select(Application.campaign_id, Application.status, func.count())
        .where(Application.campaign_id.in_(campaign_ids)).group_by(Application.campaign_id, Application.status)
    ).all():
        counts[cid][status] = n
    return counts


def applications_of(s: Session, campaign_id: int, status: str | None = None) -> list[Application]:
    q = select(Application).where(Application.campaign_id == campaign_id)
    if status:
        q = q.where(Application.status == status)
    return list(s.execute(q.order_by(Application.id)).scalars())


def history(s: Session, campaign_id: int) -> list[CampaignEvent]:
    return list(s.execute(
        select(CampaignEvent).where(CampaignEvent.campaign_id == campaign_id).order_by(CampaignEvent.id)
    ).scalars())


def _place_community(s: Session, principal: Principal, c: Campaign, community_code: str) -> Community:
    """The community a post is opened in (locked): yours (D-8) and the campaign's."""
    com = locked_community(s, community_code)
    if com is None or not principal.covers(com.jurisdiction):
        raise Invalid("unknown_community", f"No community '{community_code}' in your jurisdiction.",
                      f"您的管辖范围内没有社区“{community_code}”。", field="community_code")
    if not district_in(c.jurisdiction, com.jurisdiction):
        raise Invalid("community_outside_campaign",
                      f"Community '{community_code}' ({com.jurisdiction}) is outside the campaign's jurisdiction "
                      f"({c.jurisdiction}).",
                      f"社区“{community_code}”不在本次招考的范围（{c.jurisdiction}）内。", field="community_code")
    return com


def add_post(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, *, community_code: str, post: str,
    count: int, as_of: date, now: datetime,
) -> CampaignPost:
    """Open ``count`` places of ``post`` in a community. S4-1: never more than
    the community's quota less its headcount and the places other campaigns hold."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "add_post")
    if post not in POSTS:
        raise Invalid("unknown_post", f"Post must be one of {', '.join(POSTS)}.",
                      f"岗位须为{'、'.join(POSTS)}之一。", field="post", clause="D-2")
    com = _place_community(s, principal, c, community_code)
    if s.execute(select(CampaignPost.id).where(
        CampaignPost.campaign_id == c.id, CampaignPost.community_code == community_code, CampaignPost.post == post,
    )).first():
        raise Conflict("post_exists", f"The campaign already has {post} places for '{community_code}'.",
                       f"本次招考已设社区“{community_code}”的{post}岗位。", field="post")
    view = staffing_of(s, policies, com, as_of)
    available = view.available_for_new_posts
    if count > available:
        raise Conflict(
            "over_quota",
            f"Community '{community_code}' has {available} place(s) to open: quota {view.staffing.quota} "
            f"(S4-1 one worker per {view.staffing.households_per_worker} households) less {view.headcount} on the "
            f"rolls and {view.open_in_campaigns} open in campaigns; {count} asked.",
            f"社区“{community_code}”可招{available}名：编制{view.staffing.quota}名，在册{view.headcount}名，"
            f"其他招考已占{view.open_in_campaigns}名；申请{count}名超出编制。",
            field="count", clause="S4-1",
            extra={"quota": view.staffing.quota, "headcount": view.headcount,
                   "open_in_campaigns": view.open_in_campaigns, "available": available, "asked": count},
        )
    p = CampaignPost(campaign_id=c.id, community_code=community_code, post=post, count=count)
    s.add(p)
    s.flush()
    record_step(s, c, "add_post", principal.sub, as_of, now, post_id=p.id, community_code=community_code, post=post,
                count=count)
    return p


def maybe_close(s: Session, c: Campaign, actor: str, as_of: date, now: datetime) -> None:
    """Closed once no chosen candidate is left waiting (every place filled or no one left)."""
    if c.status not in (CampaignStatus.ranked, CampaignStatus.notice):
        return
    counts = status_counts(s, [c.id])[c.id]
    if not counts.get(ApplicationStatus.selected):
        record_step(s, c, "close", actor, as_of, now, to_status=CampaignStatus.closed,
                    hired=counts.get(ApplicationStatus.hired, 0))


def cancel(s: Session, principal: Principal, campaign_id: int, *, reason: str, as_of: date,
           now: datetime) -> Campaign:
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "cancel")
    record_step(s, c, "cancel", principal.sub, as_of, now, to_status=CampaignStatus.cancelled, reason=reason)
    s.flush()
    return c
