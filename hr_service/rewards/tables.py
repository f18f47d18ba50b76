"""A community's reward fund for a year and the rewards paid from it (S4-13): HR's tables (on HR's metadata)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hr_service.tables import Base
from shared.db import BigId


class RewardFund(Base):
    """One community's reward fund for one year (S4-13): what it declared (after-tax
    service income, year-end surplus, in fen), the shares in force, and the fund
    computed from them when it was recorded. One per community and year."""

    __tablename__ = "reward_fund"
    __table_args__ = (UniqueConstraint("community_code", "year", name="uq_reward_fund_community_year"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community_code: Mapped[str] = mapped_column(String(32), index=True)
    year: Mapped[int] = mapped_column(Integer)
    after_tax_income_fen: Mapped[int] = mapped_column(BigInteger)
    surplus_fen: Mapped[int] = mapped_column(BigInteger)
    income_share_bp: Mapped[int] = mapped_column(Integer)
    surplus_share_bp: Mapped[int] = mapped_column(Integer)
    fund_fen: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RewardAward(Base):
    """A reward to a worker on the community's rolls, paid from a year's reward fund."""

    __tablename__ = "reward_award"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("reward_fund.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    # S4-13, D-16: the pay run whose payslip pays it (a draft holds it, and gives it back when computed again)
    paid_run_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
