"""HR's pure policy: functions over msgspec Structs, no I/O, no clock.

Policy figures arrive as arguments, read from the policy tables
(``POLICY_KEYS`` below, seeded from ../shared/policy/CLAUSES.md).
"""
from __future__ import annotations

from datetime import date

import msgspec

from shared.policy import PolicyKey, PolicySeed

CITY = "hangzhou"


class StaffingRule(msgspec.Struct, frozen=True):
    """S4-1, S4-3, D-9: one worker per ``households_per_worker`` households,
    ``party_posts`` more where party members reach ``party_members_threshold``,
    never more than ``cap``."""

    households_per_worker: int = 400
    party_members_threshold: int = 100
    party_posts: int = 2
    cap: int = 15


def staffing_quota(households: int, party_members: int, rule: StaffingRule) -> int:
    """S4-1 社区居委会按照每400户左右有一名社区工作者; S4-3 拥有100名以上党员的社区…配两名专职党务干部;
    D-9 at most ``cap`` in one community."""
    base = -(-households // rule.households_per_worker)  # ceil
    party = rule.party_posts if party_members >= rule.party_members_threshold else 0
    return min(base + party, rule.cap)


POSTS = ("正职", "副职", "委员")
"""D-2 三岗: 正职 (secretary/director), 副职 (deputy), 委员 (members and other staff)."""


class GradeBand(msgspec.Struct, frozen=True):
    """The grades a post may hold (D-2: 正职 7-18, 副职 4-15, others 1-12)."""

    low: int
    high: int


class StartingGradeRule(msgspec.Struct, frozen=True):
    """D-2: bottom of the post's band plus one grade per ``years_per_grade``
    years of service, education counted as service."""

    bands: dict[str, GradeBand] = msgspec.field(default_factory=lambda: {
        "正职": GradeBand(7, 18), "副职": GradeBand(4, 15), "委员": GradeBand(1, 12),
    })
    education_years: dict[str, int] = msgspec.field(default_factory=lambda: {
        "大专": 0, "本科": 3, "硕士": 5, "博士": 7,
    })
    years_per_grade: int = 1


class StartingGrade(msgspec.Struct, frozen=True):
    grade: int
    band: GradeBand
    service_years: int
    education_years: int
    capped: bool
    explanation: str


def starting_grade(post: str, service_years: int, education: str | None, rule: StartingGradeRule) -> StartingGrade:
    """D-2 (S4-10 工资与工作职务、工作年限、工作能力挂钩): the starting grade is the bottom
    of the post's band plus credit for years of service, education counted as
    service (本科 3, 硕士 5, 博士 7 years); never above the top of the band."""
    band = rule.bands[post]
    edu = rule.education_years.get(education or "", 0)
    steps = (service_years + edu) // rule.years_per_grade
    grade = min(band.low + steps, band.high)
    capped = band.low + steps > band.high
    explanation = (
        f"{post} band {band.low}-{band.high}: bottom {band.low} + {steps} for "
        f"{service_years} year(s) of service and {edu} for education ({education or 'none'})"
        + (f", capped at {band.high}" if capped else "") + f" = {grade} (D-2)"
    )
    return StartingGrade(grade, band, service_years, edu, capped, explanation)


POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("starting_grade", StartingGradeRule, "D-2", "Grade bands per post and service credit (D-2)"),
    PolicyKey("staffing", StaffingRule, "S4-1", "Staffing quota per community (S4-1, S4-3, D-9)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed("starting_grade", CITY, date(2004, 1, 1), StartingGradeRule(), "D-2", "三岗十八级 bands; education as service"),
    PolicySeed("staffing", CITY, date(2004, 1, 1), StaffingRule(), "S4-1", "S4-1 400 households; S4-3 +2; D-9 cap 15"),
]
