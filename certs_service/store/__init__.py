"""Certs's queries and transactions, one area per module, all re-exported
here (``from certs_service import store; store.register(...)``):

- ``profiles``: access (D-8), profiles, real-name registration (S2-4), assessments;
- ``certificates``: certificates, the senior review, bulk loads (D-5);
- ``cpd``: the CPD ledger (D-5);
- ``registrations``: registering (through ``rules.may_register``/``next_cycle``), status, lists (D-5);
- ``daily_check``: lapses and reminders, the reminders' list (D-5);
- ``service_records``: the service record (S2-4, S2-8);
- ``exam_entries``: professional-title exam entries (S3-7);
- ``statistics``: certified workers (S2-7);
- ``rounds``, ``nominations``, ``scoring``, ``notice``, ``designations``: leader-talent rounds by stage (D-7);
- ``worker_events``: worker.hired, worker.changed (D-11) and worker.left.

Every write checks before it writes, inside the caller's transaction, so a
refusal leaves nothing behind; events go to the outbox in that same
transaction.
"""
from __future__ import annotations

from certs_service.store.certificates import (
    CertificateNumber,
    ImportRow,
    Text64,
    WorkerId,
    Year,
    certificate_to_read,
    certificates_of,
    import_certificates,
    list_certificates,
    record_certificate,
    record_review,
)
from certs_service.store.cpd import cpd_ledger, credit_cpd_event, record_cpd
from certs_service.store.daily_check import list_reminders, registration_check
from certs_service.store.designations import designations_of, finalise, roster
from certs_service.store.exam_entries import enter_exam, exam_summary, list_exam_entries, record_exam_result
from certs_service.store.nominations import Facts, close_nominations, eligibility, nominate, nominations_of
from certs_service.store.notice import decide_objection, objections_of, raise_objection, start_notice
from certs_service.store.profiles import (
    assessments_of,
    create_profile,
    list_profiles,
    profile_to_read,
    profile_to_write,
    record_assessment,
    register_real_name,
    scope_of,
    upsert_assessment,
)
from certs_service.store.registrations import (
    Status,
    list_registrations,
    register,
    registrations_of,
    status_of,
    statuses_of,
)
from certs_service.store.rounds import (
    district_quotas,
    list_talent_rounds,
    nominations_by_district,
    open_round,
    round_to_read,
    rule_of,
)
from certs_service.store.scoring import ScoreEntry, means_of, rank_round, record_scores
from certs_service.store.service_records import add_service_entry, service_record
from certs_service.store.statistics import holder_counts
from certs_service.store.worker_events import apply_worker_change, close_profile, open_profile
from shared.inbox import WorkerNotYetKnown  # an event before the worker's hire: retried

__all__ = [
    "CertificateNumber", "Facts", "ImportRow", "ScoreEntry", "Status", "Text64", "WorkerId", "WorkerNotYetKnown",
    "Year",
    "add_service_entry", "apply_worker_change", "assessments_of", "certificate_to_read", "certificates_of",
    "close_nominations", "close_profile", "cpd_ledger", "create_profile", "credit_cpd_event", "decide_objection",
    "designations_of", "district_quotas", "eligibility", "enter_exam", "exam_summary", "finalise", "holder_counts",
    "import_certificates", "list_certificates", "list_exam_entries", "list_profiles", "list_registrations",
    "list_reminders", "list_talent_rounds", "means_of", "nominate", "nominations_by_district", "nominations_of",
    "objections_of", "open_profile", "open_round", "profile_to_read", "profile_to_write", "raise_objection",
    "rank_round", "record_assessment", "record_certificate", "record_cpd", "record_exam_result", "record_review",
    "record_scores", "register", "register_real_name", "registration_check", "registrations_of", "roster",
    "round_to_read", "rule_of", "scope_of", "service_record", "start_notice", "status_of", "statuses_of",
    "upsert_assessment",
]
