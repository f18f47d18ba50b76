"""HR's policy keys and their seeded versions, each cited to its clause
(docs/policy/CLAUSES.md). Amounts marked ILLUSTRATIVE are ours."""
from __future__ import annotations

from datetime import date

from hr_service.rules.assessment import AssessmentRule
from hr_service.rules.changes import ProbationRule
from hr_service.rules.increment import StepRule
from hr_service.rules.pay import Allowances, AverageWage, BonusPool, CostSplit, Insurance, Rate, ServiceBand
from hr_service.rules.scale import PayScale, PostScale, StartingGradeRule
from hr_service.rules.staffing import StaffingRule
from shared.policy import PolicyKey, PolicySeed

CITY = "hangzhou"


def _ladder(bottom_yuan: int, step_yuan: int, low: int, high: int) -> list[int]:
    return [(bottom_yuan + step_yuan * (g - 1)) * 100 for g in range(low, high + 1)]


def _graded_scale(bottom_yuan: int, step_yuan: int, deputy_premium: int, head_premium: int) -> PayScale:
    """A 三岗十八级 table: one ladder over grades 1-18, each post its band of
    it plus a post premium (an illustrative shape, not a published table)."""
    return PayScale(posts={
        "正职": PostScale(7, 18, [a + head_premium * 100 for a in _ladder(bottom_yuan, step_yuan, 7, 18)]),
        "副职": PostScale(4, 15, [a + deputy_premium * 100 for a in _ladder(bottom_yuan, step_yuan, 4, 15)]),
        "委员": PostScale(1, 12, _ladder(bottom_yuan, step_yuan, 1, 12)),
    })


PAY_SCALE_2002 = PayScale(
    posts={"正职": PostScale(7, 18, [85000] * 12), "副职": PostScale(4, 15, [75000] * 12),
           "委员": PostScale(1, 12, [70000] * 12)},
    welfare_fen=10000,
)
"""S4-9 (2002): 每月正职850元，副职750元，委员700元，另外，每月还有100元左右的福利 —
flat by post; every grade of a band pays the same."""

PAY_SCALE_2004 = _graded_scale(800, 50, 100, 200)
"""D-2 as first tried (S4-10, 2004). Illustrative amounts near the 2002 levels."""

PAY_SCALE_2024 = _graded_scale(7000, 300, 800, 1600)
"""D-2 at today's levels. Illustrative amounts: 委员 grade 1 7,000 yuan a month,
300 yuan a grade, 副职 +800, 正职 +1,600; not a published Hangzhou table."""

AVERAGE_WAGE_SEEDS = {  # reference year → yuan a year; ILLUSTRATIVE, replace with 杭州市统计局's figures
    2009: 45_000, 2014: 70_000, 2019: 110_000, 2022: 125_000, 2023: 131_000, 2024: 137_000,
}

INSURANCE_SEED = Insurance(  # ILLUSTRATIVE rates of the kind Hangzhou applies; check the year's notice
    pension=Rate(1600, 800), medical=Rate(950, 200), unemployment=Rate(50, 50),
    maternity=Rate(50, 0), work_injury=Rate(20, 0), housing_fund=Rate(1200, 1200),
    base_min_fen=446_200, base_max_fen=2_493_000,
)

ALLOWANCES_SEED = Allowances(
    certificate={"助理社会工作师": 20_000, "社会工作师": 40_000, "高级社会工作师": 60_000},
    service_bands=[ServiceBand(0, 0), ServiceBand(5, 10_000), ServiceBand(10, 20_000),
                   ServiceBand(15, 30_000), ServiceBand(20, 40_000)],
)
"""D-3: 社会工作师 400, 助理 200 yuan as the clause says; 高级 600 and the service
bands (100 yuan more every 5 years) are ours and illustrative."""


POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("starting_grade", StartingGradeRule, "D-2", "Grade bands per post and service credit (D-2)"),
    PolicyKey("staffing", StaffingRule, "S4-1", "Staffing quota per community (S4-1, S4-3, D-9)"),
    PolicyKey("pay_scale", PayScale, "D-2",
              "三岗十八级: grade bands and monthly grade pay per post (D-2, S4-9, S4-10)"),
    PolicyKey("step_rule", StepRule, "S4-10", "Annual step: interval, effective month-day, early step (S4-10, D-2)"),
    PolicyKey("assessment", AssessmentRule, "S3-1", "Monthly household-visit minimum (S3-1)"),
    PolicyKey("bonus_pool", BonusPool, "S4-12",
              "Bonus and welfare pool: 30% of grade pay, shared by performance (S4-12, S2-5)"),
    PolicyKey("insurance", Insurance, "S4-11", "Five insurances and the housing fund: rates and base (S4-11, S0-2)"),
    PolicyKey("average_wage", AverageWage, "S0-2", "The city's previous-year average wage: the pay floor (S0-2)"),
    PolicyKey("cost_split", CostSplit, "S0-2", "City and district shares of the cost (S0-2)"),
    PolicyKey("allowances", Allowances, "D-3", "Certificate and length-of-service allowances (D-3)"),
    PolicyKey("probation", ProbationRule, "D-4", "Probation's end: extensions and their length (D-4)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed("starting_grade", CITY, date(2004, 1, 1), StartingGradeRule(), "D-2",
               "三岗十八级 bands; education as service"),
    PolicySeed("staffing", CITY, date(2004, 1, 1), StaffingRule(), "S4-1", "S4-1 400 households; S4-3 +2; D-9 cap 15"),
    PolicySeed("pay_scale", CITY, date(2002, 1, 1), PAY_SCALE_2002, "S4-9",
               "2002 flat pay by post: 正职 850, 副职 750, 委员 700 yuan + 100 welfare (historical)"),
    PolicySeed("pay_scale", CITY, date(2004, 7, 1), PAY_SCALE_2004, "D-2",
               "三岗十八级 as first tried (S4-10); amounts ILLUSTRATIVE"),
    PolicySeed("pay_scale", CITY, date(2024, 1, 1), PAY_SCALE_2024, "D-2",
               "三岗十八级; amounts ILLUSTRATIVE (委员 g1 7,000 yuan, +300/grade, 副职 +800, 正职 +1,600)"),
    PolicySeed("step_rule", CITY, date(2004, 1, 1), StepRule(), "S4-10", "1 year, 07-01, no early step"),
    PolicySeed("assessment", CITY, date(2004, 1, 1), AssessmentRule(), "S3-1", "at least 20 household visits a month"),
    PolicySeed("bonus_pool", CITY, date(2004, 1, 1), BonusPool(), "S4-12", "30% of grade pay; S2-5 shared by score"),
    PolicySeed("insurance", CITY, date(2002, 1, 1), INSURANCE_SEED, "S4-11", "rates and base ILLUSTRATIVE"),
    *[
        PolicySeed("average_wage", CITY, date(year + 1, 1, 1), AverageWage(year, yuan * 100), "S0-2",
                   f"{year} average wage, applied in {year + 1}; ILLUSTRATIVE figure")
        for year, yuan in AVERAGE_WAGE_SEEDS.items()
    ],
    PolicySeed("cost_split", CITY, date(2002, 1, 1), CostSplit(), "S0-2",
               "city 50%, district 50% (S0-2, 2009; assumed the same before)"),
    PolicySeed("allowances", CITY, date(2004, 1, 1), ALLOWANCES_SEED, "D-3", "amounts partly ILLUSTRATIVE"),
    PolicySeed("probation", CITY, date(2004, 1, 1), ProbationRule(), "D-4",
               "extended once at most, by up to 6 months (within the 12 months public institutions allow); "
               "officers shown probations ending within 30 days"),
]
