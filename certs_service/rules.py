"""Certs's pure policy: functions over msgspec Structs, no I/O, no clock.

Policy figures arrive as arguments, read from the policy tables listed in
``POLICY_KEYS`` and seeded from ``SEEDS`` (../shared/policy/CLAUSES.md).
Hours and scores are exact: ``Decimal`` at the edges, integer hundredths
(``centi``) in storage, ``Fraction`` while combining.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import msgspec

from shared.policy import PolicyKey, PolicySeed

CITY = "hangzhou"

# --- certificates (D-5, S2-7) -----------------------------------------------

ASSISTANT, SOCIAL_WORKER, SENIOR = "助理社会工作师", "社会工作师", "高级社会工作师"
LEVELS: tuple[str, ...] = (ASSISTANT, SOCIAL_WORKER, SENIOR)
"""D-5: the three levels of the national social-work professional level exam, lowest first."""
LEVEL_RANK: dict[str, int] = {level: i + 1 for i, level in enumerate(LEVELS)}

REVIEW_PENDING, REVIEW_PASSED, REVIEW_FAILED = "pending", "passed", "failed"


def qualified_on(level: str, passed_on: date, review_outcome: str | None, reviewed_on: date | None) -> date | None:
    """The day the holder holds the level. D-5 高级社会工作师 is "by exam plus
    review": the senior level is held from the passed review, not from the exam."""
    if level != SENIOR:
        return passed_on
    return reviewed_on if review_outcome == REVIEW_PASSED else None


# --- dates -------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clipped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def full_years(start: date, as_of: date) -> int:
    """Whole years from ``start`` to ``as_of`` (0 when ``as_of`` is earlier)."""
    years = as_of.year - start.year - ((as_of.month, as_of.day) < (start.month, start.day))
    return max(years, 0)


def service_years(hired_on: date | None, prior_years: int, as_of: date) -> int:
    """Years of service on ``as_of``: whole years since hire plus service credited before it."""
    return (full_years(hired_on, as_of) if hired_on else 0) + prior_years


# --- registration cycles (D-5, S2-4) ----------------------------------------


class RegistrationRule(msgspec.Struct, frozen=True):
    """D-5 (民发〔2009〕44号): first registration within ``first_within_months`` of
    qualifying; each registration valid ``validity_years``; re-registration in
    the ``window_months`` before expiry with the cycle's CPD hours per level; a
    completed social-work degree counts ``degree_hours`` once; officers are
    reminded ``reminder_days`` before expiry."""

    first_within_months: int = 12
    validity_years: int = 3
    window_months: int = 3
    cpd_hours: dict[str, int] = msgspec.field(default_factory=lambda: {ASSISTANT: 72, SOCIAL_WORKER: 90, SENIOR: 90})
    degree_hours: int = 90
    reminder_days: list[int] = msgspec.field(default_factory=lambda: [90, 60, 30])


FIRST, RENEWAL, RESTORE = "first", "renewal", "restore"
ENDED_RENEWED, ENDED_LAPSED, ENDED_CLOSED = "renewed", "lapsed", "closed"
ACTIVE, DUE, LAPSED = "active", "due", "lapsed"


def first_registration_deadline(qualified: date, rule: RegistrationRule) -> date:
    """D-5 "first registration within 1 year of passing": the last day on which
    it may be made is the same calendar day a year later."""
    return add_months(qualified, rule.first_within_months)


def valid_until(valid_from: date, rule: RegistrationRule) -> date:
    """D-5 "valid 3 years": the last valid day, the day before the anniversary."""
    return add_months(valid_from, 12 * rule.validity_years) - timedelta(days=1)


def renewal_window(last_valid_day: date, rule: RegistrationRule) -> tuple[date, date]:
    """D-5 "re-registration in the 3 months before expiry": from the same day
    of the month three months before expiry (the day after the last valid day)
    to the last valid day, both inclusive."""
    return add_months(last_valid_day + timedelta(days=1), -rule.window_months), last_valid_day


def registration_state(last_valid_day: date, window_opens_on: date, ended: str | None, as_of: date) -> str:
    """active / due (its renewal window is open) / lapsed (past its last valid
    day without renewal); or how it ended (renewed, closed)."""
    if ended in (ENDED_RENEWED, ENDED_CLOSED):
        return ended
    if ended == ENDED_LAPSED or as_of > last_valid_day:
        return LAPSED
    return DUE if as_of >= window_opens_on else ACTIVE


def required_cpd_centi(level: str, rule: RegistrationRule) -> int:
    """D-5: 72 hours for 助理, 90 for 社会工作师 and 高级, in hundredths of an hour."""
    return rule.cpd_hours[level] * 100


def reminder_band(last_valid_day: date, as_of: date, thresholds: list[int]) -> int | None:
    """The reminder due on ``as_of``: the smallest threshold (of 90, 60, 30)
    not below the days left. One reminder per band, so a job that missed a day
    still sends each reminder once and never sends a stale one."""
    days_left = (last_valid_day - as_of).days
    if days_left < 0:
        return None
    fitting = [t for t in thresholds if t >= days_left]
    return min(fitting) if fitting else None


# --- hours and scores --------------------------------------------------------

CENT = Decimal("0.01")


def to_centi(value: Decimal) -> int:
    """An exact Decimal with at most two decimals as integer hundredths."""
    return int(value * 100)


def from_centi(centi: int) -> Decimal:
    return (Decimal(centi) / 100).quantize(CENT)


def percent(part: int, whole: int) -> Decimal:
    """S2-7: the share as a percentage, half-up to two decimals (6633 of 8307 → 79.85)."""
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- leader-talent rounds (D-7, S2-6, S0-3, S1-2) ----------------------------

INTEGRITY, RECOGNITION, RESULTS, TRAINING, CERTIFICATE = "integrity", "recognition", "results", "training", "certificate"
"""D-7 criteria: integrity and ability (德才兼备, S0-3), public recognition (群众公认),
results (实绩突出), training (培训), certificate (持证)."""


class TalentRule(msgspec.Struct, frozen=True):
    """D-7 (Jinan's high-level social-work talent rules as template): eligibility
    thresholds, scoring weights (basis points, summing to 10000), the expert
    panel, the public notice, and the designation's term and monthly allowance."""

    min_service_years: int = 5
    assessment_years: int = 3
    passing_grades: list[str] = msgspec.field(default_factory=lambda: ["优秀", "合格"])
    min_level: str = ASSISTANT
    weights: dict[str, int] = msgspec.field(default_factory=lambda: {
        INTEGRITY: 2500, RECOGNITION: 2000, RESULTS: 3000, TRAINING: 1000, CERTIFICATE: 1500,
    })
    score_max: int = 100
    min_experts: int = 3
    notice_working_days: int = 5
    term_years: int = 3
    allowance_fen_per_month: int = 100_000


class Reason(msgspec.Struct, frozen=True):
    """Why a worker may not be nominated: a stable code, the clause, both languages."""

    code: str
    clause: str
    detail: str
    detail_zh: str


class Candidate(msgspec.Struct, frozen=True):
    """What eligibility reads from the worker's record in this service."""

    hired_on: date | None
    prior_service_years: int
    left_on: date | None
    assessments: dict[int, str]
    levels_held: list[str]


def eligibility(c: Candidate, as_of: date, rule: TalentRule) -> list[Reason]:
    """D-7: ≥5 years' service, no assessment below 合格 in the last 3 years, at
    least 助理社会工作师. Empty when eligible; else every reason that applies.
    The last three years are the three calendar years before the round's year;
    a year with no assessment is not a year below 合格."""
    reasons: list[Reason] = []
    if c.left_on is not None and c.left_on <= as_of:
        reasons.append(Reason("worker_left", "D-7", f"The worker left on {c.left_on}.", f"该社区工作者已于 {c.left_on} 离职。"))
    years = service_years(c.hired_on, c.prior_service_years, as_of)
    if years < rule.min_service_years:
        reasons.append(Reason(
            "service_too_short", "D-7",
            f"{years} year(s) of service on {as_of}; at least {rule.min_service_years} are needed.",
            f"截至 {as_of} 工作年限为 {years} 年，须满 {rule.min_service_years} 年。",
        ))
    window = range(as_of.year - rule.assessment_years, as_of.year)
    below = sorted((y, g) for y, g in c.assessments.items() if y in window and g not in rule.passing_grades)
    for year, grade in below:
        reasons.append(Reason(
            "assessment_below_pass", "D-7",
            f"Assessed {grade} in {year}; the last {rule.assessment_years} years must be 合格 or better.",
            f"{year} 年度考核为{grade}，近 {rule.assessment_years} 年须为合格及以上。",
        ))
    if not any(LEVEL_RANK[lv] >= LEVEL_RANK[rule.min_level] for lv in c.levels_held):
        reasons.append(Reason(
            "certificate_level_too_low", "D-7",
            f"No certificate of {rule.min_level} or above on {as_of}.",
            f"截至 {as_of} 未持有{rule.min_level}及以上证书。",
        ))
    return reasons


class Scored(msgspec.Struct, frozen=True):
    """One nominee's scores: ``scores[expert][criterion]`` in hundredths of a point."""

    nomination_id: int
    service_days: int
    scores: dict[str, dict[str, int]]


class Ranked(msgspec.Struct, frozen=True):
    nomination_id: int
    rank: int
    composite: Fraction
    means: dict[str, Fraction]
    selected: bool


def combine(scores: dict[str, dict[str, int]], weights: dict[str, int]) -> tuple[Fraction, dict[str, Fraction]]:
    """D-7 combination rule: the mean of each criterion over the experts, then
    the weighted sum of the means (weights in basis points). Exact, in points."""
    means = {
        c: Fraction(sum(e[c] for e in scores.values()), 100 * len(scores)) for c in weights
    }
    return sum((means[c] * w for c, w in weights.items()), Fraction(0)) / 10_000, means


def rank(nominees: list[Scored], quota: int, weights: dict[str, int]) -> list[Ranked]:
    """D-7 ranking against the quota. Order: composite score, higher first;
    equal composites are ordered by the criteria one by one, heaviest weight
    first (results, integrity, recognition, certificate, training with the
    seeded weights); then longer service; then the earlier nomination. So a tie
    at the quota line is settled by the heavier criteria, never by chance, and
    the first ``quota`` places are selected."""
    by_weight = sorted(weights, key=lambda c: -weights[c])
    combined = [(n, *combine(n.scores, weights)) for n in nominees]
    combined.sort(key=lambda t: (-t[1], *(-t[2][c] for c in by_weight), -t[0].service_days, t[0].nomination_id))
    return [
        Ranked(n.nomination_id, i + 1, composite, means, i < quota)
        for i, (n, composite, means) in enumerate(combined)
    ]


def points(value: Fraction) -> Decimal:
    """A combined score for display: half-up to two decimals."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def term_ends_on(starts_on: date, rule: TalentRule) -> date:
    """D-7 "designation for a 3-year term": the last day of the term."""
    return add_months(starts_on, 12 * rule.term_years) - timedelta(days=1)


def supervisor_eligible(term_ends: list[tuple[date, date | None]], as_of: date) -> bool:
    """S2-6 加快其向社工督导角色转变: a leader talent who has served a full term
    (its last day before ``as_of``, not ended early) may take the supervisor
    (督导) role."""
    return any(end < as_of and ended is None for end, ended in term_ends)


# --- policy keys and seeds ---------------------------------------------------

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
               "D-7 ≥5 years, 合格 for 3 years, ≥助理; weights 25/20/30/10/15; 5 working days; 3 years; 1000 yuan/month"),
]
