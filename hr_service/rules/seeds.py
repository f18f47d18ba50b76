"""HR's policy keys and their seeded versions, each cited to its clause
(docs/policy/CLAUSES.md). Amounts marked ILLUSTRATIVE are ours."""
from __future__ import annotations

from datetime import date

from hr_service.rules.assessment import AssessmentRule
from hr_service.rules.changes import ProbationRule
from hr_service.rules.increment import StepRule
from hr_service.rules.pay import (
    Allowances,
    AverageWage,
    BonusPool,
    CostSplit,
    Insurance,
    Proration,
    Rate,
    ServiceBand,
)
from hr_service.rules.scale import PayScale, PostScale, StartingGradeRule
from hr_service.rules.staffing import StaffingRule
from hr_service.rules.tax import DEDUCTION_KINDS, DeductionKind, IncomeTax
from shared.policy import PolicyKey, PolicySeed

CITY = "hangzhou"


def _ladder(bottom_yuan: int, step_yuan: int, low: int, high: int) -> list[int]:
    return [(bottom_yuan + step_yuan * (g - 1)) * 100 for g in range(low, high + 1)]


def graded_scale(bottom_yuan: int, step_yuan: int, deputy_premium: int, head_premium: int) -> PayScale:
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

PAY_SCALE_2004 = graded_scale(800, 50, 100, 200)
"""D-2 as first tried (S4-10, 2004). Illustrative amounts near the 2002 levels."""

PAY_SCALE_2024 = graded_scale(7000, 300, 800, 1600)
"""D-2 at today's levels. Illustrative amounts: 委员 grade 1 7,000 yuan a month,
300 yuan a grade, 副职 +800, 正职 +1,600; not a published Hangzhou table."""

AVERAGE_WAGE_SEEDS = {  # reference year → yuan a year, applied from 1 January of the next year
    2009: 45_000, 2014: 70_000, 2019: 110_000,
    2021: 151_121, 2022: 157_205,
    2023: 163_000, 2024: 169_000,
}
"""S0-2 全市上年度城镇单位在岗职工平均工资: 杭州市非私营单位在岗职工（含劳务派遣）年平均工资.
2021 and 2022 are published (``AVERAGE_WAGE_SOURCES``); the others are ILLUSTRATIVE: 2009–2019
are of the right order only (Hangzhou then published the 全社会 measure, which is another
figure), 2023 and 2024 carry 2022's on by about 3.7 % a year until the bulletins are entered."""

AVERAGE_WAGE_SOURCES = {
    2021: "杭州市统计局《2021年杭州市单位从业人员年平均工资统计公报》(2022-06-24, "
          "hangzhou.gov.cn/art/2022/6/24/art_1229063404_4055368.html): 非私营单位在岗职工 151,121 元",
    2022: "杭州市统计局《2022年杭州市单位就业人员年平均工资统计公报》(2023-05): 非私营单位在岗职工（含劳务派遣）"
          "157,205 元",
}

INSURANCE_2002 = Insurance(  # ILLUSTRATIVE rates of the kind Hangzhou applied before 2019
    pension=Rate(1600, 800), medical=Rate(950, 200), unemployment=Rate(50, 50),
    maternity=Rate(50, 0), work_injury=Rate(20, 0), housing_fund=Rate(1200, 1200),
    base_min_fen=446_200, base_max_fen=2_493_000,
)

INSURANCE_SEED = Insurance(
    pension=Rate(1600, 800), medical=Rate(950, 200), unemployment=Rate(50, 50),
    maternity=Rate(0, 0), work_injury=Rate(20, 0), housing_fund=Rate(1200, 1200),
    base_min_fen=446_200, base_max_fen=2_493_000,
)
"""S4-11, S0-2, D-14 from 1 May 2019. Published: pension 16 % employer (the cap of
国办发〔2019〕13号《降低社会保险费率综合方案》) and 8 % worker; unemployment 0.5 % each side;
work injury 0.2 %, the class-1 benchmark rate (人社部发〔2015〕71号: 基层群众自治组织, 社会工作);
housing fund 12 % each side (the top of the 5–12 % range, 住房公积金管理条例 and Hangzhou
practice); medical 2 % worker. ILLUSTRATIVE: medical 9.5 % employer with maternity merged
into it (生育保险并入职工医保, 0 % on its own), and the base's floor and ceiling (4,462 and
24,930 yuan), which the province sets each year from the 全口径 average wage (60 % and 300 %)."""

ALLOWANCES_SEED = Allowances(
    certificate={"助理社会工作师": 20_000, "社会工作师": 40_000, "高级社会工作师": 60_000},
    service_bands=[ServiceBand(0, 0), ServiceBand(5, 10_000), ServiceBand(10, 20_000),
                   ServiceBand(15, 30_000), ServiceBand(20, 40_000)],
)
"""D-3: 社会工作师 400, 助理 200 yuan as the clause says; 高级 600 and the service
bands (100 yuan more every 5 years) are ours and illustrative."""


DEDUCTIONS_2019 = {
    **{k: v for k, v in DEDUCTION_KINDS.items() if k not in ("infant_care", "personal_pension")},
    "children_education": DeductionKind("子女教育", "Children's education", 100_000, per_person=True),
    "elderly_support": DeductionKind("赡养老人", "Support of elderly parents", 200_000),
}
"""D-13 from 2019 (国发〔2018〕41号): before the 2022 infant-care deduction, the
2022 personal pension and the 2023 increase."""


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
    PolicyKey("income_tax", IncomeTax, "D-13",
              "Income tax withheld by the cumulative method: basic deduction, annual table, deduction kinds (D-13)"),
    PolicyKey("proration", Proration, "D-15", "Paid days a month for joiners, leavers and unpaid absence (D-15)"),
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
    PolicySeed("insurance", CITY, date(2002, 1, 1), INSURANCE_2002, "S4-11", "rates and base ILLUSTRATIVE"),
    PolicySeed("insurance", CITY, date(2019, 5, 1), INSURANCE_SEED, "D-14",
               "pension 16 %/8 % (国办发〔2019〕13号), unemployment 0.5 %/0.5 %, work injury 0.2 % (class 1, "
               "人社部发〔2015〕71号), housing fund 12 %/12 %, medical worker 2 %; medical employer 9.5 % with "
               "maternity merged, and the base 4,462–24,930 yuan: ILLUSTRATIVE"),
    *[
        PolicySeed("average_wage", CITY, date(year + 1, 1, 1), AverageWage(year, yuan * 100), "S0-2",
                   f"{year} average wage, applied in {year + 1}; "
                   + (f"published: {AVERAGE_WAGE_SOURCES[year]}" if year in AVERAGE_WAGE_SOURCES
                      else "ILLUSTRATIVE figure"))
        for year, yuan in AVERAGE_WAGE_SEEDS.items()
    ],
    PolicySeed("cost_split", CITY, date(2002, 1, 1), CostSplit(), "S0-2",
               "city 50%, district 50% (S0-2, 2009; assumed the same before)"),
    PolicySeed("allowances", CITY, date(2004, 1, 1), ALLOWANCES_SEED, "D-3", "amounts partly ILLUSTRATIVE"),
    PolicySeed("probation", CITY, date(2004, 1, 1), ProbationRule(), "D-4",
               "extended once at most, by up to 6 months (within the 12 months public institutions allow); "
               "officers shown probations ending within 30 days"),
    PolicySeed("income_tax", CITY, date(2019, 1, 1), IncomeTax(deductions=DEDUCTIONS_2019), "D-13",
               "个人所得税法 (2018) and 国家税务总局公告2018年第61号: 5,000 yuan a month, 预扣率表一; "
               "专项附加扣除 of 国发〔2018〕41号 (子女教育 1,000 a child, 赡养老人 2,000)"),
    PolicySeed("income_tax", CITY, date(2023, 1, 1), IncomeTax(), "D-13",
               "个人所得税法 (2018), 61号公告; 国发〔2022〕8号 (婴幼儿照护), 国发〔2023〕13号 (2,000 / 3,000 yuan), "
               "国办发〔2022〕7号 (个人养老金 12,000 a year)"),
    PolicySeed("proration", CITY, date(2008, 1, 1), Proration(), "D-15",
               "劳社部发〔2008〕3号: 21.75 paid days a month ((365 − 104) / 12)"),
]
