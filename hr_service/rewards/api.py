"""Reward funds and rewards for community workers over HTTP (S4-13).

``POST /communities/{code}/reward-funds`` records a year's after-tax service
income and year-end surplus and answers the fund they allow::

    fund = after-tax income × income_share_bp / 10000 + surplus × surplus_share_bp / 10000

(each part rounded half-up to the fen; the shares are the ``reward_fund``
policy in force on 31 December of the year; the surplus counts in full in the
seed). ``POST /communities/{code}/rewards`` pays a worker on the community's
rolls from it, refused (409, S4-13) when the year's rewards would exceed it;
``GET /communities/{code}/reward-funds/{year}`` shows fund, awarded, left and
the rewards. HR officers (and admins) of the community's jurisdiction only.
"""
from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from sqlalchemy import select

from hr_service.rewards import rules, store
from hr_service.rewards.tables import RewardAward, RewardFund
from hr_service.tables import Worker
from shared.auth import Role, requires
from shared.errors import YEARS, check_year
from shared.money import format_yuan
from shared.types import Id, YearArg
from shared.web import Svc, now

HR = requires(Role.hr_officer)

Year = Annotated[int, msgspec.Meta(ge=YEARS[0], le=YEARS[1])]
Fen = Annotated[int, msgspec.Meta(ge=0, le=10**15)]
PositiveFen = Annotated[int, msgspec.Meta(gt=0, le=10**15)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class NewRewardFund(msgspec.Struct, forbid_unknown_fields=True):
    year: Year
    after_tax_income_fen: Fen  # 为居民服务取得的劳务收入, after tax
    surplus_fen: Fen  # 年终经费结余


class NewReward(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: Id
    year: Year
    amount_fen: PositiveFen
    reason: Reason


class RewardFundOut(msgspec.Struct):
    """fund = after-tax income × income_share_bp / 10000 + surplus × surplus_share_bp / 10000 (S4-13)."""

    community_code: str
    year: int
    after_tax_income_fen: int
    surplus_fen: int
    income_share_bp: int
    surplus_share_bp: int
    income_part_fen: int
    surplus_part_fen: int
    fund_fen: int
    fund_yuan: str
    clause: str
    basis: str


class AwardOut(msgspec.Struct):
    id: int
    community_code: str
    year: int
    worker_id: int
    worker_name: str
    amount_fen: int
    amount_yuan: str
    reason: str
    created_by: str


class RewardOut(msgspec.Struct):
    award: AwardOut
    fund_fen: int
    awarded_fen: int
    left_fen: int
    clause: str


class FundViewOut(msgspec.Struct):
    fund: RewardFundOut
    awarded_fen: int
    awarded_yuan: str
    left_fen: int
    left_yuan: str
    awards: list[AwardOut]


def fund_out(row: RewardFund) -> RewardFundOut:
    """The stored fund with its parts (recomputed from the stored figures and shares)."""
    f = rules.reward_fund(row.after_tax_income_fen, row.surplus_fen,
                          rules.RewardFundRule(row.income_share_bp, row.surplus_share_bp))
    basis = (f"{format_yuan(row.after_tax_income_fen)} yuan after-tax service income × {row.income_share_bp / 100:g}% "
             f"+ {format_yuan(row.surplus_fen)} yuan year-end surplus × {row.surplus_share_bp / 100:g}%")
    return RewardFundOut(row.community_code, row.year, row.after_tax_income_fen, row.surplus_fen, row.income_share_bp,
                         row.surplus_share_bp, f.income_part_fen, f.surplus_part_fen, row.fund_fen,
                         format_yuan(row.fund_fen), rules.CLAUSE, basis)


def award_out(a: RewardAward, fund: RewardFund, worker_name: str) -> AwardOut:
    return AwardOut(a.id, fund.community_code, fund.year, a.worker_id, worker_name, a.amount_fen,
                    format_yuan(a.amount_fen), a.reason, a.created_by)


class RewardController(Controller):
    """S4-13: a community's reward fund for a year and the rewards paid from it."""

    path = "/communities/{code:str}"
    tags = ["communities"]

    @post("/reward-funds", sync_to_thread=True, guards=[HR])
    def record_fund(self, svc: Svc, request: Request, code: FromPath[str],
                    data: JSONBody[NewRewardFund]) -> RewardFundOut:
        """Record the year's after-tax service income and year-end surplus (fen);
        answers the fund they allow for rewards (S4-13). One per community and year (409)."""
        with svc.db.transaction() as s:
            row, _ = store.record_fund(s, request.user, svc.policies, code, year=data.year,
                                       after_tax_income_fen=data.after_tax_income_fen,
                                       surplus_fen=data.surplus_fen, now=now())
            return fund_out(row)

    @post("/rewards", sync_to_thread=True, guards=[HR])
    def reward(self, svc: Svc, request: Request, code: FromPath[str], data: JSONBody[NewReward]) -> RewardOut:
        """Reward a worker on the community's rolls from the year's fund; 409
        (S4-13) when the year's rewards would exceed it."""
        with svc.db.transaction() as s:
            a, fund, total = store.award(s, request.user, code, worker_id=data.worker_id, year=data.year,
                                         amount_fen=data.amount_fen, reason=data.reason, now=now())
            name = s.get(Worker, a.worker_id).name
            return RewardOut(award_out(a, fund, name), fund.fund_fen, total,
                             rules.left_after(fund.fund_fen, total), rules.CLAUSE)

    @get("/reward-funds/{year:int}", sync_to_thread=True, guards=[HR])
    def fund(self, svc: Svc, request: Request, code: FromPath[str], year: FromPath[YearArg]) -> FundViewOut:
        """The year's fund, what has been awarded, what is left, and the rewards."""
        check_year(year)
        with svc.db.read_session() as s:
            fund, awards = store.fund_of(s, request.user, code, year)
            names = dict(s.execute(
                select(Worker.id, Worker.name).where(Worker.id.in_({a.worker_id for a in awards}))
            ).all()) if awards else {}
            total = sum(a.amount_fen for a in awards)
            left = rules.left_after(fund.fund_fen, total)
            return FundViewOut(fund_out(fund), total, format_yuan(total), left, format_yuan(left),
                               [award_out(a, fund, names.get(a.worker_id, "")) for a in awards])


ROUTES = [RewardController]
