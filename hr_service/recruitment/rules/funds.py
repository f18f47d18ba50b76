"""Staffing quotas (S4-1, S4-3, D-9) and community work funds (S4-7a/b/c).

The staffing figures are HR's ``staffing`` key (``hr_service.rules.StaffingRule``);
the fund figures are recruitment's own keys (``rules.POLICY_KEYS``).
"""
from __future__ import annotations

from fractions import Fraction

import msgspec

from hr_service.rules import StaffingRule, staffing_quota
from shared.money import BP, Fen, apply_bp, round_half_up

# --- staffing (S4-1, S4-3, D-9) ----------------------------------------------


class Staffing(msgspec.Struct, frozen=True):
    """How a community's quota is made up, part by part."""

    households: int
    party_members: int
    households_per_worker: int
    base: int  # S4-1: ceil(households / households_per_worker)
    party_posts: int  # S4-3: posts for a party committee
    cap: int  # D-9
    capped: bool
    quota: int


def staffing(households: int, party_members: int, rule: StaffingRule) -> Staffing:
    """S4-1 每400户左右有一名社区工作者, S4-3 拥有100名以上党员的社区…配两名专职党务干部,
    D-9 at most ``cap`` in one community. The total is ``staffing_quota``'s."""
    base = -(-households // rule.households_per_worker)
    party = rule.party_posts if has_party_committee(party_members, rule) else 0
    quota = staffing_quota(households, party_members, rule)
    return Staffing(households, party_members, rule.households_per_worker, base, party, rule.cap,
                    base + party > rule.cap, quota)


def has_party_committee(party_members: int, rule: StaffingRule) -> bool:
    """S4-3 对拥有100名以上党员的社区建立社区党委."""
    return party_members >= rule.party_members_threshold


# --- work funds (S4-7a, S4-7b, S4-7c) ----------------------------------------


class WorkFundRule(msgspec.Struct, frozen=True):
    """S4-7a 社区年工作经费…按每百户4000元…区财政另按1:1的原则配套."""

    per_100_households_fen: Fen = 400_000
    district_match_bp: int = BP  # 1:1


class WorkFundGrowth(msgspec.Struct, frozen=True):
    """S4-7b 并以每年5个百分点的速度递增: compounding from ``base_year``."""

    base_year: int = 2004
    growth_bp: int = 500


class PartyWorkFund(msgspec.Struct, frozen=True):
    """S4-7c 建立党委的社区每年增加6.4万元的社区党务工作经费…按每个党员每年10元的标准."""

    committee_fund_fen: Fen = 6_400_000
    per_member_fen: Fen = 1_000


class WorkFund(msgspec.Struct, frozen=True):
    """A community's work fund for one year, part by part (all fen)."""

    year: int
    households: int
    party_members: int
    per_100_households_fen: Fen  # the S4-7a figure grown to ``year`` (S4-7b)
    years_grown: int
    city_fen: Fen  # S4-7a city part
    district_match_fen: Fen  # S4-7a district's 1:1 match
    has_party_committee: bool
    party_committee_fen: Fen  # S4-7c
    party_members_fen: Fen  # S4-7c per member
    total_fen: Fen


def per_100_households(year: int, fund: WorkFundRule, growth: WorkFundGrowth) -> tuple[Fen, int]:
    """S4-7b: the per-100-household figure of ``year``, grown ``growth_bp`` a year,
    compounding from the base year (no growth before it). Rounded half-up to the fen."""
    n = max(0, year - growth.base_year)
    factor = Fraction(BP + growth.growth_bp, BP) ** n
    return round_half_up(fund.per_100_households_fen * factor), n


def work_fund(
    year: int, households: int, party_members: int, fund: WorkFundRule, growth: WorkFundGrowth,
    party: PartyWorkFund, staffing_rule: StaffingRule,
) -> WorkFund:
    """S4-7a/b/c: city part per 100 households (grown from its base year),
    matched by the district; plus the party-committee fund where the community
    has a committee (S4-3) and the per-member party fund."""
    per100, n = per_100_households(year, fund, growth)
    city = round_half_up(Fraction(per100 * households, 100))
    district = apply_bp(city, fund.district_match_bp)
    committee = has_party_committee(party_members, staffing_rule)
    committee_fen = party.committee_fund_fen if committee else 0
    members_fen = party.per_member_fen * party_members
    return WorkFund(year, households, party_members, per100, n, city, district, committee, committee_fen,
                    members_fen, city + district + committee_fen + members_fen)
