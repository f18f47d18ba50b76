"""Communities: registration, dated figures (D-11), the staffing quota (S4-1,
S4-3, D-9) and the work fund (S4-7a/b/c); their street and dated names
(D-17). A community secretary reads their own community."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service.ratings.notice import ratings_of
from hr_service.ratings.schemas import rating_out
from hr_service.recruitment import store
from hr_service.recruitment.api.schemas import HR, READERS
from hr_service.recruitment.api.schemas_communities import (
    CommunityChange,
    CommunityNameOut,
    CommunityOut,
    FiguresOut,
    NewCommunity,
    NewCommunityName,
    StaffingOut,
    WorkFundOut,
    community_name_out,
    community_out,
    figures_out,
    staffing_out,
    work_fund_out,
)
from hr_service.recruitment.store import communities as community_store
from shared.auth import Role, requires
from shared.errors import check_year
from shared.paging import Page, check_paging
from shared.types import YearArg
from shared.web import Svc, now, today

COMMUNITY_READERS = requires(Role.hr_officer, Role.training_coordinator, Role.cert_officer, Role.community_secretary)
"""Who reads a community's record: officers within their jurisdiction, its own secretary (D-17)."""


class CommunityController(Controller):
    path = "/communities"
    tags = ["communities"]

    @post("/", sync_to_thread=True, guards=[HR])
    def create_community(self, svc: Svc, request: Request, data: JSONBody[NewCommunity]) -> CommunityOut:
        """Register a community of a district, in one of its registered streets
        when ``street`` is given (D-17); its households and party members
        (which drive S4-1/S4-3) are the first version, and its name the first
        dated name, from ``effective_from`` (default today; D-11)."""
        with svc.db.transaction() as s:
            return community_out(store.create_community(
                s, request.user, code=data.code, name=data.name, district=data.district,
                households=data.households, party_members=data.party_members,
                effective_from=data.effective_from or today(), reason=data.reason, now=now(), street=data.street,
            ))

    @get("/", sync_to_thread=True, guards=[COMMUNITY_READERS])
    def list_communities(self, svc: Svc, request: Request, district: FromQuery[str | None] = None,
                         as_of: FromQuery[date | None] = None, limit: FromQuery[int] = 50,
                         offset: FromQuery[int] = 0) -> Page[CommunityOut]:
        """The communities the caller sees (a district's or a street's with
        ``district``); with ``as_of`` each under the name it had then (D-17)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_communities(s, request.user, district, limit, offset)
            names = community_store.names_on(s, [c.code for c in rows], as_of) if as_of else {}
            return Page([community_out(c, name=names.get(c.code), as_of=as_of) for c in rows], total, limit,
                        offset)

    @get("/{code:str}", sync_to_thread=True, guards=[COMMUNITY_READERS])
    def get_community(self, svc: Svc, request: Request, code: FromPath[str],
                      as_of: FromQuery[date | None] = None) -> CommunityOut:
        """The community, its street, and its name on ``as_of`` (default: the latest; D-17)."""
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            name = community_store.names_on(s, [c.code], as_of).get(c.code) if as_of else None
            out = community_out(c, name=name, as_of=as_of)
            out.ratings = [rating_out(x) for x in ratings_of(s, c.code)]  # S1-4
            return out

    @get("/{code:str}/names", sync_to_thread=True, guards=[COMMUNITY_READERS])
    def names(self, svc: Svc, request: Request, code: FromPath[str]) -> list[CommunityNameOut]:
        """Every name the community has had and from when (D-17)."""
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            return [community_name_out(n) for n in community_store.names_of(s, c)]

    @post("/{code:str}/names", sync_to_thread=True, guards=[HR])
    def rename(self, svc: Svc, request: Request, code: FromPath[str],
               data: JSONBody[NewCommunityName]) -> CommunityOut:
        """Rename the community from ``effective_from`` (after its latest name,
        409 otherwise; not after today): reports for earlier dates keep the old name (D-17)."""
        with svc.db.transaction() as s:
            return community_out(community_store.rename(s, request.user, code, name=data.name,
                                                        effective_from=data.effective_from, today=today(),
                                                        now=now()))

    @patch("/{code:str}", sync_to_thread=True, guards=[HR])
    def change_community(self, svc: Svc, request: Request, code: FromPath[str],
                         data: JSONBody[CommunityChange]) -> CommunityOut:
        """Rename (from today; D-17), put in a street of its district while
        nobody is recorded in it (409 otherwise; D-17), or record new
        households and/or party members from ``effective_from`` (default
        today) with a reason: a new version after the latest (an earlier date
        or the same date again is 409; D-11). The quota of a date follows the
        figures in force then."""
        with svc.db.transaction() as s:
            return community_out(store.update_community(
                s, request.user, code, name=data.name, households=data.households,
                party_members=data.party_members, effective_from=data.effective_from, reason=data.reason,
                today=today(), now=now(), street=data.street,
            ))

    @get("/{code:str}/history", sync_to_thread=True, guards=[READERS])
    def history(self, svc: Svc, request: Request, code: FromPath[str]) -> list[FiguresOut]:
        """Every version of the households and party members (D-11): from when,
        who recorded it, when and why, and the quota it gives (S4-1, S4-3, D-9)."""
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            return [figures_out(v, store.quota_given(s, svc.policies, c, v)) for v in store.figures_history(s, c)]

    @get("/{code:str}/staffing", sync_to_thread=True, guards=[READERS])
    def staffing(self, svc: Svc, request: Request, code: FromPath[str],
                 as_of: FromQuery[date | None] = None) -> StaffingOut:
        """Quota (S4-1, S4-3, capped by D-9) from the figures in force on
        ``as_of`` (default today; D-11), the workers on the rolls that day, vacancies."""
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            return staffing_out(store.staffing_of(s, svc.policies, c, as_of or today()))

    @get("/{code:str}/work-fund", sync_to_thread=True, guards=[READERS])
    def work_fund(self, svc: Svc, request: Request, code: FromPath[str], year: FromQuery[YearArg]) -> WorkFundOut:
        """The community's work fund for ``year``, part by part (S4-7a, S4-7b,
        S4-7c), from the figures in force on 1 January of it (D-11)."""
        check_year(year)
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            return work_fund_out(c.code, store.work_fund_of(s, svc.policies, c, year))
