"""Community ratings (S1-4): HR's tables (on HR's metadata).

Scores are hundredths of a point; a round's figures are the ``community_rating``
policy in force on its opening day for its jurisdiction.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hr_service.ratings.states import ENTRY, OBJECTION, ROUND
from hr_service.tables import Base
from shared.db import BigId


class RatingRound(Base):
    """A year's rating round of a district or a street (S1-4), from the
    applications to the results, with its 公示 once started."""

    __tablename__ = "rating_round"
    __table_args__ = (ROUND.check("status", name="status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    notice_starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    finalised_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RatingApplication(Base):
    """A community's application for one level (星级 with its stars), one per
    community and round; its score (hundredths, rounded half-up) and rank once ranked."""

    __tablename__ = "rating_application"
    __table_args__ = (
        UniqueConstraint("round_id", "community_code", name="uq_rating_application_round_community"),
        ENTRY.check("status", name="status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rating_round.id"), index=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("community.code"), index=True)
    level: Mapped[str] = mapped_column(String(8))
    stars: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    applied_on: Mapped[date] = mapped_column(Date)
    score_h: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why withdrawn or removed
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RatingReviewer(Base):
    """A member of the round's panel (陈述答辩评审)."""

    __tablename__ = "rating_reviewer"
    __table_args__ = (UniqueConstraint("round_id", "name", name="uq_rating_reviewer_round_name"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rating_round.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    account: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RatingScore(Base):
    """One reviewer's scores for one application, criterion by criterion (hundredths)."""

    __tablename__ = "rating_score"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id", name="uq_rating_score_application_reviewer"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("rating_application.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("rating_reviewer.id"), index=True)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    entered_by: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RatingObjection(Base):
    """An objection to a proposed community during the round's 公示, and how it was resolved."""

    __tablename__ = "rating_objection"
    __table_args__ = (OBJECTION.check("status", name="status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rating_round.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("rating_application.id"), index=True)
    lodged_on: Mapped[date] = mapped_column(Date)
    lodged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CommunityRating(Base):
    """A community's result (S1-4): its level (and stars) for a year, from the
    round that gave it, in force from the day the round was finalised."""

    __tablename__ = "community_rating"
    __table_args__ = (UniqueConstraint("community_code", "round_id", name="uq_community_rating_community_round"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("community.code"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    level: Mapped[str] = mapped_column(String(8))
    stars: Mapped[int | None] = mapped_column(Integer, nullable=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rating_round.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("rating_application.id"))
    effective_from: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
