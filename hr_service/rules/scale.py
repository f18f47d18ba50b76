"""三岗十八级: the posts, their grade bands, the starting grade and the monthly
grade pay of each post and grade (D-2, S4-9, S4-10)."""
from __future__ import annotations

import msgspec

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


class PostScale(msgspec.Struct, frozen=True):
    """One post's grade band and its monthly grade pay in fen, one amount per
    grade from ``low`` to ``high`` (``amounts[0]`` is grade ``low``)."""

    low: int
    high: int
    amounts: list[int]

    def __post_init__(self) -> None:
        if not 1 <= self.low <= self.high:
            raise ValueError(f"band {self.low}-{self.high} is not a band of grades")
        if len(self.amounts) != self.high - self.low + 1:
            raise ValueError(f"band {self.low}-{self.high} needs {self.high - self.low + 1} amounts, "
                             f"got {len(self.amounts)}")
        if any(a < 0 for a in self.amounts):
            raise ValueError("amounts are fen, never negative")

    @property
    def band(self) -> GradeBand:
        return GradeBand(self.low, self.high)

    def amount(self, grade: int) -> int:
        return self.amounts[grade - self.low]


class PayScale(msgspec.Struct, frozen=True):
    """D-2 三岗十八级: a monthly grade-pay table per post (``正职``, ``副职``,
    ``委员``); ``welfare_fen`` is a flat monthly welfare paid on top (S4-9's
    2002 table: "另外，每月还有100元左右的福利"; 0 in the graded tables)."""

    posts: dict[str, PostScale]
    welfare_fen: int = 0

    def __post_init__(self) -> None:
        if not self.posts:
            raise ValueError("a pay scale needs at least one post")
        if self.welfare_fen < 0:
            raise ValueError("welfare_fen is never negative")


def grade_pay(scale: PayScale, post: str, grade: int) -> int:
    """S4-10 pay = table[post][grade] (fen a month)."""
    return scale.posts[post].amount(grade)


def pays(scale: PayScale, post: str, grade: int) -> bool:
    """Whether the table has an amount for ``post`` at ``grade`` (D-2)."""
    ps = scale.posts.get(post)
    return ps is not None and ps.low <= grade <= ps.high


def band_of(scale: PayScale, post: str) -> GradeBand | None:
    """The post's band in the table; None for a post the table lacks."""
    ps = scale.posts.get(post)
    return None if ps is None else ps.band
