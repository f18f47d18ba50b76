"""The certs API's msgspec Structs, in and out (``views`` makes the out ones from stored rows)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec

from certs_service import store
from certs_service.rules import Reason, TalentRule
from certs_service.store import CertificateNumber, Text64, WorkerId, Year
from shared.types import Label, Title

Text100 = Label  # not blank
Text200 = Title
Text4000 = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Quota = Annotated[int, msgspec.Meta(ge=0, le=10_000)]


# --- profiles, CPD, service record ---------------------------------------------


class NewProfile(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: WorkerId
    name: Text64
    jurisdiction: Text64
    hired_on: date | None = None
    id_number: str | None = None
    community_worker: bool = True
    prior_service_years: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0


class RealName(msgspec.Struct, forbid_unknown_fields=True):
    name: Text64
    id_number: str


class AssessmentIn(msgspec.Struct, forbid_unknown_fields=True):
    year: Year
    grade: str


class AssessmentOut(msgspec.Struct):
    year: int
    grade: str


class ProfileOut(msgspec.Struct):
    worker_id: int
    name: str
    jurisdiction: str
    community_worker: bool
    real_name_registered: bool
    real_name_on: date | None
    id_number_masked: str | None
    hired_on: date | None
    prior_service_years: int
    service_years: int
    left_on: date | None
    assessments: list[AssessmentOut]
    community_code: str | None = None
    status: str | None = None  # HR's: probation, active, left (as its events last said)


class CpdIn(msgspec.Struct, forbid_unknown_fields=True):
    credited_on: date
    source: str = "course"
    hours: Decimal | None = None
    note: str | None = None


class CpdOut(msgspec.Struct):
    id: int
    credited_on: date
    source: str
    hours: Decimal
    reported_hours: Decimal
    note: str | None


class ServiceEntryIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    title: Text200
    started_on: date
    ended_on: date | None = None
    conferred_by: Text100 | None = None
    detail: str | None = None


class ServiceEntryOut(msgspec.Struct):
    id: int
    worker_id: int
    kind: str
    title: str
    started_on: date
    ended_on: date | None
    conferred_by: str | None
    detail: str | None


# --- certificates and registrations ------------------------------------------


class NewCertificate(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: WorkerId
    level: str
    number: CertificateNumber
    exam_year: Year
    passed_on: date


class Review(msgspec.Struct, forbid_unknown_fields=True):
    outcome: str
    reviewed_on: date


class ImportIn(msgspec.Struct, forbid_unknown_fields=True):
    items: Annotated[list[store.ImportRow], msgspec.Meta(min_length=1, max_length=20_000)]


class ImportOut(msgspec.Struct):
    profiles_opened: int
    certificates_recorded: int


class CertificateOut(msgspec.Struct):
    id: int
    worker_id: int
    name: str
    jurisdiction: str
    level: str
    number: str
    exam_year: int
    passed_on: date
    review_outcome: str | None
    reviewed_on: date | None
    qualified_on: date | None
    registration: store.Status | None = None


class NewRegistration(msgspec.Struct, forbid_unknown_fields=True):
    registered_on: date | None = None


class RegistrationOut(msgspec.Struct):
    id: int
    certificate_id: int
    worker_id: int
    cycle: int
    kind: str
    registered_on: date
    valid_from: date
    valid_until: date
    window_opens_on: date
    cpd_counted_hours: Decimal | None
    ended: str | None
    ended_on: date | None
    state: str


class RegistrationListItem(msgspec.Struct):
    registration: RegistrationOut
    level: str
    number: str
    name: str
    jurisdiction: str


class ReminderOut(msgspec.Struct):
    id: int
    registration_id: int
    certificate_id: int
    worker_id: int
    name: str
    jurisdiction: str
    days_before: int
    valid_until: date
    issued_on: date


# --- professional-title exam entries (S3-7) ----------------------------------


class NewExamEntry(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: WorkerId
    exam_year: Year
    level: str
    entered_on: date


class ExamResult(msgspec.Struct, forbid_unknown_fields=True):
    result: str


class ExamEntryOut(msgspec.Struct):
    id: int
    worker_id: int
    name: str
    exam_year: int
    level: str
    entered_on: date
    result: str


class ExamSummary(msgspec.Struct):
    exam_year: int
    jurisdiction: str
    entries: int
    by_level: dict[str, dict[str, int]]


# --- statistics (S2-7) -------------------------------------------------------


class LevelCount(msgspec.Struct):
    level: str
    holders: int
    community_workers: int


class JurisdictionCount(msgspec.Struct):
    jurisdiction: str
    holders: int
    community_workers: int
    community_share_percent: Decimal
    by_level: list[LevelCount]


class HolderStatistics(msgspec.Struct):
    """S2-7: certified workers by level and jurisdiction on a date, and the
    share of them who are community workers (8307 / 6633 → 79.85%)."""

    as_of: date
    jurisdiction: str
    holders: int
    community_workers: int
    community_share_percent: Decimal
    by_level: list[LevelCount]
    by_jurisdiction: list[JurisdictionCount]
    by: str | None = None  # how by_jurisdiction is grouped: the level asked (D-17), or each jurisdiction


# --- leader-talent rounds (D-7) ----------------------------------------------


class NewRound(msgspec.Struct, forbid_unknown_fields=True):
    name: Text200
    jurisdiction: Text64
    city_quota: Annotated[int, msgspec.Meta(ge=1, le=10_000)]
    district_quotas: dict[Text64, Quota]
    opened_on: date


class RoundOut(msgspec.Struct):
    id: int
    name: str
    jurisdiction: str
    city_quota: int
    district_quotas: dict[str, int]
    nominations_by_district: dict[str, int]
    opened_on: date
    state: str
    rule: TalentRule
    notice_starts_on: date | None
    notice_ends_on: date | None
    finalised_on: date | None


class NominationIn(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: WorkerId
    nominated_on: date | None = None


class NominationOut(msgspec.Struct):
    id: int
    worker_id: int
    name: str
    district: str
    nominated_on: date
    status: str
    rank: int | None
    composite: Decimal | None
    means: dict[str, Decimal] | None
    outcome: str | None
    notice_starts_on: date | None
    notice_ends_on: date | None


class EligibilityOut(msgspec.Struct):
    worker_id: int
    as_of: date
    eligible: bool
    reasons: list[Reason]
    facts: store.Facts


class ScoreSheet(msgspec.Struct, forbid_unknown_fields=True):
    expert: Text64
    entries: Annotated[list[store.ScoreEntry], msgspec.Meta(min_length=1)]


class ScoresRecorded(msgspec.Struct):
    expert: str
    entries: int


class NoticeIn(msgspec.Struct, forbid_unknown_fields=True):
    starts_on: date


class ObjectionIn(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: WorkerId
    raised_on: date
    grounds: Text4000


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    outcome: str
    decided_on: date
    decision: Text4000


class ObjectionOut(msgspec.Struct):
    id: int
    worker_id: int
    raised_on: date
    grounds: str
    outcome: str | None
    decided_on: date | None
    decision: str | None
    substitute: NominationOut | None = None


class FinaliseIn(msgspec.Struct, forbid_unknown_fields=True):
    on: date


class DesignationOut(msgspec.Struct):
    id: int
    worker_id: int
    name: str
    jurisdiction: str
    round_id: int
    term_starts_on: date
    term_ends_on: date
    allowance_fen: int
    ended_on: date | None


class SupervisorEligibility(msgspec.Struct):
    """S2-6 向社工督导角色转变: eligible after a full leader-talent term."""

    worker_id: int
    as_of: date
    eligible: bool
    terms: list[DesignationOut]


class MyCertificates(msgspec.Struct):
    worker_id: int
    name: str
    real_name_registered: bool
    certificates: list[CertificateOut]
    leader_talent_terms: list[DesignationOut]
