"""Communities, recruitment campaigns and postings: HR's tables (on HR's metadata)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from hr_service.recruitment.states import APPLICATION, CAMPAIGN, OBJECTION
from hr_service.tables import Base
from shared.db import BigId


class Community(Base):
    """A community (社区) of a district, in a street once assigned (D-17): the unit of S4-1's staffing quota."""

    __tablename__ = "community"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    district: Mapped[str] = mapped_column(String(64), index=True)  # a jurisdiction, e.g. hangzhou.gongshu
    # D-17: the path of its street (街道) under the district, e.g. hangzhou.gongshu.hushu; None while unassigned
    street: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    households: Mapped[int] = mapped_column(Integer)
    party_members: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @hybrid_property
    def jurisdiction(self) -> str:
        """Where the community lies (D-17): its street, else its district. Its
        workers have this jurisdiction; officers covering it act on it. In a
        query, ``Community.jurisdiction`` is the same test in SQL."""
        return self.street or self.district

    @jurisdiction.inplace.expression
    @classmethod
    def _jurisdiction_sql(cls) -> ColumnElement[str]:
        return func.coalesce(cls.street, cls.district)


class CommunityFigures(Base):
    """D-11: a community's households and party members from a date. The
    figures in force on a day are the latest version effective on or before it
    (before the first, the first); ``community.households`` and
    ``community.party_members`` repeat the latest version."""

    __tablename__ = "community_figures"
    __table_args__ = (UniqueConstraint("community_code", "effective_from", name="uq_community_figures_code_date"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("community.code"))
    effective_from: Mapped[date] = mapped_column(Date)
    households: Mapped[int] = mapped_column(Integer)
    party_members: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Campaign(Base):
    """A recruitment campaign by open competitive exam (公开招考, S3-6, D-4)."""

    __tablename__ = "recruitment_campaign"
    __table_args__ = (CAMPAIGN.check("status", name="status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    announced_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CampaignPost(Base):
    """Places a campaign opens: a community, a post type (正职/副职/委员), a count."""

    __tablename__ = "recruitment_post"
    __table_args__ = (UniqueConstraint("campaign_id", "community_code", "post", name="uq_recruitment_post_place"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("recruitment_campaign.id"), index=True)
    community_code: Mapped[str] = mapped_column(String(32), index=True)
    post: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)


class Application(Base):
    """One applicant for one post of a campaign, from application to hire.

    Scores are hundredths of a point. ``status`` follows ``states.APPLICATION``:
    applied → eligible | refused; after ranking standby | selected; removed
    (failed check, upheld objection), withdrawn, hired."""

    __tablename__ = "recruitment_application"
    __table_args__ = (
        UniqueConstraint("campaign_id", "id_number", name="uq_recruitment_application_person"),
        APPLICATION.check("status", name="status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("recruitment_campaign.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("recruitment_post.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18))
    birth_date: Mapped[date] = mapped_column(Date)
    education: Mapped[str] = mapped_column(String(16))
    certificates: Mapped[list[str]] = mapped_column(JSON)
    household_registration: Mapped[str] = mapped_column(String(100))
    record_flags: Mapped[list[str]] = mapped_column(JSON)
    service_years: Mapped[int] = mapped_column(Integer, default=0)
    applied_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    refusals: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    written: Mapped[int | None] = mapped_column(Integer, nullable=True)
    interview: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bonus_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    composite: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    physical_exam: Mapped[str | None] = mapped_column(String(8), nullable=True)  # pass | fail
    background_check: Mapped[str | None] = mapped_column(String(8), nullable=True)
    checked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("recruitment_notice.id"), nullable=True, index=True)
    removed_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Notice(Base):
    """A public notice (公示) of chosen candidates, N working days long (D-4, D-10)."""

    __tablename__ = "recruitment_notice"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("recruitment_campaign.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Objection(Base):
    """An objection to a candidate during a notice; open until resolved (``states.OBJECTION``)."""

    __tablename__ = "recruitment_objection"
    __table_args__ = (OBJECTION.check("status", name="status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("recruitment_campaign.id"), index=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("recruitment_notice.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("recruitment_application.id"), index=True)
    lodged_on: Mapped[date] = mapped_column(Date)
    lodged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CampaignEvent(Base):
    """The campaign's history: every step, who took it, and the state it left
    (``from_status`` is empty on the announcement)."""

    __tablename__ = "recruitment_event"
    __table_args__ = (
        CAMPAIGN.check("from_status", name="from_status"),
        CAMPAIGN.check("to_status", name="to_status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("recruitment_campaign.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Posting(Base):
    """A posting on a worker's record: secondment (挂职锻炼, S4-8) or exchange
    (异地交流, S3-8), with its host unit and dates."""

    __tablename__ = "worker_posting"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    host_unit: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
