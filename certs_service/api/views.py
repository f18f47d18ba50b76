"""How stored rows become the certs API's out Structs (``schemas``)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from certs_service import rules, store
from certs_service.api.schemas import (
    AssessmentOut,
    CertificateOut,
    CpdOut,
    DesignationOut,
    ExamEntryOut,
    NominationOut,
    ObjectionOut,
    ProfileOut,
    RegistrationOut,
    RoundOut,
    ServiceEntryOut,
)
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
from shared.masking import mask
from shared.web import today


def masked(id_number: str | None) -> str | None:
    """The ID number as lists show it (D-8: ``shared.masking``, first six and last four)."""
    return mask("id_number", id_number)


def profile_out(p: Profile, assessed: dict[int, str]) -> ProfileOut:
    return ProfileOut(
        p.worker_id, p.name, p.jurisdiction, p.community_worker, p.real_name_on is not None, p.real_name_on,
        masked(p.id_number), p.hired_on, p.prior_service_years,
        rules.service_years(p.hired_on, p.prior_service_years, today()), p.left_on,
        [AssessmentOut(y, g) for y, g in sorted(assessed.items())], p.community_code, p.status,
    )


def one_profile(session: Session, p: Profile) -> ProfileOut:
    return profile_out(p, store.assessments_of(session, [p.worker_id]).get(p.worker_id, {}))


def cpd_out(c: CpdCredit) -> CpdOut:
    return CpdOut(c.id, c.credited_on, c.source, rules.from_centi(c.centi), rules.from_centi(c.reported_centi), c.note)


def entry_out(e: ServiceEntry) -> ServiceEntryOut:
    return ServiceEntryOut(e.id, e.worker_id, e.kind, e.title, e.started_on, e.ended_on, e.conferred_by, e.detail)


def certificate_out(c: Certificate, p: Profile, status: store.Status | None = None) -> CertificateOut:
    return CertificateOut(c.id, c.worker_id, p.name, p.jurisdiction, c.level, c.number, c.exam_year, c.passed_on,
                          c.review_outcome, c.reviewed_on, c.qualified_on, status)


def registration_out(r: Registration, as_of: date) -> RegistrationOut:
    counted = None if r.cpd_counted_centi is None else rules.from_centi(r.cpd_counted_centi)
    return RegistrationOut(
        r.id, r.certificate_id, r.worker_id, r.cycle, r.kind, r.registered_on, r.valid_from, r.valid_until,
        r.renewal_opens_on, counted, r.ended, r.ended_on,
        rules.registration_state(r.valid_until, r.renewal_opens_on, r.ended, as_of),
    )


def exam_out(e: ExamEntry, p: Profile) -> ExamEntryOut:
    return ExamEntryOut(e.id, e.worker_id, p.name, e.exam_year, e.level, e.entered_on, e.result)


def nomination_out(n: Nomination, name: str, means: dict[str, Decimal] | None = None) -> NominationOut:
    return NominationOut(n.id, n.worker_id, name, n.district, n.nominated_on, n.status, n.rank,
                         Decimal(n.composite) if n.composite else None, means, n.outcome, n.notice_starts_on,
                         n.notice_ends_on)


def objection_out(o: Objection, n: Nomination, substitute: NominationOut | None = None) -> ObjectionOut:
    return ObjectionOut(o.id, n.worker_id, o.raised_on, o.grounds, o.outcome, o.decided_on, o.decision, substitute)


def designation_out(d: Designation, p: Profile) -> DesignationOut:
    return DesignationOut(d.id, d.worker_id, p.name, p.jurisdiction, d.round_id, d.term_starts_on, d.term_ends_on,
                          d.allowance_fen, d.ended_on)


def rounds_out(session: Session, rounds: list[TalentRound]) -> list[RoundOut]:
    """The rounds with their quotas and nominations per district, two queries for the lot."""
    ids = [r.id for r in rounds]
    quotas, nominated = store.district_quotas(session, ids), store.nominations_by_district(session, ids)
    return [
        RoundOut(r.id, r.name, r.jurisdiction, r.city_quota, quotas[r.id], nominated[r.id], r.opened_on, r.state,
                 store.rule_of(r), r.notice_starts_on, r.notice_ends_on, r.finalised_on)
        for r in rounds
    ]


def round_out(session: Session, r: TalentRound) -> RoundOut:
    return rounds_out(session, [r])[0]
