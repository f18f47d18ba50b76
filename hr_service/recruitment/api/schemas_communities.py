"""The communities API's shapes (a section of ``schemas``): registration, the
dated figures (D-11) and their history, staffing (S4-1, S4-3, D-9) and work
funds (S4-7a/b/c)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from hr_service.org.tables import OrgUnitName
from hr_service.ratings.schemas import CommunityRatingOut
from hr_service.recruitment import rules
from hr_service.recruitment.store import StaffingView
from hr_service.recruitment.tables import Community, CommunityFigures
from shared.money import format_yuan
from shared.types import Name

Count = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class NewCommunity(msgspec.Struct, forbid_unknown_fields=True):
    """A community and its first figures, in force from ``effective_from`` (default today; D-11)."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
    name: Name
    district: Name  # the district's jurisdiction, e.g. hangzhou.gongshu
    households: Count
    party_members: Count = 0
    effective_from: date | None = None
    reason: Reason | None = None
    street: Name | None = None  # D-17: a registered street of the district, e.g. hangzhou.gongshu.hushu


class NewCommunityName(msgspec.Struct, forbid_unknown_fields=True):
    """The community's name from ``effective_from`` (after its latest name, not after today; D-17)."""

    name: Name
    effective_from: date


class CommunityChange(msgspec.Struct, forbid_unknown_fields=True):
    """The name changes in place; households and party members are a new
    version from ``effective_from`` (default today), after the latest (D-11)."""

    name: Name | None = None
    households: Count | None = None
    party_members: Count | None = None
    effective_from: date | None = None
    reason: Reason | None = None
    street: Name | None = None  # D-17: put it in a street of its district while nobody is recorded in it


class CommunityOut(msgspec.Struct):
    code: str
    name: str  # the name on as_of, else the latest (D-17)
    district: str
    households: int  # the latest version's (D-11)
    party_members: int
    street: str | None = None  # D-17: the street it lies in
    jurisdiction: str = ""  # where it lies: its street, else its district; its workers' jurisdiction
    as_of: date | None = None  # the date ``name`` is in force on, when asked
    # S1-4: its results year by year ({year, level, stars, round_id, effective_from}), on the community's own read
    ratings: list[CommunityRatingOut] = msgspec.field(default_factory=list)


def community_out(c: Community, *, name: str | None = None, as_of: date | None = None) -> CommunityOut:
    return CommunityOut(c.code, name or c.name, c.district, c.households, c.party_members, street=c.street,
                        jurisdiction=c.jurisdiction, as_of=as_of)


class CommunityNameOut(msgspec.Struct):
    """A name of the community and the date it takes effect (D-17)."""

    effective_from: date
    name: str
    recorded_by: str
    recorded_at: datetime


def community_name_out(n: OrgUnitName) -> CommunityNameOut:
    return CommunityNameOut(n.effective_from, n.name, n.recorded_by, n.recorded_at)


class FiguresOut(msgspec.Struct):
    """A version of the figures (D-11): from when, who recorded it, when and
    why, and the quota it gives under the staffing rule in force from its date."""

    effective_from: date
    households: int
    party_members: int
    reason: str | None
    recorded_by: str
    recorded_at: datetime
    base: int
    party_posts: int
    capped: bool
    quota: int


def figures_out(v: CommunityFigures, st: rules.Staffing) -> FiguresOut:
    return FiguresOut(v.effective_from, v.households, v.party_members, v.reason, v.recorded_by, v.recorded_at,
                      st.base, st.party_posts, st.capped, st.quota)


class StaffingOut(msgspec.Struct):
    """S4-1 quota = ceil(households / households_per_worker); S4-3 party posts;
    D-9 cap; headcount and vacancies from the rolls; all on ``as_of``, from the
    figures in force then (``figures_from``, D-11)."""

    community_code: str
    as_of: date
    households: int
    party_members: int
    households_per_worker: int
    base: int
    party_posts: int
    cap: int
    capped: bool
    quota: int
    headcount: int
    vacancies: int
    open_in_campaigns: int
    available_for_new_posts: int
    figures_from: date


def staffing_out(v: StaffingView) -> StaffingOut:
    st = v.staffing
    return StaffingOut(v.community.code, v.as_of, st.households, st.party_members, st.households_per_worker, st.base,
                       st.party_posts, st.cap, st.capped, st.quota, v.headcount, v.vacancies, v.open_in_campaigns,
                       v.available_for_new_posts, v.figures.effective_from)


class FundPart(msgspec.Struct):
    part: str
    clause: str
    amount_fen: int
    amount_yuan: str
    basis: str


class WorkFundOut(msgspec.Struct):
    """The year's fund from the figures in force on 1 January (D-11)."""

    community_code: str
    year: int
    households: int
    party_members: int
    per_100_households_fen: int
    years_grown: int
    has_party_committee: bool
    parts: list[FundPart]
    total_fen: int
    total_yuan: str


def work_fund_out(code: str, f: rules.WorkFund) -> WorkFundOut:
    per100 = format_yuan(f.per_100_households_fen)
    parts = [
        FundPart("city", "S4-7a", f.city_fen, format_yuan(f.city_fen),
                 f"{per100} yuan per 100 households ({f.years_grown} year(s) of S4-7b growth) × "
                 f"{f.households} households"),
        FundPart("district_match", "S4-7a", f.district_match_fen, format_yuan(f.district_match_fen),
                 "the district matches the city part"),
        FundPart("party_committee", "S4-7c", f.party_committee_fen, format_yuan(f.party_committee_fen),
                 "community with a party committee (S4-3)" if f.has_party_committee else "no party committee"),
        FundPart("party_members", "S4-7c", f.party_members_fen, format_yuan(f.party_members_fen),
                 f"{f.party_members} party member(s)"),
    ]
    return WorkFundOut(code, f.year, f.households, f.party_members, f.per_100_households_fen, f.years_grown,
                       f.has_party_committee, parts, f.total_fen, format_yuan(f.total_fen))
