"""Pure policy of training: functions over msgspec Structs, no I/O, no clock.

Policy figures arrive as arguments, read from the policy tables listed in
``POLICY_KEYS`` and seeded from ``SEEDS`` (docs/policy/CLAUSES.md). Each
rule answers with a decision or a ``Refusal`` (``shared.errors``: code,
messages, field, clause, status) that the store raises as
``refusal.problem()``.

| module | holds |
|---|---|
| ``terms`` | the vocabulary (tiers, content areas, delivery, mode, location, posts) |
| ``hours`` | exact hours as integer hundredths |
| ``policies`` | the policy shapes, ``POLICY_KEYS``, ``SEEDS`` |
| ``audience`` | ``eligibility``: who may take a place (S2-2, S0-4, S2-3, S2-6) |
| ``catalogue`` | a programme's terms, a session's plan and whether it is open |
| ``placement`` | seat or waitlist, duplicates and overlaps, cancellation |
| ``completion`` | completing a session (D-6) |
| ``obligations`` | the D-6 obligations of a worker and year |
| ``abroad`` | the yearly selection list abroad (S2-3) |
"""
from __future__ import annotations

from shared.errors import Refusal
from training_service.rules.abroad import abroad_refusal, selectable
from training_service.rules.audience import Candidate, Offer, eligibility, fits
from training_service.rules.catalogue import (
    MAX_SESSION_DAYS,
    ProgrammeTerms,
    SessionPlan,
    capacity_refusal,
    held_within,
    overlaps,
    planned_days,
    programme_refusal,
    records_open,
    session_days,
    session_open,
)
from training_service.rules.completion import Completion, attendance_day, completion, session_over
from training_service.rules.hours import CH, from_ch, hours_problem, to_ch
from training_service.rules.obligations import (
    UNMET,
    Credit,
    Member,
    Obligation,
    ObligationKind,
    ObligationStatus,
    annual_days,
    induction,
    obligations,
    periodic_programme,
    probation_end,
    probation_period,
    verdict,
)
from training_service.rules.placement import Held, Slot, cancellation, placement
from training_service.rules.policies import (
    POLICY_KEYS,
    SEEDED_FROM,
    SEEDS,
    SEVEN_CLASSES,
    TIER_ELIGIBILITY,
    AbroadRule,
    BudgetRule,
    Category,
    CategoryTable,
    CompletionRule,
    Eligibility,
    ObligationRule,
    TierEligibility,
)
from training_service.rules.terms import (
    CITY,
    DESIGNATION,
    HELD_STATUSES,
    LEADER_TALENT,
    OPEN_STATUSES,
    POSTS,
    SEATED_STATUSES,
    SUGGESTED_TOPICS,
    TIER_NAMES,
    YEARS,
    ContentArea,
    Delivery,
    Location,
    Mode,
    Tier,
)

__all__ = [
    "CH", "CITY", "DESIGNATION", "HELD_STATUSES", "LEADER_TALENT", "MAX_SESSION_DAYS", "OPEN_STATUSES", "POLICY_KEYS",
    "POSTS", "SEATED_STATUSES", "SEEDED_FROM", "SEEDS", "SEVEN_CLASSES", "SUGGESTED_TOPICS", "TIER_ELIGIBILITY",
    "TIER_NAMES", "UNMET", "YEARS", "AbroadRule", "BudgetRule", "Candidate", "Category", "CategoryTable", "Completion",
    "CompletionRule", "ContentArea", "Credit", "Delivery", "Eligibility", "Held", "Location", "Member", "Mode",
    "Obligation", "ObligationKind", "ObligationRule", "ObligationStatus", "Offer", "ProgrammeTerms", "Refusal",
    "SessionPlan", "Slot", "Tier", "TierEligibility",
    "abroad_refusal", "annual_days", "attendance_day", "cancellation", "capacity_refusal", "completion", "eligibility",
    "fits", "from_ch", "held_within", "hours_problem", "induction", "obligations", "overlaps", "periodic_programme",
    "placement", "planned_days", "probation_end", "probation_period", "programme_refusal", "records_open", "selectable",
    "session_days", "session_open", "session_over", "to_ch", "verdict",
]
