"""The yearly assessment: its grades and the household-visit minimum (D-1, S3-1, S4-14, S0-6)."""
from __future__ import annotations

import msgspec

PASSING = ("优秀", "合格")
"""D-1: "合格者" in S4-10 means 优秀 or 合格."""

EXCELLENT = "优秀"


class AssessmentRule(msgspec.Struct, frozen=True):
    """S3-1 规定每个社区工作者每月走访居民达到20户以上: the monthly household-visit
    minimum (parameter 20), a quantitative input beside the qualitative grade (S0-6)."""

    min_visits_per_month: int = 20


def months_below_minimum(visits: list[int], rule: AssessmentRule, months_on_rolls: range = range(1, 13)) -> list[int]:
    """S3-1: the months (1-12) whose visit count is under the minimum, among
    the months the worker was on the rolls."""
    return [m for m in months_on_rolls if visits[m - 1] < rule.min_visits_per_month]
