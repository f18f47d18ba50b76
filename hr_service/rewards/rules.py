"""Reward funds (S4-13): pure policy, no I/O, no clock.

S4-13 社区通过为居民服务取得的劳务收入…允许一部分税后收入以及年终经费结余用于社区工作人员的奖励:
part of a community's after-tax service income and its year-end fund surplus
may fund rewards for its workers. The clause names no share, so the policy
key ``reward_fund`` carries it (the seeded figure is illustrative)::

    fund = round_half_up(after-tax income × income_share_bp / 10000)
         + round_half_up(year-end surplus × surplus_share_bp / 10000)

``surplus_share_bp`` is 10000 (the surplus counts in full) in the seed. All
amounts are integer fen; the rewards of a year may not add up to more than
that year's fund.
"""
from __future__ import annotations

from datetime import date

import msgspec

from hr_service.rules import CITY
from hr_service.states import WorkerStatus
from shared.money import BP, Fen, apply_bp
from shared.policy import PolicyKey, PolicySeed

CLAUSE = "S4-13"


class RewardFundRule(msgspec.Struct, frozen=True):
    """S4-13 允许一部分税后收入以及年终经费结余用于社区工作人员的奖励."""

    income_share_bp: int = 3000  # illustrative: 30% of the after-tax service income
    surplus_share_bp: int = BP  # the year-end surplus counts in full


class RewardFund(msgspec.Struct, frozen=True):
    """A year's reward fund, part by part (fen)."""

    after_tax_income_fen: Fen
    surplus_fen: Fen
    income_share_bp: int
    surplus_share_bp: int
    income_part_fen: Fen
    surplus_part_fen: Fen
    fund_fen: Fen


def reward_fund(after_tax_income_fen: Fen, surplus_fen: Fen, rule: RewardFundRule) -> RewardFund:
    """S4-13: income × income share + surplus × surplus share, each rounded half-up to the fen."""
    income_part = apply_bp(after_tax_income_fen, rule.income_share_bp)
    surplus_part = apply_bp(surplus_fen, rule.surplus_share_bp)
    return RewardFund(after_tax_income_fen, surplus_fen, rule.income_share_bp, rule.surplus_share_bp,
                      income_part, surplus_part, income_part + surplus_part)


def left_after(fund_fen: Fen, awarded_fen: Fen) -> Fen:
    """What the fund still allows (never below zero)."""
    return max(fund_fen - awarded_fen, 0)


def within_fund(fund_fen: Fen, awarded_fen: Fen, amount_fen: Fen) -> bool:
    """S4-13: a new award fits when the year's awards, it included, stay within the fund."""
    return awarded_fen + amount_fen <= fund_fen


def on_community_rolls(community_code: str, worker_community: str | None, status: str, left_on: date | None) -> bool:
    """S4-13 rewards go to the community's own workers (社区工作人员), still on its rolls."""
    return worker_community == community_code and left_on is None and status != WorkerStatus.left


POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("reward_fund", RewardFundRule, CLAUSE,
              "Share of after-tax service income and of the year-end surplus that may fund rewards (S4-13)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed("reward_fund", CITY, date(2004, 1, 1), RewardFundRule(), CLAUSE,
               "S4-13 允许一部分税后收入以及年终经费结余用于社区工作人员的奖励; the 30% income share is "
               "illustrative (the clause names none), the surplus counts in full"),
]
