"""Campaigns (公开招考, S3-6): announce, open posts (S4-1), cancel, and the history of every step (D-4)."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.orm import Session

from hr_service.recruitment import store
from hr_service.recruitment.api.schemas import (
    HR,
    CampaignOut,
    Cancellation,
    EventOut,
    NewCampaign,
    NewPost,
    PostOut,
    event_out,
    post_out,
)
from hr_service.recruitment.tables import Campaign
from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc, now, today


def campaign_outs(s: Session, campaigns: list[Campaign]) -> list[CampaignOut]:
    """The campaigns with their posts and how many applications are in each state (two queries for all)."""
    ids = [c.id for c in campaigns]
    posts, counts = store.posts_by_campaign(s, ids), store.status_counts(s, ids)
    return [CampaignOut(c.id, c.title, c.jurisdiction, c.announced_on, c.status,
                        [post_out(p) for p in posts[c.id]], counts[c.id]) for c in campaigns]


def campaign_out(s: Session, c: Campaign) -> CampaignOut:
    [out] = campaign_outs(s, [c])
    return out


class CampaignController(Controller):
    """Open recruitment (公开招考, S3-6) by the steps of D-4: the campaign itself."""

    path = "/campaigns"
    tags = ["recruitment"]
    guards = [HR]

    @post("/", sync_to_thread=True)
    def create_campaign(self, svc: Svc, request: Request, data: JSONBody[NewCampaign]) -> CampaignOut:
        """Announce a campaign for a jurisdiction."""
        with svc.db.transaction() as s:
            c = store.create_campaign(s, request.user, title=data.title, jurisdiction=data.jurisdiction,
                                      announced_on=data.announced_on or today(), now=now())
            return campaign_out(s, c)

    @get("/", sync_to_thread=True)
    def list_campaigns(self, svc: Svc, request: Request, status: FromQuery[str | None] = None,
                       limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[CampaignOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_campaigns(s, request.user, status, limit, offset)
            return Page(campaign_outs(s, rows), total, limit, offset)

    @get("/{campaign_id:int}", sync_to_thread=True)
    def get_campaign(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg]) -> CampaignOut:
        with svc.db.read_session() as s:
            return campaign_out(s, store.campaign(s, request.user, campaign_id))

    @post("/{campaign_id:int}/posts", sync_to_thread=True)
    def add_post(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg], data: JSONBody[NewPost]) -> PostOut:
        """Open places for a community; more than its vacancies is 409 (S4-1)."""
        with svc.db.transaction() as s:
            return post_out(store.add_post(s, request.user, svc.policies, campaign_id,
                                           community_code=data.community_code, post=data.post, count=data.count,
                                           as_of=today(), now=now()))

    @post("/{campaign_id:int}/cancel", sync_to_thread=True, status_code=200)
    def cancel(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg],
               data: JSONBody[Cancellation]) -> CampaignOut:
        with svc.db.transaction() as s:
            return campaign_out(s, store.cancel(s, request.user, campaign_id, reason=data.reason, as_of=today(),
                                                now=now()))

    @get("/{campaign_id:int}/history", sync_to_thread=True)
    def history(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg]) -> list[EventOut]:
        """Every step of the campaign, in order: who, when, from which state to which."""
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return [event_out(e) for e in store.history(s, c.id)]
