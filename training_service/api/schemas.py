"""The msgspec Structs the API takes in and gives out.

Hours travel as decimal strings ("7.50"), money as integer fen, session times
as ISO date-times in Asia/Shanghai."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from shared.types import Id, Label, Name, Title
from training_service import rules
from training_service.store.reports import UnitTimes

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Text64 = Name  # not blank
Year = Annotated[int, msgspec.Meta(ge=rules.YEARS[0], le=rules.YEARS[1])]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=100_000)]
Link = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Trainer = Label

# --- roster -----------------------------------------------------------------------


class DesignationOut(msgspec.Struct):
    designation: str
    valid_from: date | None
    valid_until: date | None
    source: str


class RosterOut(msgspec.Struct):
    worker_id: int
    name: str
    post: str
    community_code: str | None
    jurisdiction: str
    hired_on: date | None
    probation_ends_on: date | None
    status: str
    left_on: date | None
    designations: list[DesignationOut]


class ImportOut(msgspec.Struct):
    rows: int
    created: int
    updated: int


# --- programmes and sessions ------------------------------------------------------


class NewProgramme(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    tier: rules.Tier
    category: Code
    content_area: rules.ContentArea
    delivery: rules.Delivery
    mode: rules.Mode
    location: rules.Location
    hours: Decimal
    jurisdiction: Text64 | None = None
    topics: Annotated[list[Code], msgspec.Meta(max_length=20)] = []
    cpd_accredited: bool = False
    cpd_hours: Decimal = Decimal(0)
    eligible_posts: list[str] = []
    eligible_designations: list[Code] = []
    assessment_required: bool = False
    cost_fen: int = 0
    description: Annotated[str, msgspec.Meta(max_length=4000)] | None = None


class ProgrammeOut(msgspec.Struct):
    id: int
    title: str
    jurisdiction: str
    tier: str
    tier_zh: str
    category: str
    content_area: str
    topics: list[str]
    delivery: str
    mode: str
    location: str
    hours: Decimal
    cpd_accredited: bool
    cpd_hours: Decimal
    eligible_posts: list[str]
    eligible_designations: list[str]
    assessment_required: bool
    cost_fen: int
    description: str | None
    created_at: datetime


class NewSession(msgspec.Struct, forbid_unknown_fields=True):
    starts_at: datetime
    ends_at: datetime
    capacity: Capacity
    jurisdiction: Text64 | None = None
    days: list[date] | None = None
    venue: Title | None = None
    online_link: Link | None = None
    trainer: Trainer | None = None


class SessionOut(msgspec.Struct):
    id: int
    programme_id: int
    title: str
    tier: str
    category: str
    delivery: str
    location: str
    hours: Decimal
    cpd_hours: Decimal
    jurisdiction: str
    starts_at: datetime
    ends_at: datetime
    days: list[date]
    venue: str | None
    online_link: str | None
    trainer: str | None
    capacity: int
    enrolled: int
    waitlisted: int
    seats_left: int
    status: str


class SessionPatch(msgspec.Struct, forbid_unknown_fields=True):
    capacity: Capacity | None = None
    venue: Title | None = None
    online_link: Link | None = None
    trainer: Trainer | None = None


class Reason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=200)] | None = None


# --- enrolment --------------------------------------------------------------------


class EnrolRequest(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: Id | None = None


class EnrolmentOut(msgspec.Struct):
    id: int
    session_id: int
    worker_id: int
    worker_name: str | None
    programme_id: int
    title: str
    tier: str
    starts_at: datetime
    ends_at: datetime
    status: str
    waitlist_position: int | None
    promoted: bool
    requested_at: datetime
    seated_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    assessment_passed: bool | None
    completed_on: date | None


class SessionChange(msgspec.Struct):
    session: SessionOut
    promoted: list[EnrolmentOut]


class CancelOut(msgspec.Struct):
    enrolment: EnrolmentOut
    promoted: list[EnrolmentOut]


class BulkOut(msgspec.Struct):
    enrolled: int
    waitlisted: int
    enrolments: list[EnrolmentOut]


# --- attendance and completion ------------------------------------------------------


class Mark(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: Id
    present: bool


class AttendanceIn(msgspec.Struct, forbid_unknown_fields=True):
    day: date
    records: Annotated[list[Mark], msgspec.Meta(min_length=1, max_length=10_000)]


class Result(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: Id
    passed: bool


class AssessmentIn(msgspec.Struct, forbid_unknown_fields=True):
    records: Annotated[list[Result], msgspec.Meta(min_length=1, max_length=10_000)]


class SheetRowOut(msgspec.Struct):
    enrolment_id: int
    worker_id: int
    name: str | None
    post: str | None
    community_code: str | None
    status: str
    marks: list[bool | None]
    present_days: int
    percent: Decimal
    assessment_passed: bool | None
    completes: bool
    reason: str


class SheetOut(msgspec.Struct):
    session_id: int
    title: str
    days: list[date]
    threshold_percent: int
    assessment_required: bool
    rows: list[SheetRowOut]


class CloseOut(msgspec.Struct):
    session: SessionOut
    completed: int
    not_completed: int
    rows: list[SheetRowOut]


# --- the ledger, obligations, compliance, statistics ---------------------------------


class CreditOut(msgspec.Struct):
    enrolment_id: int
    session_id: int
    programme_id: int
    title: str
    tier: str
    category: str
    delivery: str
    location: str
    hours: Decimal
    cpd_hours: Decimal
    completed_on: date


class LedgerYear(msgspec.Struct):
    year: int
    programmes: int
    hours: Decimal
    cpd_hours: Decimal
    by_tier: dict[str, Decimal]
    by_category: dict[str, Decimal]


class LedgerOut(msgspec.Struct):
    worker_id: int
    name: str
    post: str
    jurisdiction: str
    total_hours: Decimal
    total_cpd_hours: Decimal
    years: list[LedgerYear]
    credits: list[CreditOut]


class ObligationsOut(msgspec.Struct):
    worker_id: int
    post: str
    year: int
    as_of: date
    obligations: list[rules.Obligation]


class ComplianceRow(msgspec.Struct):
    worker_id: int
    name: str
    post: str
    jurisdiction: str
    community_code: str | None
    kind: str
    status: str
    unit: str
    required: Decimal
    done: Decimal
    shortfall: Decimal
    shortfall_days: Decimal | None
    due_on: date
    clause: str


class ComplianceOut(msgspec.Struct):
    jurisdiction: str
    year: int
    as_of: date
    workers_checked: int
    behind: int
    open: int
    rows: list[ComplianceRow]
    clause: str = "D-6"


class StatisticsOut(msgspec.Struct):
    """S3-7 person-times (人次) and S2-2 spend against the year's budget."""

    jurisdiction: str
    year: int
    sessions: int
    person_times: int
    completed_person_times: int
    workers: int
    hours: Decimal
    cpd_hours: Decimal
    by_tier: dict[str, int]
    by_category: dict[str, int]
    by_location: dict[str, int]
    by_delivery: dict[str, int]
    spend_fen: int
    budget_fen: int
    budget_left_fen: int
    budget_used_percent: Decimal
    budget_jurisdiction: str
    clauses: list[str]
    as_of: date | None = None  # the day counted to, when asked
    by: str | None = None  # the level of ``units`` (D-17), when asked
    units: list[UnitTimes] = []


# --- places abroad (S2-3) ---------------------------------------------------------


class NewSelection(msgspec.Struct, forbid_unknown_fields=True):
    year: Year
    worker_id: Id
    note: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class SelectionOut(msgspec.Struct):
    id: int
    year: int
    worker_id: int
    jurisdiction: str
    note: str | None
    selected_by: str
    selected_at: datetime
