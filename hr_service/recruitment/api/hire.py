"""The hire (D-4 录用): workers on probation at the D-2 starting grade."""
from __future__ import annotations

from litestar import Controller, Request, post
from litestar.params import FromPath, JSONBody

from hr_service.recruitment import store
from hr_service.recruitment.api.schemas import HR, HiredOut, HireOut, Hiring, WaitingOut
from shared.types import IdArg
from shared.web import Svc, now, today


class HireController(Controller):
    """Hiring the candidates whose public notice is over."""

    path = "/campaigns"
    tags = ["recruitment"]
    guards = [HR]

    @post("/{campaign_id:int}/hire", sync_to_thread=True)
    def hire(self, svc: Svc, request: Request, campaign_id: FromPath[IdArg], data: JSONBody[Hiring]) -> HireOut:
        """Hire the candidates whose notice has ended with no open objection:
        workers on probation at the D-2 starting grade; worker.hired is published."""
        as_of = today()
        with svc.db.transaction() as s:
            r = store.hire(s, request.user, svc.policies, campaign_id, hired_on=data.hired_on or as_of,
                           as_of=as_of, now=now())
            c = store.campaign(s, request.user, campaign_id)
            return HireOut(
                [HiredOut(a.id, w.id, w.name, w.community_code, w.post, w.grade, w.hired_on, r.probation_ends_on)
                 for a, w in r.hired],
                [WaitingOut(a.id, why) for a, why in r.waiting],
                c.status,
            )
