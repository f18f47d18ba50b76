"""Communities: registration, the staffing quota (S4-1, S4-3, D-9) and the work fund (S4-7a/b/c)."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service.recruitment import store
from hr_service.recruitment.api.schemas import (
    HR,
    READERS,
    CommunityChange,
    CommunityOut,
    NewCommunity,
    StaffingOut,
    WorkFundOut,
    community_out,
    staffing_out,
    work_fund_out,
)
from shared.errors import check_year
from shared.paging import Page, check_paging
from shared.web import Svc, now, today


class CommunityController(Controller):
    path = "/communities"
    tags = ["communities"]

    @post("/", sync_to_thread=True, guards=[HR])
    def create_community(self, svc: Svc, request: Request, data: JSONBody[NewCommunity]) -> CommunityOut:
        """Register a community of a district (households and party members drive S4-1/S4-3)."""
        with svc.db.transaction() as s:
            return community_out(store.create_community(
                s, request.user, code=data.code, name=data.name, district=data.district,
                households=data.households, party_members=data.party_members, now=now(),
            ))

    @get("/", sync_to_thread=True, guards=[READERS])
    def list_communities(self, svc: Svc, request: Request, district: FromQuery[str | None] = None,
                         limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[CommunityOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_communities(s, request.user, district, limit, offset)
            return Page([community_out(c) for c in rows], total, limit, offset)

    @get("/{code:str}", sync_to_thread=True, guards=[READERS])
    def get_community(self, svc: Svc, request: Request, code: FromPath[str]) -> CommunityOut:
        with svc.db.read_session() as s:
            return community_out(store.community(s, request.user, code))

    @patch("/{code:str}", sync_to_thread=True, guards=[HR])
    def change_community(self, svc: Svc, request: Request, code: FromPath[str],
                         data: JSONBody[CommunityChange]) -> CommunityOut:
        """Update name, households or party members (the quota follows)."""
        with svc.db.transaction() as s:
            return community_out(store.update_community(
                s, request.user, code, name=data.name, households=data.households,
                party_members=data.party_members, now=now(),
            ))

    @get("/{code:str}/staffing", sync_to_thread=True, guards=[READERS])
    def staffing(self, svc: Svc, request: Request, code: FromPath[str],
                 as_of: FromQuery[date | None] = None) -> StaffingOut:
        """Quota (S4-1, S4-3, capped by D-9), workers on the rolls, vacancies."""
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            return staffing_out(store.staffing_of(s, svc.policies, c, as_of or today()))

    @get("/{code:str}/work-fund", sync_to_thread=True, guards=[READERS])
    def work_fund(self, svc: Svc, request: Request, code: FromPath[str], year: FromQuery[int]) -> WorkFundOut:
        """The community's work fund for ``year``, part by part (S4-7a, S4-7b, S4-7c)."""
        check_year(year)
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            return work_fund_out(c.code, store.work_fund_of(s, svc.policies, c, year))
