"""Districts and streets, and the names of units and communities from a date
(D-17): HR's tables (on HR's metadata)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hr_service.tables import Base
from shared.db import BigId


class OrgUnit(Base):
    """A district or a street (街道) registered by an administrator (D-17). Its
    ``path`` is its jurisdiction (``hangzhou.xihu.beishan``), its ``parent`` the
    path above it. A district need not be registered: district paths named on
    communities count as districts too."""

    __tablename__ = "org_unit"
    __table_args__ = (CheckConstraint("level IN ('district', 'street')", name="level"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    parent: Mapped[str] = mapped_column(String(64), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrgUnitName(Base):
    """The name of a unit (``kind`` ``unit``, ``key`` its path) or a community
    (``kind`` ``community``, ``key`` its code) from ``effective_from`` (D-17):
    the name on a date is the latest version effective on or before it, so a
    report for an earlier date shows the name then."""

    __tablename__ = "org_unit_name"
    __table_args__ = (
        UniqueConstraint("kind", "key", "effective_from", name="uq_org_unit_name_kind_key_date"),
        CheckConstraint("kind IN ('unit', 'community')", name="kind"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
