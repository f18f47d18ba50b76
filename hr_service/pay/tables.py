"""The payroll's own records, on HR's metadata: a pay run's log (D-16), declared
deductions (D-13), contribution wages (D-14), unpaid absence (D-15), bank accounts."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hr_service.tables import Base
from shared.db import BigId


class PayRunEvent(Base):
    """D-16: what was done to a pay run, by whom, when and why (computed,
    submitted, approved, rejected): append-only."""

    __tablename__ = "pay_run_event"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("pay_run.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    totals: Mapped[dict] = mapped_column(JSON)  # the run's totals at the time


class TaxDeduction(Base):
    """D-13: a special additional (专项附加扣除) or other allowed deduction a
    worker declared: kind, fen a month, from and to (YYYY-MM, inclusive;
    open-ended without ``to_month``), for whom (a child, a parent) where the
    kind is per person, recorded by the worker or by HR."""

    __tablename__ = "tax_deduction"
    __table_args__ = (Index("ix_tax_deduction_worker", "worker_id", "from_month"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    kind: Mapped[str] = mapped_column(String(32))
    monthly_fen: Mapped[int] = mapped_column(BigInteger)
    from_month: Mapped[str] = mapped_column(String(7))
    to_month: Mapped[str | None] = mapped_column(String(7), nullable=True)
    person: Mapped[str | None] = mapped_column(String(64), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContributionWage(Base):
    """D-14: the wage a worker's social insurance and housing fund are declared
    on for a contribution year (a calendar year): last year's average monthly
    wage with this employer, the starting wage of a new hire, or a figure HR
    declared (``basis``). Recorded by the year's first payslip when HR has not."""

    __tablename__ = "contribution_wage"
    __table_args__ = (UniqueConstraint("worker_id", "year", name="uq_contribution_wage_worker_year"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    year: Mapped[int] = mapped_column(Integer)
    wage_fen: Mapped[int] = mapped_column(BigInteger)
    basis: Mapped[str] = mapped_column(String(24))  # last_year_average | starting_wage | declared
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why HR declared it
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UnpaidAbsence(Base):
    """D-15: days a worker was absent without pay (事假), first to last day
    inclusive; their weekdays come off the month's paid days."""

    __tablename__ = "unpaid_absence"
    __table_args__ = (Index("ix_unpaid_absence_worker", "worker_id", "first_day"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WorkerBankAccount(Base):
    """D-16: where a worker's net pay is paid: bank and account number (shown
    masked to all but HR officers of the worker's jurisdiction)."""

    __tablename__ = "worker_bank_account"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), unique=True)
    bank: Mapped[str] = mapped_column(String(64))
    account_number: Mapped[str] = mapped_column(String(32))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
