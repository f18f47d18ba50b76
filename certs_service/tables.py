"""Certs's tables (this service's database only).

Hours and scores are integer hundredths (``*_centi``), money integer fen.
Tables fed by other services' events (``assessment``, ``cpd_credit``) are
keyed by HR's worker id without a foreign key: an event may arrive before the
worker's profile does. Status columns are kept to their machine's states
(``states.py``) by CHECK constraints.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from certs_service.states import EXAM_ENTRY, NOMINATION, OBJECTION, OUTCOME, REVIEW, ROUND, ended_check
from shared.db import BigId, add_infra_tables, new_metadata
from shared.workdays import calendar_table

metadata = new_metadata()
infra = add_infra_tables(metadata)
work_calendar = calendar_table(metadata)

WorkerId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = metadata


class Profile(Base):
    """This service's read model of a worker (HR's id), and the real-name
    registration (实名注册, S2-4) of a certificate holder. ``community_code``
    and ``status`` (HR's: probation, active, left) are as HR's events last
    said; ``last_change_id`` is HR's id of the last ``worker.changed`` applied
    (D-11): only a newer one is applied."""

    __tablename__ = "profile"
    worker_id: Mapped[int] = mapped_column(WorkerId, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True, nullable=True)
    real_name_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    community_worker: Mapped[bool] = mapped_column(default=True)
    hired_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    prior_service_years: Mapped[int] = mapped_column(Integer, default=0)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    community_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    last_change_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Assessment(Base):
    """A yearly assessment (D-1 grade) as HR recorded it: the talent-eligibility read model."""

    __tablename__ = "assessment"
    worker_id: Mapped[int] = mapped_column(WorkerId, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    grade: Mapped[str] = mapped_column(String(8))


class CpdCredit(Base):
    """Continuing education (继续教育) in this service's ledger. ``centi`` is
    what counts toward a registration cycle (a degree counts the policy's
    hours, once); ``reported_centi`` what the source reported."""

    __tablename__ = "cpd_credit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(WorkerId, index=True)
    credited_on: Mapped[date] = mapped_column(Date)
    centi: Mapped[int] = mapped_column(Integer)
    reported_centi: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))  # course | degree
    event_id: Mapped[str | None] = mapped_column(String(36), unique=True, nullable=True)
    session_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Certificate(Base):
    """A social-work professional level certificate (社会工作者职业水平证书, D-5).
    ``qualified_on`` is the day the level is held: the pass date, or for 高级
    the passed review."""

    __tablename__ = "certificate"
    __table_args__ = (REVIEW.check("review_outcome", name="review_outcome"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("profile.worker_id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    level_rank: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    exam_year: Mapped[int] = mapped_column(Integer)
    passed_on: Mapped[date] = mapped_column(Date)
    review_outcome: Mapped[str | None] = mapped_column(String(8), nullable=True)  # states.ReviewOutcome
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    qualified_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Registration(Base):
    """One registration cycle (登记) of a certificate (D-5). ``cpd_from`` is the
    first day whose CPD counts toward the next re-registration and
    ``renewal_opens_on`` the first day of the renewal window, both fixed when
    the cycle is granted; ``ended`` says
    how the cycle ended (renewed, lapsed, closed) and ``ended_on`` when."""

    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("certificate_id", "cycle"), ended_check())
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    worker_id: Mapped[int] = mapped_column(WorkerId, index=True)
    cycle: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # rules.RegistrationKind
    registered_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    renewal_opens_on: Mapped[date] = mapped_column(Date)
    cpd_from: Mapped[date] = mapped_column(Date)
    cpd_counted_centi: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ended: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)  # states.ENDINGS
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Reminder(Base):
    """A reminder 90, 60 or 30 days before a registration expires, for officers."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("registration_id", "days_before"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    worker_id: Mapped[int] = mapped_column(WorkerId)
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    days_before: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date, index=True)


class ExamEntry(Base):
    """An entry for the professional-title exam (职称考试, S3-7)."""

    __tablename__ = "exam_entry"
    __table_args__ = (UniqueConstraint("worker_id", "exam_year", "level"), EXAM_ENTRY.check("result", name="result"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("profile.worker_id"), index=True)
    exam_year: Mapped[int] = mapped_column(Integer, index=True)
    level: Mapped[str] = mapped_column(String(16))
    entered_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(8))  # states.ExamResult
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ServiceEntry(Base):
    """An entry on the worker's service record (服务履历, S2-4, S2-8): a posting,
    an award (最美社工…), an excellent case, a studio (特色社会工作室)."""

    __tablename__ = "service_entry"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("profile.worker_id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    conferred_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TalentRound(Base):
    """A leader-talent round (社区工作领军人才选拔, D-7, S2-6). ``rule`` is the
    ``talent_round`` policy in force on ``opened_on``, fixed for the round."""

    __tablename__ = "talent_round"
    __table_args__ = (ROUND.check("state", name="state"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    city_quota: Mapped[int] = mapped_column(Integer)
    opened_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))  # states.RoundState
    rule: Mapped[dict] = mapped_column(JSON)
    notice_starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    finalised_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DistrictQuota(Base):
    """How many nominations a district may make in a round."""

    __tablename__ = "district_quota"
    round_id: Mapped[int] = mapped_column(ForeignKey("talent_round.id"), primary_key=True)
    district: Mapped[str] = mapped_column(String(64), primary_key=True)
    quota: Mapped[int] = mapped_column(Integer)


class Nomination(Base):
    """A district's nominee in a round. After ranking, ``outcome`` is selected
    (within the quota), reserve (below it) or struck (an upheld objection);
    a reserve moved up carries its own notice dates."""

    __tablename__ = "nomination"
    __table_args__ = (UniqueConstraint("round_id", "worker_id"), NOMINATION.check("status", name="status"),
                      OUTCOME.check("outcome", name="outcome"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("talent_round.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("profile.worker_id"), index=True)
    district: Mapped[str] = mapped_column(String(64))
    nominated_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))  # states.NominationStatus
    composite: Mapped[str | None] = mapped_column(String(16), nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(12), nullable=True)  # states.NominationOutcome
    notice_starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    nominated_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ExpertScore(Base):
    """One expert's score of one nominee on one D-7 criterion, in hundredths of a point."""

    __tablename__ = "expert_score"
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), primary_key=True)
    expert: Mapped[str] = mapped_column(String(64), primary_key=True)
    criterion: Mapped[str] = mapped_column(String(32), primary_key=True)
    centi: Mapped[int] = mapped_column(Integer)


class Objection(Base):
    """An objection raised during the public notice (公示, S1-2) and its decision."""

    __tablename__ = "objection"
    __table_args__ = (OBJECTION.check("outcome", name="outcome"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    grounds: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(10), nullable=True)  # states.ObjectionOutcome
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Designation(Base):
    """A leader talent (社区工作领军人才): a term and a monthly allowance (D-7)."""

    __tablename__ = "designation"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("profile.worker_id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("talent_round.id"), index=True)
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date] = mapped_column(Date)
    allowance_fen: Mapped[int] = mapped_column(Integer)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
