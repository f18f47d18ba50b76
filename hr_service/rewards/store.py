"""Reward funds and rewards (S4-13): queries and transactions.

Every write checks first and writes after, inside the caller's
``db.transaction()``: a refusal leaves nothing behind. The community's row is
locked for each write, so two officers' awards against one fund queue and the
second sees the first's.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.recruitment.store import community
from hr_service.rewards import rules
from hr_service.rewards.tables import RewardAward, RewardFund
from hr_service.tables import Worker
from shared.auth import Principal
from shared.errors import Conflict, Invalid, NotFound
from shared.money import format_yuan
from shared.policy import Policies

CLAUSE = rules.CLAUSE


def _fund_row(s: Session, code: str, year: int) -> RewardFund | None:
    return s.execute(
        select(RewardFund).where(RewardFund.community_code == code, RewardFund.year == year)
    ).scalar_one_or_none()


def awarded(s: Session, fund_id: int) -> int:
    return s.execute(
        select(func.coalesce(func.sum(RewardAward.amount_fen), 0)).where(RewardAward.fund_id == fund_id)
    ).scalar_one()


def record_fund(
    s: Session, principal: Principal, policies: Policies, code: str, *, year: int, after_tax_income_fen: int,
    surplus_fen: int, now: datetime,
) -> tuple[RewardFund, rules.RewardFund]:
    """Record the community's after-tax service income and year-end surplus for
    ``year`` and the fund they allow (S4-13), with the shares in force on 31
    December of that year. One per community and year."""
    c = community(s, principal, code, write=True)
    if _fund_row(s, c.code, year) is not None:
        raise Conflict("reward_fund_exists", f"Community '{c.code}' has a reward fund for {year}.",
                       f"社区“{c.code}”{year}年的奖励经费已登记。", field="year", clause=CLAUSE)
    rule: rules.RewardFundRule = policies.in_force(s, "reward_fund", c.jurisdiction, date(year, 12, 31))
    f = rules.reward_fund(after_tax_income_fen, surplus_fen, rule)
    row = RewardFund(community_code=c.code, year=year, after_tax_income_fen=f.after_tax_income_fen,
                     surplus_fen=f.surplus_fen, income_share_bp=f.income_share_bp,
                     surplus_share_bp=f.surplus_share_bp, fund_fen=f.fund_fen, created_by=principal.sub,
                     created_at=now)
    s.add(row)
    s.flush()
    return row, f


def award(
    s: Session, principal: Principal, code: str, *, worker_id: int, year: int, amount_fen: int, reason: str,
    now: datetime,
) -> tuple[RewardAward, RewardFund, int]:
    """Reward a worker on the community's rolls from the year's fund (S4-13);
    refused when the year's rewards would exceed the fund. Returns the award,
    the fund and the total awarded from it (this award included)."""
    c = community(s, principal, code, write=True)  # locks the community: awards queue
    fund = _fund_row(s, c.code, year)
    if fund is None:
        raise Conflict("no_reward_fund", f"Community '{c.code}' has no reward fund for {year}.",
                       f"社区“{c.code}”未登记{year}年的奖励经费。", field="year", clause=CLAUSE)
    w = s.get(Worker, worker_id)
    if w is None or not rules.on_community_rolls(c.code, w.community_code, w.status, w.left_on):
        raise Invalid("not_on_rolls", f"Worker {worker_id} is not on the rolls of community '{c.code}'.",
                      f"社区工作者 {worker_id} 不在社区“{c.code}”的在册人员中。", field="worker_id", clause=CLAUSE)
    so_far = awarded(s, fund.id)
    if not rules.within_fund(fund.fund_fen, so_far, amount_fen):
        left = rules.left_after(fund.fund_fen, so_far)
        raise Conflict(
            "reward_fund_exceeded",
            f"Rewards for {year} would reach {format_yuan(so_far + amount_fen)} yuan, beyond the fund of "
            f"{format_yuan(fund.fund_fen)} yuan ({format_yuan(left)} yuan left).",
            f"{year}年奖励合计将达{format_yuan(so_far + amount_fen)}元，超出奖励经费{format_yuan(fund.fund_fen)}元"
            f"（尚余{format_yuan(left)}元）。",
            field="amount_fen", clause=CLAUSE,
        )
    a = RewardAward(fund_id=fund.id, worker_id=w.id, amount_fen=amount_fen, reason=reason,
                    created_by=principal.sub, created_at=now)
    s.add(a)
    s.flush()
    return a, fund, so_far + amount_fen


def fund_of(s: Session, principal: Principal, code: str, year: int) -> tuple[RewardFund, list[RewardAward]]:
    """The year's fund and its awards (404 when none is recorded)."""
    c = community(s, principal, code)
    fund = _fund_row(s, c.code, year)
    if fund is None:
        raise NotFound(f"reward fund for {year} of community", "社区奖励经费", c.code, field="year")
    awards = list(s.execute(
        select(RewardAward).where(RewardAward.fund_id == fund.id).order_by(RewardAward.id)
    ).scalars())
    return fund, awards
