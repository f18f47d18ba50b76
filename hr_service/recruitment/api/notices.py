"""The public notice (公示, D-4, D-10) and the objections lodged during it."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from hr_service.recruitment import store
from hr_service.recruitment.api.schemas import (
    HR,
    NewNotice,
    NewObjection,
    NoticeOut,
    ObjectionOut,
    Resolution,
    ResolutionOut,
    application_out,
    notice_out,
    objection_out,
)
from shared.types import IdArg
from shared.web import Svc, now, today


class NoticeController(Controller):
    """Notices of the chosen, checked candidates, and objections to them."""

    path = "/campaigns"
    tags = ["recruitment"]
    guards = [HR]

    @post("/{campaign_id:int}/notices", sync_to_thread=True)
    def start_notice(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg],
                     data: JSONBody[NewNotice]) -> NoticeOut:
        """Start a public notice (公示) of the chosen, checked candidates; it ends
        after N working days (D-4, D-10)."""
        as_of = today()
        with svc.db.transaction() as s:
            n, candidates = store.start_notice(s, request.user, svc.policies, campaign_id,
                                               starts_on=data.starts_on or as_of, as_of=as_of, now=now())
            return notice_out(n, candidates, as_of)

    @get("/{campaign_id:int}/notices", sync_to_thread=True)
    def notices(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg]) -> list[NoticeOut]:
        as_of = today()
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            apps = store.applications_of(s, c.id)
            return [notice_out(n, [a for a in apps if a.notice_id == n.id], as_of) for n in store.notices_of(s, c.id)]

    @post("/{campaign_id:int}/objections", sync_to_thread=True)
    def lodge(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg],
              data: JSONBody[NewObjection]) -> ObjectionOut:
        """Record an objection to a candidate during their notice."""
        as_of = today()
        with svc.db.transaction() as s:
            return objection_out(store.lodge_objection(
                s, request.user, campaign_id, application_id=data.application_id,
                lodged_on=data.lodged_on or as_of, lodged_by=data.lodged_by, summary=data.summary,
                as_of=as_of, now=now(),
            ))

    @get("/{campaign_id:int}/objections", sync_to_thread=True)
    def objections(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg]) -> list[ObjectionOut]:
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return [objection_out(o) for o in store.objections_of(s, c.id)]

    @post("/{campaign_id:int}/objections/{objection_id:int}/resolve", sync_to_thread=True, status_code=200)
    def resolve(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg], objection_id: FromPath[IdArg],
                data: JSONBody[Resolution]) -> ResolutionOut:
        """Uphold or dismiss; upheld removes the candidate and the next in rank takes the place."""
        as_of = today()
        with svc.db.transaction() as s:
            o, nxt = store.resolve_objection(
                s, request.user, campaign_id, objection_id, outcome=data.outcome, resolution=data.resolution,
                resolved_on=data.resolved_on or as_of, as_of=as_of, now=now(),
            )
            c = store.campaign(s, request.user, campaign_id)
            return ResolutionOut(objection_out(o), application_out(nxt) if nxt else None, c.status)
