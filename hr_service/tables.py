"""HR's tables (this service's database only)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import BigId, add_infra_tables, new_metadata

metadata = new_metadata()
infra = add_infra_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class UserAccount(Base):
    """A login: an officer, a coordinator, or a worker reaching their own records."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    jurisdiction: Mapped[str] = mapped_column(String(64))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"), nullable=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Worker(Base):
    """A community worker on the rolls (社区工作者)."""

    __tablename__ = "worker"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    community_code: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    post: Mapped[str] = mapped_column(String(16))
    grade: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    hired_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
