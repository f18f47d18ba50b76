"""Certificates (D-5, S2-7): the three levels, when a level is held, years of
service, and exact hours, scores and shares.

Hours and scores are exact: ``Decimal`` at the edges, integer hundredths
(``centi``) in storage, ``Fraction`` while combining.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from certs_service.states import ReviewOutcome
from shared.dates import full_years

ASSISTANT, SOCIAL_WORKER, SENIOR = "助理社会工作师", "社会工作师", "高级社会工作师"
LEVELS: tuple[str, ...] = (ASSISTANT, SOCIAL_WORKER, SENIOR)
"""D-5: the three levels of the national social-work professional level exam, lowest first."""
LEVEL_RANK: dict[str, int] = {level: i + 1 for i, level in enumerate(LEVELS)}


def review_on_record(level: str) -> ReviewOutcome | None:
    """A new certificate's review: 高级 waits for one (D-5 "by exam plus review"), the others need none."""
    return ReviewOutcome.pending if level == SENIOR else None


def qualified_on(level: str, passed_on: date, review_outcome: str | None, reviewed_on: date | None) -> date | None:
    """The day the holder holds the level. D-5 高级社会工作师 is "by exam plus
    review": the senior level is held from the passed review, not from the exam."""
    if level != SENIOR:
        return passed_on
    return reviewed_on if review_outcome == ReviewOutcome.passed else None


def service_years(hired_on: date | None, prior_years: int, as_of: date) -> int:
    """Years of service on ``as_of``: whole years since hire plus service credited before it."""
    return (full_years(hired_on, as_of) if hired_on else 0) + prior_years


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
