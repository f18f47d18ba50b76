"""Certs's pure policy: functions over msgspec Structs, no I/O, no clock.

Policy figures arrive as arguments, read from the policy tables listed in
``POLICY_KEYS`` and seeded from ``SEEDS`` (docs/policy/CLAUSES.md).

- ``certificates``: the levels, when a level is held, years of service, exact hours and shares (D-5, S2-7);
- ``registration``: a registration cycle's dates and state, reminders, and the registration decision (D-5, S2-4);
- ``talent``: leader-talent eligibility, scores, ranking and term (D-7, S2-6).
"""
from __future__ import annotations

from datetime import date

from certs_service.rules.certificates import (
    ASSISTANT,
    CENT,
    LEVEL_RANK,
    LEVELS,
    SENIOR,
    SOCIAL_WORKER,
    from_centi,
    percent,
    qualified_on,
    review_on_record,
    service_years,
    to_centi,
)
from certs_service.rules.registration import (
    FIRST,
    FIRST_REGISTRATION_MISSED,
    RENEWAL,
    RESTORE,
    UNREGISTERED,
    Cycle,
    Grant,
    Held,
    Holder,
    Refusal,
    RegistrationKind,
    RegistrationRule,
    first_registration_deadline,
    may_register,
    next_cycle,
    outside_window,
    registration_state,
    reminder_band,
    renewal_window,
    required_cpd_centi,
    valid_until,
)
from certs_service.rules.talent import (
    Candidate,
    Reason,
    Scored,
    TalentRule,
    combine,
    eligibility,
    points,
    rank,
    service_days,
    supervisor_eligible,
    term_ends_on,
)
from shared.policy import PolicyKey, PolicySeed

CITY = "hangzhou"

POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("registration_cycle", RegistrationRule, "D-5",
              "Registration of social-work certificates: first within 1 year, 3 years' validity, "
              "3-month renewal window, CPD hours per level, degree credit, reminders (D-5)"),
    PolicyKey("talent_round", TalentRule, "D-7",
              "Leader-talent rounds: eligibility, scoring weights, notice, term and allowance (D-7, S2-6)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed("registration_cycle", CITY, date(2006, 7, 1), RegistrationRule(), "D-5",
               "国人部发〔2006〕71号; 民发〔2009〕44号: 1 year, 3 years, 3 months, 72/90 hours, degree 90"),
    PolicySeed("talent_round", CITY, date(2015, 1, 1), TalentRule(), "D-7",
               "D-7 ≥5 years, 合格 for 3 years, ≥助理; weights 25/20/30/10/15; 5 working days; 3 years; "
               "1000 yuan/month"),
]

__all__ = [
    "ASSISTANT", "CENT", "CITY", "Candidate", "Cycle", "FIRST", "FIRST_REGISTRATION_MISSED", "Grant", "Held", "Holder",
    "LEVELS", "LEVEL_RANK", "POLICY_KEYS", "RENEWAL", "RESTORE", "Reason", "Refusal", "RegistrationKind",
    "RegistrationRule", "SEEDS", "SENIOR", "SOCIAL_WORKER", "Scored", "TalentRule", "UNREGISTERED", "combine",
    "eligibility", "first_registration_deadline", "from_centi", "may_register", "next_cycle", "outside_window",
    "percent", "points", "qualified_on", "rank", "registration_state", "reminder_band", "renewal_window",
    "required_cpd_centi", "review_on_record", "service_days", "service_years", "supervisor_eligible", "term_ends_on",
    "to_centi", "valid_until",
]
