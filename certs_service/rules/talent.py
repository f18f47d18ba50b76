"""Leader-talent rounds (D-7, S2-6, S0-3, S1-2): eligibility, the score
combination, the ranking and its tie rule, the designation's term."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import msgspec

from certs_service.rules.certificates import ASSISTANT, CENT, LEVEL_RANK, service_years
from shared.dates import add_years
from shared.errors import worker_left

INTEGRITY, RECOGNITION, RESULTS = "integrity", "recognition", "results"
TRAINING, CERTIFICATE = "training", "certificate"
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

    worker_id: int
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
        left = worker_left(c.worker_id, c.left_on)
        reasons.append(Reason(left.code, "D-7", left.detail, left.detail_zh))
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


def service_days(hired_on: date | None, prior_service_years: int, as_of: date) -> int:
    """Length of service for the tie rule: days since hire plus prior years at 365 days."""
    return (max((as_of - hired_on).days, 0) if hired_on else 0) + 365 * prior_service_years


def term_ends_on(starts_on: date, rule: TalentRule) -> date:
    """D-7 "designation for a 3-year term": the last day of the term."""
    return add_years(starts_on, rule.term_years) - timedelta(days=1)


def supervisor_eligible(term_ends: list[tuple[date, date | None]], as_of: date) -> bool:
    """S2-6 加快其向社工督导角色转变: a leader talent who has served a full term
    (its last day before ``as_of``, not ended early) may take the supervisor
    (督导) role."""
    return any(end < as_of and ended is None for end, ended in term_ends)
