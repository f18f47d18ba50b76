"""Training's tables (this service's database only).

Hours are integer hundredths of an hour (``*_ch``: 7.5 h is 750), money is
integer fen. Session times are Hangzhou wall-clock times (Asia/Shanghai),
stored without a zone so that SQLite and PostgreSQL compare them the same way;
the API adds the +08:00 offset back.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import BigId, add_infra_tables, new_metadata
from training_service.states import ENROLMENT, ROSTER, SESSION, EnrolmentStatus, RosterStatus, SessionStatus

metadata = new_metadata()
infra = add_infra_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class RosterWorker(Base):
    """The training service's own read model of a worker, keyed by HR's worker id.

    Fed by worker.hired / worker.changed / worker.left / talent.selected, or
    imported from CSV. ``last_change_id`` is HR's id of the last
    ``worker.changed`` applied (D-11): only a newer one is applied."""

    __tablename__ = "roster_worker"
    __table_args__ = (ROSTER.check("status", name="status"),)
    worker_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(64))
    post: Mapped[str] = mapped_column(String(16))
    community_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    hired_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    probation_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=RosterStatus.active)  # states.ROSTER
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(16))  # csv | event
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_change_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Designation(Base):
    """A designation such as leader talent (领军人才), valid over a term."""

    __tablename__ = "worker_designation"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(BigId, index=True)
    designation: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(32))  # csv | talent.selected


class Programme(Base):
    """A training programme (培训项目): its tier, class, content and terms."""

    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    tier: Mapped[str] = mapped_column(String(32), index=True)
    category: Mapped[str] = mapped_column(String(32))
    content_area: Mapped[str] = mapped_column(String(32))
    topics: Mapped[list] = mapped_column(JSON)
    delivery: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(16))
    hours_ch: Mapped[int] = mapped_column(Integer)
    cpd_accredited: Mapped[bool] = mapped_column(Boolean)
    cpd_hours_ch: Mapped[int] = mapped_column(Integer)
    eligible_posts: Mapped[list] = mapped_column(JSON)
    eligible_designations: Mapped[list] = mapped_column(JSON)
    assessment_required: Mapped[bool] = mapped_column(Boolean)
    cost_fen: Mapped[int] = mapped_column(BigInteger)  # per participant (人次)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CourseSession(Base):
    """A scheduled session (班次) of a programme."""

    __tablename__ = "training_session"
    __table_args__ = (SESSION.check("status", name="status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # Asia/Shanghai wall clock
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    days: Mapped[list] = mapped_column(JSON)  # ISO dates attendance is taken on
    venue: Mapped[str | None] = mapped_column(String(200), nullable=True)
    online_link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    trainer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.scheduled)  # states.SESSION
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


LIVE = f"status <> '{EnrolmentStatus.cancelled}'"
"""An enrolment that still holds or waits for a place: one per worker and session."""


class Enrolment(Base):
    """A worker's place in a session: enrolled (seated) or waitlisted, then
    cancelled, completed or not completed. The waitlist is in id order (FCFS)."""

    __tablename__ = "enrolment"
    __table_args__ = (
        Index(
            "uq_enrolment_live", "session_id", "worker_id", unique=True,
            sqlite_where=text(LIVE), postgresql_where=text(LIVE),
        ),
        Index("ix_enrolment_session_status", "session_id", "status"),
        ENROLMENT.check("status", name="status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"))
    worker_id: Mapped[int] = mapped_column(BigId, index=True)
    status: Mapped[str] = mapped_column(String(16))  # states.ENROLMENT
    source: Mapped[str] = mapped_column(String(16))  # self | coordinator | csv | event
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    promoted: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancelled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    assessment_passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class Attendance(Base):
    """Present or absent on one session day."""

    __tablename__ = "attendance"
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TrainingCredit(Base):
    """The worker's ledger: one row per completed session, with the programme's
    tier, class and hours as they were on completion (D-6)."""

    __tablename__ = "training_credit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(BigId, index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), unique=True)
    session_id: Mapped[int] = mapped_column(BigId)
    programme_id: Mapped[int] = mapped_column(BigId)
    title: Mapped[str] = mapped_column(String(200))
    jurisdiction: Mapped[str] = mapped_column(String(64))
    tier: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    delivery: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(16))
    hours_ch: Mapped[int] = mapped_column(Integer)
    cpd_hours_ch: Mapped[int] = mapped_column(Integer)
    completed_on: Mapped[date] = mapped_column(Date, index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)


class AbroadSelection(Base):
    """A worker selected for study abroad in a year (S2-3 选派…出境学)."""

    __tablename__ = "abroad_selection"
    __table_args__ = (UniqueConstraint("year", "worker_id", name="uq_abroad_selection_year_worker"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    worker_id: Mapped[int] = mapped_column(BigId, index=True)
    jurisdiction: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    selected_by: Mapped[str] = mapped_column(String(64))
    selected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
