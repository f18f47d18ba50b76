"""HR's tables (this service's database only): workers and their history,
assessments, step runs, pay runs and payslips. The areas keep their own on the
same metadata: ``accounts/tables.py``, ``pay/tables.py`` (the payroll's
records), ``recruitment/``, ``rewards/``, ``org/``, ``ratings/``."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hr_service.states import PAY_RUN, WORKER, WorkerStatus
from shared.db import BigId, add_infra_tables, new_metadata
from shared.workdays import calendar_table

metadata = new_metadata()
infra = add_infra_tables(metadata)
work_calendar = calendar_table(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class Worker(Base):
    """A community worker on the rolls (社区工作者)."""

    __tablename__ = "worker"
    __table_args__ = (WORKER.check("status", name="status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(64), index=True)
    community_code: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    post: Mapped[str] = mapped_column(String(16))
    grade: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=WorkerStatus.active.value, index=True)  # WORKER
    hired_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # issue 3: what the starting grade and pay need, and the step's bookkeeping
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # from the ID number
    education: Mapped[str | None] = mapped_column(String(16), nullable=True)
    service_years: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # before hire
    probation_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    grade_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_step_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    left_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the record complete enough to serve: optional where the texts do not require it
    gender: Mapped[str | None] = mapped_column(String(8), nullable=True)  # male | female, as the ID number says
    ethnicity: Mapped[str | None] = mapped_column(String(16), nullable=True)  # 民族, GB 3304 name
    political_status: Mapped[str | None] = mapped_column(String(16), nullable=True)  # 政治面貌, GB/T 4762
    party_member_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(128), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    emergency_contact_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    emergency_contact_relation: Mapped[str | None] = mapped_column(String(16), nullable=True)
    emergency_contact_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)


class WorkerEducation(Base):
    """A worker's education history: each qualification, its school and year."""

    __tablename__ = "worker_education"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    qualification: Mapped[str] = mapped_column(String(16))  # 高中 | 中专 | 大专 | 本科 | 硕士 | 博士
    school: Mapped[str] = mapped_column(String(100))
    major: Mapped[str | None] = mapped_column(String(100), nullable=True)
    graduated_year: Mapped[int] = mapped_column(Integer)
    full_time: Mapped[bool] = mapped_column(default=True)


class GradeChange(Base):
    """Every post or grade a worker has held, from when, and who set it, why and
    under which clause (hire, step, post change). The grade in force on a day
    is the latest row (highest id) effective on or before it."""

    __tablename__ = "grade_change"
    __table_args__ = (Index("ix_grade_change_worker_effective", "worker_id", "effective_on"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    effective_on: Mapped[date] = mapped_column(Date)
    post: Mapped[str] = mapped_column(String(16))
    grade: Mapped[int] = mapped_column(Integer)
    from_post: Mapped[str | None] = mapped_column(String(16), nullable=True)
    from_grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(16))  # hire | step | post_change | correction
    reason: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    step_run_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # D-12: a correction from an earlier date replaces the rows effective on or after it
    superseded_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class WorkerChange(Base):
    """D-11: a change of a worker from a date: a transfer to another community,
    a probation decision (confirmed, extended, ended), leaving, reinstatement, a
    post change or grade correction; what stood before and after, who, why, clause.
    Published as ``worker.changed`` (or ``worker.left``)."""

    __tablename__ = "worker_change"
    __table_args__ = (Index("ix_worker_change_worker", "worker_id", "effective_on"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    kind: Mapped[str] = mapped_column(String(24))
    effective_on: Mapped[date] = mapped_column(Date)
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PayRecheck(Base):
    """D-12: a change that reaches back into paid months (a supplementary step,
    a correction, a late allowance): the worker's closed months from ``since``
    (YYYY-MM) are computed again by the next pay run, which makes good the
    difference. A draft run holds the rechecks it used (``settled_run_id``)
    and gives them back when computed again; they are settled when it closes."""

    __tablename__ = "pay_recheck"
    __table_args__ = (Index("ix_pay_recheck_open", "settled_run_id", "worker_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(BigInteger)
    since: Mapped[str] = mapped_column(String(7))
    reason: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64))  # e.g. step_run:12, grade_change:40, certificate:7
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    settled_run_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class PayAdjustment(Base):
    """D-12: one arrears (补发, amount > 0) or recovery (扣回, amount < 0) line of
    a pay run, for one earlier month (``covers``) of one worker, in fen."""

    __tablename__ = "pay_adjustment"
    __table_args__ = (UniqueConstraint("run_id", "worker_id", "covers", name="uq_pay_adjustment_run_worker_month"),
                      Index("ix_pay_adjustment_worker_covers", "worker_id", "covers"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("pay_run.id"))
    worker_id: Mapped[int] = mapped_column(BigInteger)
    month: Mapped[str] = mapped_column(String(7))  # the month of the run that pays it
    covers: Mapped[str] = mapped_column(String(7))  # the earlier month made good
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(32))


class Assessment(Base):
    """One worker's annual assessment (D-1 grade, S3-1 visits, S4-14 residents' evaluation, score)."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("worker_id", "year", name="uq_assessment_worker_year"),
                      Index("ix_assessment_year", "year"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(8))
    visits: Mapped[list] = mapped_column(JSON)  # twelve monthly counts
    months_below_minimum: Mapped[list] = mapped_column(JSON)
    residents_satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)  # percent
    score_centi: Mapped[int] = mapped_column(Integer)  # performance score × 100
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AssessmentRevision(Base):
    """A correction: the values before it, the reason, who and when."""

    __tablename__ = "assessment_revision"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the version replaced
    previous: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StepRun(Base):
    """One step increment over a jurisdiction for an effective date (S4-10)."""

    __tablename__ = "step_run"
    __table_args__ = (
        UniqueConstraint("jurisdiction", "effective_on", "seq", name="uq_step_run_jurisdiction_date_seq"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction: Mapped[str] = mapped_column(String(64))
    effective_on: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 0 the run, 1… supplementary (D-12)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    assessment_year: Mapped[int] = mapped_column(Integer)
    policies: Mapped[dict] = mapped_column(JSON)  # the policy versions applied
    counts: Mapped[dict] = mapped_column(JSON)
    run_by: Mapped[str] = mapped_column(String(64))
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StepOutcome(Base):
    """What the step run decided for one worker: one row per worker and date,
    which is what makes a second run for the same date change nothing."""

    __tablename__ = "step_outcome"
    __table_args__ = (UniqueConstraint("worker_id", "effective_on", name="uq_step_outcome_worker_date"),
                      Index("ix_step_outcome_run_outcome", "run_id", "outcome"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("step_run.id"))
    worker_id: Mapped[int] = mapped_column(BigInteger)
    effective_on: Mapped[date] = mapped_column(Date)
    post: Mapped[str] = mapped_column(String(16))
    from_grade: Mapped[int] = mapped_column(Integer)
    to_grade: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))
    assessment_grade: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # D-12: what an earlier run of the date decided, when a supplementary run moved the worker
    previous_outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    previous_run_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class PayRun(Base):
    """A month's pay for a jurisdiction: a draft (computed again at will),
    submitted for approval, then approved by another officer: closed, for good (D-16)."""

    __tablename__ = "pay_run"
    __table_args__ = (UniqueConstraint("jurisdiction", "month", name="uq_pay_run_jurisdiction_month"),
                      Index("ix_pay_run_month", "month"), PAY_RUN.check("status", name="status"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    jurisdiction: Mapped[str] = mapped_column(String(64))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    status: Mapped[str] = mapped_column(String(16))  # PAY_RUN: draft | submitted | closed
    policies: Mapped[dict] = mapped_column(JSON)
    totals: Mapped[dict] = mapped_column(JSON)
    computations: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    computed_by: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # D-16: the maker
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # D-16: the approver (checker)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


Money = BigInteger


class Payslip(Base):
    """One worker's pay for one month, as a pay run computed it (fen)."""

    __tablename__ = "payslip"
    __table_args__ = (UniqueConstraint("worker_id", "month", name="uq_payslip_worker_month"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("pay_run.id"), index=True)
    worker_id: Mapped[int] = mapped_column(BigInteger)
    month: Mapped[str] = mapped_column(String(7))
    jurisdiction: Mapped[str] = mapped_column(String(64))
    community_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    pool_key: Mapped[str] = mapped_column(String(48))
    post: Mapped[str] = mapped_column(String(16))
    grade: Mapped[int] = mapped_column(Integer)
    score_centi: Mapped[int] = mapped_column(Integer)
    service_years: Mapped[int] = mapped_column(Integer)
    grade_pay: Mapped[int] = mapped_column(Money)
    welfare: Mapped[int] = mapped_column(Money)
    certificate_allowance: Mapped[int] = mapped_column(Money)
    service_allowance: Mapped[int] = mapped_column(Money)
    talent_allowance: Mapped[int] = mapped_column(Money, default=0, server_default="0")  # D-7
    bonus_pool: Mapped[int] = mapped_column(Money)
    bonus_share: Mapped[int] = mapped_column(Money)
    paid_days: Mapped[int] = mapped_column(Integer, default=2175, server_default="2175")  # D-15: hundredths
    paid_days_to_date: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # this year, hundredths
    floor_to_date: Mapped[int] = mapped_column(Money)
    months_to_date: Mapped[int] = mapped_column(Integer)  # months paid this year, this one included
    paid_before: Mapped[int] = mapped_column(Money)
    paid_to_date: Mapped[int] = mapped_column(Money)  # pay and welfare this year, this month included
    floor_top_up: Mapped[int] = mapped_column(Money)
    arrears: Mapped[int] = mapped_column(Money, default=0, server_default="0")  # D-12: sum of pay_adjustment lines
    rewards: Mapped[int] = mapped_column(Money, default=0, server_default="0")  # S4-13: awards paid this month
    gross: Mapped[int] = mapped_column(Money)
    contribution_wage: Mapped[int] = mapped_column(Money, default=0, server_default="0")  # D-14: declared wage
    contribution_base: Mapped[int] = mapped_column(Money)
    er_pension: Mapped[int] = mapped_column(Money)
    er_medical: Mapped[int] = mapped_column(Money)
    er_unemployment: Mapped[int] = mapped_column(Money)
    er_maternity: Mapped[int] = mapped_column(Money)
    er_work_injury: Mapped[int] = mapped_column(Money)
    er_housing_fund: Mapped[int] = mapped_column(Money)
    employer_total: Mapped[int] = mapped_column(Money)
    ee_pension: Mapped[int] = mapped_column(Money)
    ee_medical: Mapped[int] = mapped_column(Money)
    ee_unemployment: Mapped[int] = mapped_column(Money)
    ee_maternity: Mapped[int] = mapped_column(Money)
    ee_work_injury: Mapped[int] = mapped_column(Money)
    ee_housing_fund: Mapped[int] = mapped_column(Money)
    worker_deductions: Mapped[int] = mapped_column(Money)
    # D-13: income tax withheld on the year so far (cumulative figures of this year, this month included)
    income_to_date: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    basic_deduction_to_date: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    contributions_to_date: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    special_deductions_to_date: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    taxable_to_date: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    tax_due_to_date: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    tax_withheld_before: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    income_tax: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    net_pay: Mapped[int] = mapped_column(Money)
    total_cost: Mapped[int] = mapped_column(Money)
    city_share: Mapped[int] = mapped_column(Money)
    district_share: Mapped[int] = mapped_column(Money)


class WorkerCertificate(Base):
    """HR's copy of a worker's registered social-work certificates (from the
    certs service's certificate.registered / registration.lapsed events), for
    the D-3 certificate allowance."""

    __tablename__ = "worker_certificate"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(BigInteger, index=True)
    certificate_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    level: Mapped[str] = mapped_column(String(16))
    registered_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    lapsed_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class WorkerDesignation(Base):
    """A title on the worker's HR record from another service's decision: a
    leader talent (D-7, 领军人才) designated by a certs talent round
    (``talent.selected``), with its term and monthly allowance (fen)."""

    __tablename__ = "worker_designation"
    __table_args__ = (UniqueConstraint("worker_id", "kind", "round_id", name="uq_worker_designation_round"),
                      Index("ix_worker_designation_worker_term", "worker_id", "term_starts_on"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))  # leader_talent
    round_id: Mapped[int] = mapped_column(BigInteger)
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date] = mapped_column(Date)
    allowance_fen: Mapped[int] = mapped_column(BigInteger)
    source_event_id: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
