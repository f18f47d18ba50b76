"""Postings on a worker's record: secondments (挂职锻炼, S4-8) and exchanges (异地交流, S3-8)."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from hr_service.recruitment import store
from hr_service.recruitment.api.schemas import HR, NewPosting, PostingOut, posting_out
from shared.auth import Principal
from shared.types import IdArg
from shared.web import Svc, now


class PostingController(Controller):
    """Secondments (挂职锻炼, S4-8) and exchanges (异地交流, S3-8) on a worker's record."""

    path = "/workers/{worker_id:int}/postings"
    tags = ["workers"]

    @post("/", sync_to_thread=True, guards=[HR])
    def add_posting(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                    data: JSONBody[NewPosting]) -> PostingOut:
        with svc.db.transaction() as s:
            return posting_out(store.add_posting(
                s, request.user, svc.policies, worker_id, kind=data.kind, host_unit=data.host_unit,
                starts_on=data.starts_on, ends_on=data.ends_on, note=data.note, now=now(),
            ))

    @get("/", sync_to_thread=True)
    def list_postings(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[PostingOut]:
        """A worker's postings; a worker sees only their own (D-8)."""
        principal: Principal = request.user
        with svc.db.read_session() as s:
            return [posting_out(p) for p in store.postings_of(s, principal, worker_id)]
