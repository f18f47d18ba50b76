"""HR's pure policy: functions over msgspec Structs, no I/O, no clock.

Policy figures arrive as arguments, read from the policy tables
(``POLICY_KEYS``, seeded from docs/policy/CLAUSES.md). These rules are
the specification: the set-based runs (``hr_service.increment``,
``hr_service.pay``) implement them in SQL, and the property tests hold the
two together worker by worker.

- ``staffing``: the staffing quota (S4-1, S4-3, D-9).
- ``scale``: posts, grade bands, the starting grade and grade pay (D-2, S4-9, S4-10).
- ``assessment``: assessment grades and the visit minimum (D-1, S3-1).
- ``increment``: the yearly step (S4-10, D-1, D-2).
- ``rolls``: time on the rolls and years of service.
- ``pay``: the parts of a month's pay (S4-12, S2-5, S0-2, S4-11, D-3), the declared
  contribution wage (D-14) and the paid days of a part month (D-15).
- ``tax``: income tax withheld by the cumulative method and the deductions a worker declares (D-13).
- ``payslip``: the grade in force on a date, a pool's payslips composed from the parts;
  ``payrun``: when a month may be run; ``arrears``: months already paid made good (D-12).
- ``seeds``: the policy keys and seeded versions.
- ``workers``: admission to the rolls, post changes, leaving (D-2, D-8, D-11),
  used as ``rules.workers`` and not re-exported (its ``assessment_year`` is
  another rule than the step's).
"""
from __future__ import annotations

from hr_service.rules.arrears import (
    ARREARS,
    RECOVERY,
    Adjustment,
    adjustment_kind,
    adjustment_lines,
    months_made_good,
    paid_for,
    year_so_far_made_good,
)
from hr_service.rules.assessment import EXCELLENT, PASSING, AssessmentRule, months_below_minimum
from hr_service.rules.increment import (
    EARLY_STEP_YEARS,
    NO_MOVE_FOR,
    OUTCOMES,
    Move,
    StepRule,
    assessment_year,
    assessment_year_end,
    first_year_read,
    interval_elapsed,
    next_grade,
    step_cutoff,
    step_date_refusal,
)
from hr_service.rules.pay import (
    INSURANCES,
    Allowances,
    AverageWage,
    BonusPool,
    CostSplit,
    Insurance,
    Proration,
    Rate,
    ServiceBand,
    bonus_shares,
    certificate_allowance,
    contribution_base,
    contributions,
    declared_wage,
    floor_to_date,
    floor_top_up,
    month_paid_days,
    paid_days,
    performance_score,
    prorate,
    service_allowance,
    split_cost,
    weekdays,
)
from hr_service.rules.payrun import MonthRun, overlap, pay_run_refusal, run_to_recompute
from hr_service.rules.payslip import (
    Earner,
    GradeRecord,
    PayFigures,
    PayLines,
    grade_in_force,
    payslip_lines,
    pool_payslips,
    starting_wage,
)
from hr_service.rules.rolls import on_rolls_during, service_years
from hr_service.rules.scale import (
    POSTS,
    GradeBand,
    PayScale,
    PostScale,
    StartingGrade,
    StartingGradeRule,
    band_of,
    grade_pay,
    pays,
    starting_grade,
)
from hr_service.rules.seeds import (
    ALLOWANCES_SEED,
    AVERAGE_WAGE_SEEDS,
    CITY,
    INSURANCE_2002,
    INSURANCE_SEED,
    PAY_SCALE_2002,
    PAY_SCALE_2004,
    PAY_SCALE_2024,
    POLICY_KEYS,
    SEEDS,
)
from hr_service.rules.staffing import StaffingRule, staffing_quota
from hr_service.rules.tax import (
    Declaration,
    DeductionKind,
    IncomeTax,
    TaxBand,
    Withholding,
    declaration_refusal,
    declared_to_date,
    tax_on,
    withholding,
)

__all__ = [
    "ARREARS", "RECOVERY", "Adjustment", "GradeRecord", "adjustment_kind", "adjustment_lines", "grade_in_force",
    "months_made_good", "paid_for", "year_so_far_made_good",
    "ALLOWANCES_SEED", "AVERAGE_WAGE_SEEDS", "CITY", "EARLY_STEP_YEARS", "EXCELLENT",
    "INSURANCES", "INSURANCE_2002", "INSURANCE_SEED", "NO_MOVE_FOR", "OUTCOMES", "PASSING", "PAY_SCALE_2002",
    "PAY_SCALE_2004",
    "PAY_SCALE_2024", "POLICY_KEYS", "POSTS", "SEEDS", "Allowances", "AssessmentRule", "AverageWage", "BonusPool",
    "CostSplit", "Earner", "GradeBand", "Insurance", "MonthRun", "Move", "PayFigures", "PayLines", "PayScale",
    "PostScale", "Rate", "ServiceBand", "StaffingRule", "StartingGrade", "StartingGradeRule", "StepRule",
    "assessment_year", "assessment_year_end", "band_of", "bonus_shares", "certificate_allowance",
    "contribution_base", "contributions", "first_year_read", "floor_to_date", "floor_top_up",
    "grade_pay", "interval_elapsed", "months_below_minimum", "next_grade", "on_rolls_during", "overlap",
    "pay_run_refusal", "pays", "payslip_lines", "performance_score", "pool_payslips", "run_to_recompute",
    "service_allowance", "service_years", "split_cost", "staffing_quota", "starting_grade", "step_cutoff",
    "step_date_refusal", "Declaration", "DeductionKind", "IncomeTax", "Proration", "TaxBand", "Withholding",
    "declaration_refusal", "declared_to_date", "declared_wage", "month_paid_days", "paid_days", "weekdays",
    "prorate", "starting_wage", "tax_on",
    "withholding",
]
