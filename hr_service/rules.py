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


# --- the pay scale (D-2, S4-9, S4-10) ----------------------------------------


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


# --- the step rule (S4-10, D-1, D-2) -----------------------------------------

PASSING = ("优秀", "合格")
"""D-1: "合格者" in S4-10 means 优秀 or 合格."""
ASSESSMENT_GRADES = ("优秀", "合格", "基本合格", "不合格")


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
}
"""The outcome of a step increment for one worker: code → (English, Chinese)."""


class Move(msgspec.Struct, frozen=True):
    outcome: str
    from_grade: int
    to_grade: int


def assessment_year(effective_on: date) -> int:
    """The 1 July step of year Y follows the assessment of year Y-1."""
    return effective_on.year - 1


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
    year = assessment_year(effective_on)
    if band is None:
        return Move("post_not_in_scale", grade, grade)
    latest = assessments.get(year)
    if latest is None:
        if hired_on > date(year, 12, 31):
            return Move("hired_after_assessment_year", grade, grade)
        return Move("no_assessment", grade, grade)
    if latest == "基本合格":
        return Move("basic_pass", grade, grade)
    if latest == "不合格":
        return Move("fail", grade, grade)
    n = rule.interval_years
    passes = sum(1 for y in range(year - n + 1, year + 1) if assessments.get(y) in PASSING)
    cutoff = _years_before(effective_on, n)
    early = rule.early_step and assessments.get(year) == "优秀" and assessments.get(year - 1) == "优秀"
    if not early and (passes < n or (last_step_on is not None and last_step_on > cutoff)):
        return Move("interval_not_elapsed", grade, grade)
    if grade >= band.high:
        return Move("top_of_band", grade, grade)
    return Move("advanced", grade, grade + 1)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- assessments (D-1, S3-1, S4-14, S0-6) ------------------------------------


class AssessmentRule(msgspec.Struct, frozen=True):
    """S3-1 规定每个社区工作者每月走访居民达到20户以上: the monthly household-visit
    minimum (parameter 20), a quantitative input beside the qualitative grade (S0-6)."""

    min_visits_per_month: int = 20


def months_below_minimum(visits: list[int], rule: AssessmentRule, months_on_rolls: range = range(1, 13)) -> list[int]:
    """S3-1: the months (1-12) whose visit count is under the minimum, among
    the months the worker was on the rolls."""
    return [m for m in months_on_rolls if visits[m - 1] < rule.min_visits_per_month]


# --- monthly pay (S4-12, S2-5, S0-2, S4-11, D-3) -----------------------------


class BonusPool(msgspec.Struct, frozen=True):
    """S4-12 奖金、福利费，按社区工作人员职务等级工资的30%安排 (``ratio_bp`` 3000);
    S2-5 推行社工绩效工资改革…多劳多得、奖优罚劣: shared by performance score.
    ``default_score`` weighs a worker with no assessment yet (a new hire)."""

    ratio_bp: int = 3000
    default_score: int = 80

    def __post_init__(self) -> None:
        if not 0 <= self.ratio_bp <= 10_000:
            raise ValueError("ratio_bp is 0..10000")
        if not 0 <= self.default_score <= 100:
            raise ValueError("default_score is 0..100")


def bonus_shares(members: list[tuple[int, int]], rule: BonusPool) -> tuple[int, list[int]]:
    """S4-12 and S2-5 for one community in one month. ``members`` are (grade
    pay in fen, performance score in hundredths).

    pool  = round_half_up(Σ grade_pay × ratio_bp / 10000)
    share = floor(pool × grade_pay × score / Σ(grade_pay × score))

    Equal scores give each worker exactly the ratio of their own grade pay, so
    S4-12 holds; scores move money from the weaker to the stronger (S2-5). The
    fen lost to flooring stays in the pool (reported as ``unallocated``)."""
    pool = (sum(g for g, _ in members) * rule.ratio_bp + 5000) // 10_000
    total = sum(g * s for g, s in members)
    return pool, [(pool * g * s // total) if total > 0 else 0 for g, s in members]


class AverageWage(msgspec.Struct, frozen=True):
    """S0-2 全市上年度城镇单位在岗职工平均工资: the city's previous-year average
    wage of urban employees, per year (``reference_year``), fen a year."""

    reference_year: int
    annual_fen: int

    def __post_init__(self) -> None:
        if self.annual_fen < 0:
            raise ValueError("annual_fen is never negative")


def floor_top_up(annual_floor: int, months_paid_before: int, paid_before: int, this_month: int) -> int:
    """S0-2 工资福利按照不低于全市上年度城镇单位在岗职工平均工资的标准: the top-up for
    one month so that pay and welfare to date reach the floor to date.

    floor_to_date = round_half_up(annual_floor × (months paid this year, this one included) / 12)
    top_up        = max(0, floor_to_date − paid this year before this month − this month before top-up)

    So the floor is spread evenly over the months on the payroll, a month
    above the floor earns later months no top-up, and when the average wage
    rises mid-year the first month under the new figure catches up the
    difference for the months already paid."""
    floor_to_date = (annual_floor * (months_paid_before + 1) + 6) // 12
    return max(0, floor_to_date - paid_before - this_month)


class Rate(msgspec.Struct, frozen=True):
    """An employer and a worker contribution rate in basis points of the base."""

    employer_bp: int
    worker_bp: int

    def __post_init__(self) -> None:
        if not (0 <= self.employer_bp <= 10_000 and 0 <= self.worker_bp <= 10_000):
            raise ValueError("rates are 0..10000 basis points")


INSURANCES = ("pension", "medical", "unemployment", "maternity", "work_injury", "housing_fund")


class Insurance(msgspec.Struct, frozen=True):
    """S4-11 the five social insurances (基本养老, 失业, 基本医疗, 女工生育, 工伤) and
    S0-2 the housing fund (住房公积金): rates on a contribution base that is the
    month's pay and welfare, held between ``base_min_fen`` and ``base_max_fen``."""

    pension: Rate
    medical: Rate
    unemployment: Rate
    maternity: Rate
    work_injury: Rate
    housing_fund: Rate
    base_min_fen: int
    base_max_fen: int

    def __post_init__(self) -> None:
        if not 0 <= self.base_min_fen <= self.base_max_fen:
            raise ValueError("base_min_fen must not exceed base_max_fen")


def contribution_base(gross: int, ins: Insurance) -> int:
    return min(max(gross, ins.base_min_fen), ins.base_max_fen)


def contributions(gross: int, ins: Insurance) -> tuple[dict[str, int], dict[str, int]]:
    """S4-11, S0-2: (employer, worker) contributions per insurance, each
    round_half_up(base × rate / 10000)."""
    base = contribution_base(gross, ins)
    er = {k: (base * getattr(ins, k).employer_bp + 5000) // 10_000 for k in INSURANCES}
    ee = {k: (base * getattr(ins, k).worker_bp + 5000) // 10_000 for k in INSURANCES}
    return er, ee


class CostSplit(msgspec.Struct, frozen=True):
    """S0-2 市、区两级财政各承担50%: the city's share in basis points; the district bears the rest."""

    city_bp: int = 5000

    def __post_init__(self) -> None:
        if not 0 <= self.city_bp <= 10_000:
            raise ValueError("city_bp is 0..10000")


def split_cost(total: int, rule: CostSplit) -> tuple[int, int]:
    """S0-2: (city, district) shares of a cost; they add up to it exactly."""
    city = (total * rule.city_bp + 5000) // 10_000
    return city, total - city


class ServiceBand(msgspec.Struct, frozen=True):
    from_years: int
    monthly_fen: int


class Allowances(msgspec.Struct, frozen=True):
    """D-3: a certificate allowance by level while the registration is valid
    (社会工作师 400, 助理社会工作师 200 yuan a month; the highest one only), and a
    length-of-service allowance by bands of full years of service."""

    certificate: dict[str, int]
    service_bands: list[ServiceBand]

    def __post_init__(self) -> None:
        froms = [b.from_years for b in self.service_bands]
        if froms != sorted(set(froms)) or (froms and froms[0] != 0):
            raise ValueError("service_bands start at 0 years and rise strictly")
        if any(v < 0 for v in self.certificate.values()) or any(b.monthly_fen < 0 for b in self.service_bands):
            raise ValueError("allowances are never negative")


def service_allowance(years: int, rule: Allowances) -> int:
    """D-3: the band with the highest ``from_years`` not above ``years``."""
    amount = 0
    for band in rule.service_bands:
        if years >= band.from_years:
            amount = band.monthly_fen
    return amount


def full_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end`` (an anniversary counts on its day)."""
    return max(0, (int(f"{end:%Y%m%d}") - int(f"{start:%Y%m%d}")) // 10_000)


# --- the policy tables --------------------------------------------------------

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
    PolicyKey("pay_scale", PayScale, "D-2", "三岗十八级: grade bands and monthly grade pay per post (D-2, S4-9, S4-10)"),
    PolicyKey("step_rule", StepRule, "S4-10", "Annual step: interval, effective month-day, early step (S4-10, D-2)"),
    PolicyKey("assessment", AssessmentRule, "S3-1", "Monthly household-visit minimum (S3-1)"),
    PolicyKey("bonus_pool", BonusPool, "S4-12", "Bonus and welfare pool: 30% of grade pay, shared by performance (S4-12, S2-5)"),
    PolicyKey("insurance", Insurance, "S4-11", "Five insurances and the housing fund: rates and base (S4-11, S0-2)"),
    PolicyKey("average_wage", AverageWage, "S0-2", "The city's previous-year average wage: the pay floor (S0-2)"),
    PolicyKey("cost_split", CostSplit, "S0-2", "City and district shares of the cost (S0-2)"),
    PolicyKey("allowances", Allowances, "D-3", "Certificate and length-of-service allowances (D-3)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed("starting_grade", CITY, date(2004, 1, 1), StartingGradeRule(), "D-2", "三岗十八级 bands; education as service"),
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
]
