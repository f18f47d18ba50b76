"""The yearly step (S4-10, D-1, D-2): who moves up one grade on the effective
date, and why the others do not.

``next_grade`` is the rule for one worker; ``hr_service.increment`` applies
it to a whole jurisdiction in one statement, reading its parameters from the
functions here (the assessment year, the last-step cut-off, the years read).
"""
from __future__ import annotations

from datetime import date

import msgspec

from hr_service.rules.assessment import EXCELLENT, PASSING
from hr_service.rules.scale import GradeBand
from shared.dates import add_years
from shared.errors import Refusal

EARLY_STEP_YEARS = 2
"""D-2: the early step follows this many consecutive 优秀."""


class StepRule(msgspec.Struct, frozen=True):
    """S4-10 合格者每年从7月1日起执行上一档次等级工资; D-2 parameters: the
    interval in years (Hangzhou 1), the effective month-day (07-01), and an
    early step after two consecutive 优秀 (off)."""

    interval_years: int = 1
    month_day: str = "07-01"
    early_step: bool = False

    def __post_init__(self) -> None:
        if self.interval_years < 1:
            raise ValueError("interval_years is at least 1")
        try:
            date.fromisoformat(f"2000-{self.month_day}")
        except ValueError:
            raise ValueError(f"month_day '{self.month_day}' is not MM-DD") from None

    def falls_on(self, day: date) -> bool:
        return f"{day:%m-%d}" == self.month_day


OUTCOMES = {
    "advanced": ("moved up one grade", "晋升一档"),
    "top_of_band": ("passed, but already at the top of the post's band", "考核合格，但已在本岗位最高档"),
    "basic_pass": ("assessed 基本合格: no move", "考核基本合格，不晋档"),
    "fail": ("assessed 不合格: no move", "考核不合格，不晋档"),
    "no_assessment": ("no assessment for the assessment year: no move", "无当年度考核，不晋档"),
    "hired_after_assessment_year": ("hired after the assessment year: no assessment yet, no move",
                                    "考核年度之后入职，尚无考核，不晋档"),
    "interval_not_elapsed": ("the step interval has not elapsed", "未满晋档间隔"),
    "post_not_in_scale": ("the worker's post is not in the pay scale", "岗位不在工资标准表中"),
    "changed_since": ("the grade history changes after this date: correct the grade instead (D-12)",
                      "该日期之后等级已有变动，请改用等级更正（D-12）"),
}
"""The outcome of a step increment for one worker: code → (English, Chinese)."""

NO_MOVE_FOR = {"基本合格": "basic_pass", "不合格": "fail"}
"""D-1: the assessment grades that stop the step, and the outcome each gives."""


class Move(msgspec.Struct, frozen=True):
    outcome: str
    from_grade: int
    to_grade: int


def assessment_year(effective_on: date) -> int:
    """The 1 July step of year Y follows the assessment of year Y-1."""
    return effective_on.year - 1


def assessment_year_end(effective_on: date) -> date:
    """The last day of the assessment year: a worker hired after it has no assessment yet."""
    return date(assessment_year(effective_on), 12, 31)


def step_cutoff(effective_on: date, interval_years: int) -> date:
    """The latest last-step date that lets a worker step again on ``effective_on``:
    ``interval_years`` earlier (29 February → 28 February)."""
    return add_years(effective_on, -interval_years)


def first_year_read(effective_on: date, interval_years: int) -> int:
    """The earliest assessment year the decision reads: the interval's years,
    and the two of the early step."""
    return assessment_year(effective_on) - max(interval_years, EARLY_STEP_YEARS) + 1


def step_date_refusal(rule: StepRule | None, effective_on: date) -> Refusal | None:
    """S4-10: a step run needs a step rule in force and its effective date."""
    if rule is None:
        return Refusal("no_step_rule", f"No step rule is in force on {effective_on} (S4-10).",
                       f"{effective_on} 无有效的晋档规则（S4-10）。", "effective_on", "S4-10")
    if not rule.falls_on(effective_on):
        return Refusal("not_step_date",
                       f"Steps take effect on {rule.month_day} each year (S4-10); {effective_on} is not one.",
                       f"晋档于每年 {rule.month_day} 生效（S4-10），{effective_on} 不是晋档日。",
                       "effective_on", "S4-10")
    return None


def interval_elapsed(assessments: dict[int, str], rule: StepRule, effective_on: date,
                     last_step_on: date | None) -> bool:
    """D-2: every one of the last ``interval_years`` assessments passes and the
    last step is on or before the cut-off; or, with ``early_step``, the last
    two assessments are 优秀."""
    year = assessment_year(effective_on)
    early = rule.early_step and all(assessments.get(year - i) == EXCELLENT for i in range(EARLY_STEP_YEARS))
    if early:
        return True
    n = rule.interval_years
    passes = sum(1 for y in range(year - n + 1, year + 1) if assessments.get(y) in PASSING)
    return passes >= n and (last_step_on is None or last_step_on <= step_cutoff(effective_on, n))


def next_grade(
    grade: int,
    band: GradeBand | None,
    assessments: dict[int, str],
    rule: StepRule,
    *,
    effective_on: date,
    hired_on: date,
    last_step_on: date | None,
) -> Move:
    """S4-10: a worker assessed 合格 or better (D-1) for the assessment year
    moves up one grade on the effective date, within the post's band (D-2).

    With ``interval_years`` N > 1, every one of the last N assessments must
    pass and the last step be at least N years ago, unless ``early_step`` is
    on and the last two are 优秀. The store applies the same rule to a whole
    jurisdiction in one statement (``hr_service.increment``)."""
    if band is None:
        return Move("post_not_in_scale", grade, grade)
    latest = assessments.get(assessment_year(effective_on))
    if latest is None:
        if hired_on > assessment_year_end(effective_on):
            return Move("hired_after_assessment_year", grade, grade)
        return Move("no_assessment", grade, grade)
    if latest in NO_MOVE_FOR:
        return Move(NO_MOVE_FOR[latest], grade, grade)
    if not interval_elapsed(assessments, rule, effective_on, last_step_on):
        return Move("interval_not_elapsed", grade, grade)
    if grade >= band.high:
        return Move("top_of_band", grade, grade)
    return Move("advanced", grade, grade + 1)
