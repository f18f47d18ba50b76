"""Scores and the ranking per post (D-4)."""
from __future__ import annotations

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody, RawBody
from sqlalchemy.orm import Session

from hr_service.recruitment import rules, store
from hr_service.recruitment.api.schemas import (
    HR,
    ApplicationOut,
    PostRanking,
    RankedOut,
    Scores,
    UploadOut,
    application_out,
    points,
)
from hr_service.recruitment.tables import Campaign
from shared.types import IdArg
from shared.web import Svc, now, today


def ranking_out(s: Session, c: Campaign) -> list[PostRanking]:
    apps = [a for a in store.applications_of(s, c.id) if a.rank is not None]
    out = []
    for p in store.posts_of(s, c.id):
        mine = sorted((a for a in apps if a.post_id == p.id), key=lambda a: (a.rank, a.id))
        out.append(PostRanking(p.id, p.community_code, p.post, p.count, [
            RankedOut(a.id, a.name, a.rank, points(a.written), a.bonus_points,
                      points(rules.written_total(a.written, a.bonus_points or 0)), points(a.interview),
                      points(a.composite), a.status)
            for a in mine
        ]))
    return out


class ScoreController(Controller):
    """Written and interview scores, one by one or a file at a time, and the ranking."""

    path = "/campaigns"
    tags = ["recruitment"]
    guards = [HR]

    @put("/{campaign_id:int}/applications/{application_id:int}/scores", sync_to_thread=True)
    def scores(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg], application_id: FromPath[IdArg],
               data: JSONBody[Scores]) -> ApplicationOut:
        """Enter a written and/or interview score (0 to the policy's maximum, two decimals)."""
        with svc.db.transaction() as s:
            return application_out(store.enter_scores(
                s, request.user, svc.policies, campaign_id, application_id, written=data.written,
                interview=data.interview, as_of=today(), now=now(),
            ))

    @post("/{campaign_id:int}/scores/csv", sync_to_thread=True, status_code=200)
    def upload_scores(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg], body: RawBody) -> UploadOut:
        """Upload scores as CSV (``Content-Type: text/csv``; UTF-8 or GB18030) or XLSX.

        Header: ``id_number`` (or ``application_id``), ``written`` and/or
        ``interview``; other columns are ignored. A bad row makes the whole
        file refused (422) with every bad row listed; nothing is written."""
        with svc.db.transaction() as s:
            return UploadOut(store.upload_scores(s, request.user, svc.policies, campaign_id, body,
                                                 as_of=today(), now=now()))

    @post("/{campaign_id:int}/rank", sync_to_thread=True, status_code=200)
    def rank(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg]) -> list[PostRanking]:
        """Composite scores and the ranking per post (D-4); the first of each post are chosen."""
        with svc.db.transaction() as s:
            store.rank(s, request.user, svc.policies, campaign_id, as_of=today(), now=now())
            return ranking_out(s, store.campaign(s, request.user, campaign_id))

    @get("/{campaign_id:int}/ranking", sync_to_thread=True)
    def ranking(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg]) -> list[PostRanking]:
        with svc.db.read_session() as s:
            return ranking_out(s, store.campaign(s, request.user, campaign_id))
