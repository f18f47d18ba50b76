"""The bodies HR's records API takes and answers (msgspec Structs) and the
conversions from the tables to them."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec

from hr_service.rules.profile import PROFILE_FIELDS, masked
from hr_service.states import WorkerStatus
from hr_service.tables import (
    Assessment,
    AssessmentRevision,
    GradeChange,
    Worker,
    WorkerChange,
    WorkerDesignation,
    WorkerEducation,
)
from shared.types import Name, Short

NonEmpty = Name  # not blank (shared.text.blank)


class NewWorker(msgspec.Struct, forbid_unknown_fields=True):
    """A worker for the rolls. Without ``grade`` the starting grade follows D-2
    (bottom of the post's band + years of service, education counted as service)."""

    name: NonEmpty
    id_number: Annotated[str, msgspec.Meta(min_length=18, max_length=18)]
    jurisdiction: NonEmpty
    post: NonEmpty
    hired_on: date
    grade: Annotated[int, msgspec.Meta(ge=1, le=18)] | None = None
    community_code: str | None = None
    education: str | None = None
    service_years: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0
    status: Literal["active", "probation"] = WorkerStatus.active  # states.HIRED_AS
    probation_ends_on: date | None = None
    # the record complete enough to serve (rules.profile): optional, validated where given
    gender: Short | None = None  # male | female; by default as the ID number says
    ethnicity: Short | None = None
    political_status: Short | None = None
    party_member_since: date | None = None
    phone: Short | None = None
    email: Annotated[str, msgspec.Meta(max_length=128)] | None = None
    address: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    emergency_contact_name: NonEmpty | None = None
    emergency_contact_relation: Short | None = None
    emergency_contact_phone: Short | None = None

    def __post_init__(self) -> None:
        self.name = self.name.strip()  # the name as on the ID card, without the spaces around it
        if self.emergency_contact_name is not None:
            self.emergency_contact_name = self.emergency_contact_name.strip()


class WorkerImport(msgspec.Struct, forbid_unknown_fields=True):
    """Many workers at once: each item is a ``POST /workers`` body. Any
    refused item refuses the file, unless ``partial``: then the items that
    pass are written and the others listed."""

    items: Annotated[list[dict[str, Any]], msgspec.Meta(min_length=1, max_length=10_000)]
    dry_run: bool = False
    partial: bool = False


class ItemProblem(msgspec.Struct):
    """One reason an item is refused: the field, a stable code, the reason in English and Chinese, the clause."""

    field: str
    code: str
    reason: str
    reason_zh: str
    clause: str | None = None


class RefusedItem(msgspec.Struct):
    """An item a partial import left out (``item`` counts from 0), with every reason."""

    item: int
    problems: list[ItemProblem]


class WorkerImportOut(msgspec.Struct):
    dry_run: bool
    count: int  # created, or for a dry run that would be
    ids: list[int]
    refused: list[RefusedItem] = []  # a partial import's items left out


def refused_items(problems: list[Any]) -> list[RefusedItem]:
    """The problems of a partial import (``store.RowProblem``), item by item in order."""
    by_item: dict[int, list[ItemProblem]] = {}
    for p in sorted(problems, key=lambda p: p.item):
        by_item.setdefault(p.item, []).append(ItemProblem(p.field, p.code, p.reason, p.reason_zh, p.clause))
    return [RefusedItem(item, found) for item, found in by_item.items()]


class WorkerOut(msgspec.Struct):
    id: int
    name: str
    jurisdiction: str
    community_code: str | None
    post: str
    grade: int
    status: str
    hired_on: date
    left_on: date | None
    birth_date: date | None = None
    education: str | None = None
    service_years: int = 0
    probation_ends_on: date | None = None
    grade_since: date | None = None
    last_step_on: date | None = None
    left_reason: str | None = None
    grade_derivation: str | None = None
    # D-8: the ID number and contacts are masked unless the caller is HR of the
    # worker's jurisdiction or the worker (``masked`` says which)
    id_number: str | None = None
    masked: bool = True
    gender: str | None = None
    ethnicity: str | None = None
    political_status: str | None = None
    party_member_since: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_relation: str | None = None
    emergency_contact_phone: str | None = None
    education_history: list[EducationOut] | None = None  # on a single record


class EducationOut(msgspec.Struct):
    qualification: str
    school: str
    graduated_year: int
    major: str | None
    full_time: bool


def education_out(rows: list[WorkerEducation]) -> list[EducationOut]:
    return [EducationOut(r.qualification, r.school, r.graduated_year, r.major, r.full_time) for r in rows]


def worker_out(w: Worker, derivation: str | None = None, *, full: bool = False,
               education: list[WorkerEducation] | None = None) -> WorkerOut:
    """The record as the caller may see it: ``full`` (``rules.profile.sees_in_full``) or masked (D-8)."""
    personal = {f: getattr(w, f) for f in ("id_number", *PROFILE_FIELDS)}
    return WorkerOut(
        id=w.id, name=w.name, jurisdiction=w.jurisdiction, community_code=w.community_code,
        post=w.post, grade=w.grade, status=w.status, hired_on=w.hired_on, left_on=w.left_on,
        birth_date=w.birth_date, education=w.education, service_years=w.service_years or 0,
        probation_ends_on=w.probation_ends_on, grade_since=w.grade_since, last_step_on=w.last_step_on,
        left_reason=w.left_reason, grade_derivation=derivation, masked=not full,
        education_history=None if education is None else education_out(education),
        **(personal if full else masked(personal)),
    )


class GradeChangeOut(msgspec.Struct):
    id: int
    effective_on: date
    kind: str
    post: str
    grade: int
    from_post: str | None
    from_grade: int | None
    reason: str
    clause: str
    actor: str
    recorded_at: datetime
    step_run_id: int | None
    superseded_by: int | None = None  # a correction from an earlier date replaced this row (D-12)


def change_out(c: GradeChange) -> GradeChangeOut:
    return GradeChangeOut(c.id, c.effective_on, c.kind, c.post, c.grade, c.from_post, c.from_grade, c.reason,
                          c.clause, c.actor, c.recorded_at, c.step_run_id, c.superseded_by)


class DesignationOut(msgspec.Struct):
    """A title on the worker's record: ``leader_talent`` (D-7) from a certs talent
    round, its term and the monthly allowance paid in the term's months (fen)."""

    kind: str
    round_id: int
    term_starts_on: date
    term_ends_on: date
    allowance_fen: int
    in_force: bool
    source_event_id: str
    recorded_at: datetime


def designation_out(d: WorkerDesignation, as_of: date) -> DesignationOut:
    return DesignationOut(d.kind, d.round_id, d.term_starts_on, d.term_ends_on, d.allowance_fen,
                          d.term_starts_on <= as_of <= d.term_ends_on, d.source_event_id, d.recorded_at)


class PostChange(msgspec.Struct, forbid_unknown_fields=True):
    post: NonEmpty
    effective_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    grade: Annotated[int, msgspec.Meta(ge=1, le=18)] | None = None


class PostChanged(msgspec.Struct):
    worker: WorkerOut
    change: GradeChangeOut


class Leave(msgspec.Struct, forbid_unknown_fields=True):
    left_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


AssessmentGrade = Literal["优秀", "合格", "基本合格", "不合格"]
Visits = Annotated[list[Annotated[int, msgspec.Meta(ge=0, le=100_000)]], msgspec.Meta(min_length=12, max_length=12)]
Score = Annotated[float, msgspec.Meta(ge=0, le=100)]
Satisfaction = Annotated[int, msgspec.Meta(ge=0, le=100)]


class NewAssessment(msgspec.Struct, forbid_unknown_fields=True):
    """D-1 grade, S3-1 twelve monthly household-visit counts, S4-14 residents'
    satisfaction (percent), a performance score 0-100 (S0-6: qualitative and quantitative)."""

    year: Annotated[int, msgspec.Meta(ge=1990, le=2200)]
    grade: AssessmentGrade
    visits: Visits
    performance_score: Score
    residents_satisfaction: Satisfaction | None = None
    comment: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class Correction(msgspec.Struct, forbid_unknown_fields=True):
    """What changes, and why (required). Fields left out keep their value."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    grade: AssessmentGrade | None = None
    visits: Visits | None = None
    performance_score: Score | None = None
    residents_satisfaction: Satisfaction | None = None
    comment: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class RevisionOut(msgspec.Struct):
    version: int
    previous: dict
    reason: str
    changed_by: str
    changed_at: datetime


class AssessmentOut(msgspec.Struct):
    worker_id: int
    year: int
    grade: str
    visits: list[int]
    months_below_visit_minimum: list[int]
    residents_satisfaction: int | None
    performance_score: float
    comment: str | None
    version: int
    recorded_by: str
    recorded_at: datetime
    updated_by: str | None
    updated_at: datetime | None
    history: list[RevisionOut] = []


def assessment_out(a: Assessment, history: list[AssessmentRevision] | None = None) -> AssessmentOut:
    return AssessmentOut(
        a.worker_id, a.year, a.grade, a.visits, a.months_below_minimum, a.residents_satisfaction,
        a.score_centi / 100, a.comment, a.version, a.recorded_by, a.recorded_at, a.updated_by, a.updated_at,
        [RevisionOut(r.version, r.previous, r.reason, r.changed_by, r.changed_at) for r in history or []],
    )


def score(value: float) -> Decimal:
    """A performance score as an exact decimal (the store keeps hundredths)."""
    return Decimal(str(value))


class NewStepRun(msgspec.Struct, forbid_unknown_fields=True):
    jurisdiction: NonEmpty
    effective_on: date
    dry_run: bool = False


class NewPayRun(msgspec.Struct, forbid_unknown_fields=True):
    jurisdiction: NonEmpty
    month: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]


# --- a worker's changes (D-11) and corrections (D-12) -----------------------------


class Transfer(msgspec.Struct, forbid_unknown_fields=True):
    community_code: NonEmpty
    effective_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class ProbationDecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    """confirm (转正), extend (to ``until``), or end the employment (``effective_on`` the last day)."""

    decision: Literal["confirm", "extend", "end"]
    effective_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    until: date | None = None


class GradeCorrection(msgspec.Struct, forbid_unknown_fields=True):
    post: NonEmpty
    grade: Annotated[int, msgspec.Meta(ge=1, le=99)]
    effective_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class Reinstatement(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class WorkerChangeOut(msgspec.Struct):
    id: int
    worker_id: int
    kind: str
    effective_on: date
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    clause: str
    actor: str
    recorded_at: datetime


def worker_change_out(c: WorkerChange) -> WorkerChangeOut:
    return WorkerChangeOut(c.id, c.worker_id, c.kind, c.effective_on, c.before, c.after, c.reason, c.clause,
                           c.actor, c.recorded_at)


class WorkerChanged(msgspec.Struct):
    worker: WorkerOut
    change: WorkerChangeOut


class Corrected(msgspec.Struct):
    worker: WorkerOut
    change: GradeChangeOut
    superseded: list[int]
    paid_months_to_recheck: bool


class ProbationOut(msgspec.Struct):
    worker_id: int
    name: str
    jurisdiction: str
    community_code: str | None
    post: str
    hired_on: date
    probation_ends_on: date
    days_left: int


class NewSupplementaryRun(msgspec.Struct, forbid_unknown_fields=True):
    """A supplementary step run (补晋档, D-12) for a past step date."""

    jurisdiction: NonEmpty
    effective_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    dry_run: bool = True
