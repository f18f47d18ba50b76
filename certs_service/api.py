"""Certs's HTTP API: profiles and real-name registration, certificates,
registration cycles and CPD, service records, exam entries, statistics,
leader-talent rounds, and the worker's own ``/me`` views.

Cert officers (and admin) write within their jurisdiction (403 outside it);
a record is read by the officers who cover it and by the worker it is about,
anyone else is told it does not exist (404, D-8).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from certs_service import rules, store, talent
from certs_service.rules import Reason, TalentRule
from certs_service.store import CertificateNumber, Text64, WorkerId, Year
from certs_service.tables import (
    Certificate,
    CpdCredit,
    Designation,
    ExamEntry,
    Nomination,
    Objection,
    Profile,
    Registration,
    ServiceEntry,
    TalentRound,
)
from shared.auth import Principal, Role, requires
from shared.errors import Invalid, NotFound
from shared.paging import Page, check_paging
from shared.web import Svc, now, today

Text100 = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Text200 = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]

officer = requires(Role.cert_officer)


def caller(request: Request) -> Principal:
    return request.user


def _as_of(as_of: date | None) -> date:
    return as_of or today()


# --- profiles ----------------------------------------------------------------


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


def _mask(id_number: str | None) -> str | None:
    return None if id_number is None else id_number[:4] + "*" * 10 + id_number[-4:]


def profile_out(p: Profile, assessed: dict[int, str]) -> ProfileOut:
    return ProfileOut(
        p.worker_id, p.name, p.jurisdiction, p.community_worker, p.real_name_on is not None, p.real_name_on,
        _mask(p.id_number), p.hired_on, p.prior_service_years,
        rules.service_years(p.hired_on, p.prior_service_years, today()), p.left_on,
        [AssessmentOut(y, g) for y, g in sorted(assessed.items())],
    )


def one_profile(session, p: Profile) -> ProfileOut:
    return profile_out(p, store.assessments_of(session, [p.worker_id]).get(p.worker_id, {}))


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


def cpd_out(c: CpdCredit) -> CpdOut:
    return CpdOut(c.id, c.credited_on, c.source, rules.from_centi(c.centi), rules.from_centi(c.reported_centi), c.note)


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


def entry_out(e: ServiceEntry) -> ServiceEntryOut:
    return ServiceEntryOut(e.id, e.worker_id, e.kind, e.title, e.started_on, e.ended_on, e.conferred_by, e.detail)


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


def designation_out(d: Designation, p: Profile) -> DesignationOut:
    return DesignationOut(d.id, d.worker_id, p.name, p.jurisdiction, d.round_id, d.term_starts_on, d.term_ends_on,
                          d.allowance_fen, d.ended_on)


class SupervisorEligibility(msgspec.Struct):
    """S2-6 向社工督导角色转变: eligible after a full leader-talent term."""

    worker_id: int
    as_of: date
    eligible: bool
    terms: list[DesignationOut]


class ProfileController(Controller):
    """The worker profiles this service keeps (fed by HR's events), real-name
    registration (S2-4), assessments, the CPD ledger and the service record."""

    path = "/profiles"
    tags = ["profiles"]

    @post("/", sync_to_thread=True, guards=[officer])
    def create(self, svc: Svc, request: Request, data: JSONBody[NewProfile]) -> ProfileOut:
        with svc.db.transaction() as s:
            p = store.create_profile(
                s, caller(request), worker_id=data.worker_id, name=data.name, jurisdiction=data.jurisdiction,
                id_number=data.id_number, community_worker=data.community_worker, hired_on=data.hired_on,
                prior_service_years=data.prior_service_years, today=today(), now=now(),
            )
            return one_profile(s, p)

    @get("/", sync_to_thread=True, guards=[officer])
    def list_profiles(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                      real_name: FromQuery[bool | None] = None, limit: FromQuery[int] = 50,
                      offset: FromQuery[int] = 0) -> Page[ProfileOut]:
        """Profiles in scope; ``real_name=false`` lists holders still to be registered under their real name (S2-4)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_profiles(s, store.scope_of(caller(request), jurisdiction), real_name=real_name,
                                              limit=limit, offset=offset)
            assessed = store.assessments_of(s, [p.worker_id for p in rows])
            return Page([profile_out(p, assessed.get(p.worker_id, {})) for p in rows], total, limit, offset)

    @get("/{worker_id:int}", sync_to_thread=True)
    def get_profile(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> ProfileOut:
        with svc.db.read_session() as s:
            return one_profile(s, store.profile_to_read(s, caller(request), worker_id))

    @post("/{worker_id:int}/real-name", sync_to_thread=True, guards=[officer], status_code=200)
    def real_name(self, svc: Svc, request: Request, worker_id: FromPath[int], data: JSONBody[RealName]) -> ProfileOut:
        """S2-4 实名注册: record the holder's real name and ID number."""
        with svc.db.transaction() as s:
            p = store.register_real_name(s, caller(request), worker_id, name=data.name, id_number=data.id_number,
                                         today=today())
            return one_profile(s, p)

    @post("/{worker_id:int}/assessments", sync_to_thread=True, guards=[officer], status_code=200)
    def assessment(self, svc: Svc, request: Request, worker_id: FromPath[int], data: JSONBody[AssessmentIn]) -> ProfileOut:
        """A yearly assessment (until HR's assessment.recorded feeds them)."""
        with svc.db.transaction() as s:
            store.record_assessment(s, caller(request), worker_id, year=data.year, grade=data.grade, today=today())
            return one_profile(s, store.profile_to_write(s, caller(request), worker_id))

    @post("/{worker_id:int}/cpd", sync_to_thread=True, guards=[officer])
    def credit_cpd(self, svc: Svc, request: Request, worker_id: FromPath[int], data: JSONBody[CpdIn]) -> CpdOut:
        """CPD hours (继续教育) into the ledger (until training's cpd.credited feeds it).
        ``source: degree`` credits a completed social-work degree, once (D-5)."""
        with svc.db.transaction() as s:
            c = store.record_cpd(s, svc, caller(request), worker_id, hours=data.hours, credited_on=data.credited_on,
                                 source=data.source, note=data.note, today=today(), now=now())
            return cpd_out(c)

    @get("/{worker_id:int}/cpd", sync_to_thread=True)
    def cpd(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> list[CpdOut]:
        with svc.db.read_session() as s:
            store.profile_to_read(s, caller(request), worker_id)
            return [cpd_out(c) for c in store.cpd_ledger(s, worker_id)]

    @post("/{worker_id:int}/service-record", sync_to_thread=True, guards=[officer])
    def add_entry(self, svc: Svc, request: Request, worker_id: FromPath[int],
                  data: JSONBody[ServiceEntryIn]) -> ServiceEntryOut:
        """An entry on the service record (服务履历, S2-4, S2-8)."""
        with svc.db.transaction() as s:
            e = store.add_service_entry(
                s, caller(request), worker_id, kind=data.kind, title=data.title, started_on=data.started_on,
                ended_on=data.ended_on, conferred_by=data.conferred_by, detail=data.detail, today=today(), now=now(),
            )
            return entry_out(e)

    @get("/{worker_id:int}/service-record", sync_to_thread=True)
    def service_record(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> list[ServiceEntryOut]:
        with svc.db.read_session() as s:
            store.profile_to_read(s, caller(request), worker_id)
            return [entry_out(e) for e in store.service_record(s, worker_id)]

    @get("/{worker_id:int}/supervisor-eligibility", sync_to_thread=True)
    def supervisor(self, svc: Svc, request: Request, worker_id: FromPath[int],
                   as_of: FromQuery[date | None] = None) -> SupervisorEligibility:
        day = _as_of(as_of)
        with svc.db.read_session() as s:
            p = store.profile_to_read(s, caller(request), worker_id)
            terms = talent.designations_of(s, worker_id)
            eligible = rules.supervisor_eligible([(d.term_ends_on, d.ended_on) for d in terms], day)
            return SupervisorEligibility(worker_id, day, eligible, [designation_out(d, p) for d in terms])


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


def certificate_out(c: Certificate, p: Profile, status: store.Status | None = None) -> CertificateOut:
    return CertificateOut(c.id, c.worker_id, p.name, p.jurisdiction, c.level, c.number, c.exam_year, c.passed_on,
                          c.review_outcome, c.reviewed_on, c.qualified_on, status)


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


def registration_out(r: Registration, as_of: date) -> RegistrationOut:
    counted = None if r.cpd_counted_centi is None else rules.from_centi(r.cpd_counted_centi)
    return RegistrationOut(
        r.id, r.certificate_id, r.worker_id, r.cycle, r.kind, r.registered_on, r.valid_from, r.valid_until,
        r.renewal_opens_on, counted, r.ended, r.ended_on,
        rules.registration_state(r.valid_until, r.renewal_opens_on, r.ended, as_of),
    )


class CertificateController(Controller):
    """Social-work certificates (D-5) and their registration cycles."""

    path = "/certificates"
    tags = ["certificates"]

    @post("/", sync_to_thread=True, guards=[officer])
    def create(self, svc: Svc, request: Request, data: JSONBody[NewCertificate]) -> CertificateOut:
        with svc.db.transaction() as s:
            c = store.record_certificate(s, caller(request), worker_id=data.worker_id, level=data.level,
                                         number=data.number, exam_year=data.exam_year, passed_on=data.passed_on,
                                         today=today(), now=now())
            return certificate_out(c, s.get(Profile, c.worker_id))

    @post("/import", sync_to_thread=True, guards=[officer])
    def bulk_import(self, svc: Svc, request: Request, data: JSONBody[ImportIn]) -> ImportOut:
        """Load many holders at once (all or nothing): new profiles and their certificates."""
        with svc.db.transaction() as s:
            return ImportOut(*store.import_certificates(s, caller(request), data.items, today=today(), now=now()))

    @get("/", sync_to_thread=True, guards=[officer])
    def list_certificates(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                          worker_id: FromQuery[int | None] = None, level: FromQuery[str | None] = None,
                          limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[CertificateOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_certificates(s, store.scope_of(caller(request), jurisdiction),
                                                  worker_id=worker_id, level=level, limit=limit, offset=offset)
            return Page([certificate_out(c, p) for c, p in rows], total, limit, offset)

    @get("/{certificate_id:int}", sync_to_thread=True)
    def get_certificate(self, svc: Svc, request: Request, certificate_id: FromPath[int],
                        as_of: FromQuery[date | None] = None) -> CertificateOut:
        with svc.db.read_session() as s:
            c, p = store.certificate_to_read(s, caller(request), certificate_id)
            return certificate_out(c, p, store.status_of(s, svc, c, p.jurisdiction, _as_of(as_of)))

    @post("/{certificate_id:int}/review", sync_to_thread=True, guards=[officer], status_code=200)
    def review(self, svc: Svc, request: Request, certificate_id: FromPath[int], data: JSONBody[Review]) -> CertificateOut:
        """The review outcome of a 高级社会工作师 (D-5 "senior by exam plus review")."""
        with svc.db.transaction() as s:
            c = store.record_review(s, caller(request), certificate_id, outcome=data.outcome,
                                    reviewed_on=data.reviewed_on, today=today())
            return certificate_out(c, s.get(Profile, c.worker_id))

    @post("/{certificate_id:int}/registrations", sync_to_thread=True, guards=[officer])
    def register(self, svc: Svc, request: Request, certificate_id: FromPath[int],
                 data: JSONBody[NewRegistration]) -> RegistrationOut:
        """Register (登记) the certificate: first, renewal or restoring, as its cycle stands (D-5)."""
        day = data.registered_on or today()
        with svc.db.transaction() as s:
            r = store.register(s, svc, caller(request), certificate_id, registered_on=day, today=today(), now=now())
            return registration_out(r, day)

    @get("/{certificate_id:int}/registrations", sync_to_thread=True)
    def registrations(self, svc: Svc, request: Request, certificate_id: FromPath[int],
                      as_of: FromQuery[date | None] = None) -> list[RegistrationOut]:
        with svc.db.read_session() as s:
            store.certificate_to_read(s, caller(request), certificate_id)
            return [registration_out(r, _as_of(as_of)) for r in store.registrations_of(s, certificate_id)]


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


REGISTRATION_STATES = (rules.ACTIVE, rules.DUE, rules.LAPSED, rules.ENDED_RENEWED, rules.ENDED_CLOSED)


class RegistrationController(Controller):
    """Officers' lists: registrations by state, and the reminders issued (D-5)."""

    path = "/"
    tags = ["certificates"]
    guards = [officer]

    @get("/registrations", sync_to_thread=True)
    def list_registrations(self, svc: Svc, request: Request,
                           state_: Annotated[str | None, QueryParameter(name="state")] = None,
                           as_of: FromQuery[date | None] = None, jurisdiction: FromQuery[str | None] = None,
                           limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[RegistrationListItem]:
        check_paging(limit, offset)
        state = state_  # "state" is a name Litestar reserves
        if state is not None and state not in REGISTRATION_STATES:
            raise Invalid("unknown_state", f"state is one of {', '.join(REGISTRATION_STATES)}.", "状态无效。",
                          field="state")
        day = _as_of(as_of)
        with svc.db.read_session() as s:
            rows, total = store.list_registrations(s, store.scope_of(caller(request), jurisdiction), state=state_,
                                                   as_of=day, limit=limit, offset=offset)
            items = [RegistrationListItem(registration_out(r, day), c.level, c.number, p.name, p.jurisdiction)
                     for r, c, p in rows]
            return Page(items, total, limit, offset)

    @get("/reminders", sync_to_thread=True)
    def list_reminders(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                       issued_from: FromQuery[date | None] = None, issued_to: FromQuery[date | None] = None,
                       limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[ReminderOut]:
        """Reminders the daily check issued 90, 60 and 30 days before a registration expires."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_reminders(s, store.scope_of(caller(request), jurisdiction),
                                               issued_from=issued_from, issued_to=issued_to, limit=limit, offset=offset)
            items = [ReminderOut(m.id, m.registration_id, r.certificate_id, m.worker_id, p.name, m.jurisdiction,
                                 m.days_before, m.valid_until, m.issued_on) for m, r, p in rows]
            return Page(items, total, limit, offset)


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


def exam_out(e: ExamEntry, p: Profile) -> ExamEntryOut:
    return ExamEntryOut(e.id, e.worker_id, p.name, e.exam_year, e.level, e.entered_on, e.result)


class ExamEntryController(Controller):
    """Entries for the professional-title exam (职称考试, S3-7)."""

    path = "/exam-entries"
    tags = ["certificates"]
    guards = [officer]

    @post("/", sync_to_thread=True)
    def enter(self, svc: Svc, request: Request, data: JSONBody[NewExamEntry]) -> ExamEntryOut:
        with svc.db.transaction() as s:
            e = store.enter_exam(s, caller(request), worker_id=data.worker_id, exam_year=data.exam_year,
                                 level=data.level, entered_on=data.entered_on, today=today(), now=now())
            return exam_out(e, s.get(Profile, e.worker_id))

    @post("/{entry_id:int}/result", sync_to_thread=True, status_code=200)
    def result(self, svc: Svc, request: Request, entry_id: FromPath[int], data: JSONBody[ExamResult]) -> ExamEntryOut:
        with svc.db.transaction() as s:
            e = store.record_exam_result(s, caller(request), entry_id, data.result)
            return exam_out(e, s.get(Profile, e.worker_id))

    @get("/", sync_to_thread=True)
    def list_entries(self, svc: Svc, request: Request, exam_year: FromQuery[int | None] = None,
                     jurisdiction: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                     offset: FromQuery[int] = 0) -> Page[ExamEntryOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_exam_entries(s, store.scope_of(caller(request), jurisdiction), exam_year,
                                                  limit, offset)
            return Page([exam_out(e, p) for e, p in rows], total, limit, offset)

    @get("/summary", sync_to_thread=True)
    def summary(self, svc: Svc, request: Request, exam_year: FromQuery[int],
                jurisdiction: FromQuery[str | None] = None) -> ExamSummary:
        """How many entered the exam of a year (S3-7 组织194名社区工作者参加职称考试)."""
        scope = store.scope_of(caller(request), jurisdiction)
        with svc.db.read_session() as s:
            total, by_level = store.exam_summary(s, scope, exam_year)
            return ExamSummary(exam_year, scope, total, by_level)


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


def _levels(counts: dict[int, list[int]]) -> list[LevelCount]:
    return [LevelCount(level, *counts.get(rules.LEVEL_RANK[level], [0, 0])) for level in rules.LEVELS]


class StatisticsController(Controller):
    path = "/statistics"
    tags = ["statistics"]
    guards = [officer]

    @get("/holders", sync_to_thread=True)
    def holders(self, svc: Svc, request: Request, as_of: FromQuery[date | None] = None,
                jurisdiction: FromQuery[str | None] = None) -> HolderStatistics:
        day, scope = _as_of(as_of), store.scope_of(caller(request), jurisdiction)
        with svc.db.read_session() as s:
            rows = store.holder_counts(s, scope, day)
        overall: dict[int, list[int]] = {}
        per: dict[str, dict[int, list[int]]] = {}
        for j, top, community, n in rows:
            for bucket in (overall.setdefault(top, [0, 0]), per.setdefault(j, {}).setdefault(top, [0, 0])):
                bucket[0] += n
                bucket[1] += n if community else 0
        by_j = []
        for j in sorted(per):
            h, c = sum(v[0] for v in per[j].values()), sum(v[1] for v in per[j].values())
            by_j.append(JurisdictionCount(j, h, c, rules.percent(c, h), _levels(per[j])))
        holders, community = sum(v[0] for v in overall.values()), sum(v[1] for v in overall.values())
        return HolderStatistics(day, scope, holders, community, rules.percent(community, holders), _levels(overall), by_j)


# --- leader-talent rounds (D-7) ----------------------------------------------


class NewRound(msgspec.Struct, forbid_unknown_fields=True):
    name: Text200
    jurisdiction: Text64
    city_quota: Annotated[int, msgspec.Meta(ge=1, le=10_000)]
    district_quotas: dict[Text64, Annotated[int, msgspec.Meta(ge=0, le=10_000)]]
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


def round_out(s, r: TalentRound) -> RoundOut:
    return RoundOut(r.id, r.name, r.jurisdiction, r.city_quota, talent.district_quotas(s, r.id),
                    talent.nominations_by_district(s, r.id), r.opened_on, r.state, talent.rule_of(r),
                    r.notice_starts_on, r.notice_ends_on, r.finalised_on)


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


def nomination_out(n: Nomination, name: str, means: dict[str, Decimal] | None = None) -> NominationOut:
    return NominationOut(n.id, n.worker_id, name, n.district, n.nominated_on, n.status, n.rank,
                         Decimal(n.composite) if n.composite else None, means, n.outcome, n.notice_starts_on,
                         n.notice_ends_on)


class EligibilityOut(msgspec.Struct):
    worker_id: int
    as_of: date
    eligible: bool
    reasons: list[Reason]
    facts: talent.Facts


class ScoreSheet(msgspec.Struct, forbid_unknown_fields=True):
    expert: Text64
    entries: Annotated[list[talent.ScoreEntry], msgspec.Meta(min_length=1)]


class ScoresRecorded(msgspec.Struct):
    expert: str
    entries: int


class NoticeIn(msgspec.Struct, forbid_unknown_fields=True):
    starts_on: date


class ObjectionIn(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: WorkerId
    raised_on: date
    grounds: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    outcome: str
    decided_on: date
    decision: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class ObjectionOut(msgspec.Struct):
    id: int
    worker_id: int
    raised_on: date
    grounds: str
    outcome: str | None
    decided_on: date | None
    decision: str | None
    substitute: NominationOut | None = None


def objection_out(o: Objection, n: Nomination, substitute: NominationOut | None = None) -> ObjectionOut:
    return ObjectionOut(o.id, n.worker_id, o.raised_on, o.grounds, o.outcome, o.decided_on, o.decision, substitute)


class FinaliseIn(msgspec.Struct, forbid_unknown_fields=True):
    on: date


class TalentRoundController(Controller):
    """Leader-talent rounds: nominating → scoring → ranked → notice → final (D-7)."""

    path = "/talent-rounds"
    tags = ["talent"]
    guards = [officer]

    @post("/", sync_to_thread=True)
    def open(self, svc: Svc, request: Request, data: JSONBody[NewRound]) -> RoundOut:
        with svc.db.transaction() as s:
            r = talent.open_round(s, svc, caller(request), name=data.name, jurisdiction=data.jurisdiction,
                                  city_quota=data.city_quota, district_quotas=data.district_quotas,
                                  opened_on=data.opened_on, today=today(), now=now())
            return round_out(s, r)

    @get("/", sync_to_thread=True)
    def list_rounds(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                    state_: Annotated[str | None, QueryParameter(name="state")] = None,
                    name: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                    offset: FromQuery[int] = 0) -> Page[RoundOut]:
        """The rounds in scope (the caller's jurisdiction by default, 403 outside
        it) and those of the city a district is in, newest first; ``state``
        filters by step (D-7), ``name`` by the exact name."""
        check_paging(limit, offset)
        if state_ is not None and state_ not in talent.STATES:
            raise Invalid("unknown_state", f"Unknown round state '{state_}'; one of: {', '.join(talent.STATES)}.",
                          f"选拔阶段“{state_}”无效，应为：{'、'.join(talent.STATES)}。", field="state", clause="D-7")
        with svc.db.read_session() as s:
            rows, total = store.list_talent_rounds(s, store.scope_of(caller(request), jurisdiction), state=state_,
                                                   name=name, limit=limit, offset=offset)
            return Page([round_out(s, r) for r in rows], total, limit, offset)

    @get("/{round_id:int}", sync_to_thread=True)
    def get_round(self, svc: Svc, request: Request, round_id: FromPath[int]) -> RoundOut:
        with svc.db.read_session() as s:
            return round_out(s, talent.round_to_read(s, caller(request), round_id))

    @get("/{round_id:int}/eligibility/{worker_id:int}", sync_to_thread=True)
    def eligibility(self, svc: Svc, request: Request, round_id: FromPath[int], worker_id: FromPath[int]) -> EligibilityOut:
        """Whether the worker may be nominated, and every reason why not (D-7)."""
        with svc.db.read_session() as s:
            r = talent.round_to_read(s, caller(request), round_id)
            p = store.profile_to_read(s, caller(request), worker_id)
            reasons, facts = talent.eligibility(s, p, r.opened_on, talent.rule_of(r))
            return EligibilityOut(worker_id, r.opened_on, not reasons, reasons, facts)

    @post("/{round_id:int}/nominations", sync_to_thread=True)
    def nominate(self, svc: Svc, request: Request, round_id: FromPath[int], data: JSONBody[NominationIn]) -> NominationOut:
        with svc.db.transaction() as s:
            n = talent.nominate(s, caller(request), round_id, worker_id=data.worker_id,
                                nominated_on=data.nominated_on or today(), today=today(), now=now())
            return nomination_out(n, s.get(Profile, n.worker_id).name)

    @get("/{round_id:int}/nominations", sync_to_thread=True)
    def nominations(self, svc: Svc, request: Request, round_id: FromPath[int]) -> list[NominationOut]:
        """The nominees, in rank order once ranked, with each criterion's mean over the experts."""
        with svc.db.read_session() as s:
            r = talent.round_to_read(s, caller(request), round_id)
            rows = talent.nominations_of(s, r.id)
            means = talent.means_of(s, [n for n, _ in rows], talent.rule_of(r).weights)
            return [nomination_out(n, name, means.get(n.id)) for n, name in rows]

    @post("/{round_id:int}/close-nominations", sync_to_thread=True, status_code=200)
    def close_nominations(self, svc: Svc, request: Request, round_id: FromPath[int]) -> RoundOut:
        with svc.db.transaction() as s:
            return round_out(s, talent.close_nominations(s, caller(request), round_id))

    @post("/{round_id:int}/scores", sync_to_thread=True, status_code=200)
    def scores(self, svc: Svc, request: Request, round_id: FromPath[int], data: JSONBody[ScoreSheet]) -> ScoresRecorded:
        """One expert's score sheet: each nominee on every D-7 criterion."""
        with svc.db.transaction() as s:
            n = talent.record_scores(s, caller(request), round_id, expert=data.expert, entries=data.entries)
            return ScoresRecorded(data.expert, n)

    @post("/{round_id:int}/rank", sync_to_thread=True, status_code=200)
    def rank(self, svc: Svc, request: Request, round_id: FromPath[int]) -> RoundOut:
        with svc.db.transaction() as s:
            return round_out(s, talent.rank_round(s, caller(request), round_id))

    @post("/{round_id:int}/notice", sync_to_thread=True, status_code=200)
    def notice(self, svc: Svc, request: Request, round_id: FromPath[int], data: JSONBody[NoticeIn]) -> RoundOut:
        """Publish the selected for the public notice (公示) of the policy's working days."""
        with svc.db.transaction() as s:
            return round_out(s, talent.start_notice(s, caller(request), round_id, starts_on=data.starts_on))

    @post("/{round_id:int}/objections", sync_to_thread=True)
    def object(self, svc: Svc, request: Request, round_id: FromPath[int], data: JSONBody[ObjectionIn]) -> ObjectionOut:
        with svc.db.transaction() as s:
            o = talent.raise_objection(s, caller(request), round_id, worker_id=data.worker_id,
                                       raised_on=data.raised_on, grounds=data.grounds, today=today(), now=now())
            return objection_out(o, s.get(Nomination, o.nomination_id))

    @get("/{round_id:int}/objections", sync_to_thread=True)
    def objections(self, svc: Svc, request: Request, round_id: FromPath[int]) -> list[ObjectionOut]:
        with svc.db.read_session() as s:
            r = talent.round_to_read(s, caller(request), round_id)
            return [objection_out(o, n) for o, n in talent.objections_of(s, r.id)]

    @post("/{round_id:int}/objections/{objection_id:int}/decision", sync_to_thread=True, status_code=200)
    def decide(self, svc: Svc, request: Request, round_id: FromPath[int], objection_id: FromPath[int],
               data: JSONBody[DecisionIn]) -> ObjectionOut:
        """Uphold or dismiss an objection; upheld, the next in rank takes the place."""
        with svc.db.transaction() as s:
            o, sub = talent.decide_objection(s, caller(request), round_id, objection_id, outcome=data.outcome,
                                             decided_on=data.decided_on, decision=data.decision, today=today())
            sub_out = nomination_out(sub, s.get(Profile, sub.worker_id).name) if sub else None
            return objection_out(o, s.get(Nomination, o.nomination_id), sub_out)

    @post("/{round_id:int}/finalise", sync_to_thread=True, status_code=200)
    def finalise(self, svc: Svc, request: Request, round_id: FromPath[int], data: JSONBody[FinaliseIn]) -> list[DesignationOut]:
        with svc.db.transaction() as s:
            ds = talent.finalise(s, svc, caller(request), round_id, on=data.on, today=today(), now=now())
            return [designation_out(d, s.get(Profile, d.worker_id)) for d in ds]


class LeaderTalentController(Controller):
    path = "/leader-talents"
    tags = ["talent"]
    guards = [officer]

    @get("/", sync_to_thread=True)
    def roster(self, svc: Svc, request: Request, as_of: FromQuery[date | None] = None,
               jurisdiction: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
               offset: FromQuery[int] = 0) -> Page[DesignationOut]:
        """The leader talents in office on a date (S2-6)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = talent.roster(s, store.scope_of(caller(request), jurisdiction), _as_of(as_of), limit, offset)
            return Page([designation_out(d, p) for d, p in rows], total, limit, offset)


# --- the worker's own views --------------------------------------------------


class MyCertificates(msgspec.Struct):
    worker_id: int
    name: str
    real_name_registered: bool
    certificates: list[CertificateOut]
    leader_talent_terms: list[DesignationOut]


class MeController(Controller):
    """The calling worker's own certificates, registration status (days to
    expiry, CPD against the cycle's requirement), CPD ledger and service record."""

    path = "/me"
    tags = ["me"]

    @staticmethod
    def _mine(s, request: Request) -> Profile:
        p: Principal = caller(request)
        profile = s.get(Profile, p.worker_id) if p.worker_id is not None else None
        if profile is None:
            raise NotFound("certificate holder record for", "持证人档案", p.sub)
        return profile

    @get("/certificates", sync_to_thread=True)
    def certificates(self, svc: Svc, request: Request, as_of: FromQuery[date | None] = None) -> MyCertificates:
        day = _as_of(as_of)
        with svc.db.read_session() as s:
            p = self._mine(s, request)
            certs = [certificate_out(c, p, store.status_of(s, svc, c, p.jurisdiction, day))
                     for c in store.certificates_of(s, p.worker_id)]
            terms = [designation_out(d, p) for d in talent.designations_of(s, p.worker_id)]
            return MyCertificates(p.worker_id, p.name, p.real_name_on is not None, certs, terms)

    @get("/cpd", sync_to_thread=True)
    def cpd(self, svc: Svc, request: Request) -> list[CpdOut]:
        with svc.db.read_session() as s:
            return [cpd_out(c) for c in store.cpd_ledger(s, self._mine(s, request).worker_id)]

    @get("/service-record", sync_to_thread=True)
    def service_record(self, svc: Svc, request: Request) -> list[ServiceEntryOut]:
        with svc.db.read_session() as s:
            return [entry_out(e) for e in store.service_record(s, self._mine(s, request).worker_id)]


ROUTES = [
    ProfileController, CertificateController, RegistrationController, ExamEntryController, StatisticsController,
    TalentRoundController, LeaderTalentController, MeController,
]
