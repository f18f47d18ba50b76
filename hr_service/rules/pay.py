"""The parts of a month's pay, each on its own (S4-12, S2-5, S0-2, S4-11, D-3);
``hr_service.rules.payslip`` puts them together."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import msgspec


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


def bonus_shares(
    members: list[tuple[int, int]], rule: BonusPool, ids: Sequence[int] | None = None,
) -> tuple[int, list[int]]:
    """S4-12 and S2-5 for one community in one month. ``members`` are (grade
    pay in fen, performance score in hundredths); ``ids`` their worker ids
    (without them, each member's place in the list stands for its id).

    pool   = round_half_up(Σ grade_pay × ratio_bp / 10000)
    weight = grade_pay × score
    exact  = pool × weight / Σ weight

    The pool is paid in full, to the fen, by the largest-remainder (Hamilton)
    method: each share is the floor of its exact amount, and the fen left over
    (fewer than the members) go one each to the members with the largest
    remainders; of equal remainders, the larger weight first, then the lower
    worker id. The shares add up to the pool exactly. Equal scores give each
    worker the ratio of their own grade pay (S4-12), give or take one fen;
    scores move money from the weaker to the stronger (S2-5). A pool whose
    weights add up to nothing (every score 0) has nothing to be shared by and
    is not paid (reported as ``unallocated``)."""
    pool = (sum(g for g, _ in members) * rule.ratio_bp + 5000) // 10_000
    weights = [g * s for g, s in members]
    total = sum(weights)
    if total <= 0:
        return pool, [0] * len(members)
    shares = [pool * w // total for w in weights]
    keys = list(ids) if ids is not None else list(range(len(members)))
    order = sorted(range(len(members)), key=lambda i: (-(pool * weights[i] % total), -weights[i], keys[i]))
    for i in order[:pool - sum(shares)]:
        shares[i] += 1
    return pool, shares


def performance_score(scores: dict[int, int], year: int, rule: BonusPool) -> int:
    """S2-5: the score (hundredths) that weighs a worker's share in ``year``:
    that of their latest assessment before the year, else ``default_score``."""
    earlier = [y for y in scores if y < year]
    return scores[max(earlier)] if earlier else rule.default_score * 100


class AverageWage(msgspec.Struct, frozen=True):
    """S0-2 全市上年度城镇单位在岗职工平均工资: the city's previous-year average
    wage of urban employees, per year (``reference_year``), fen a year."""

    reference_year: int
    annual_fen: int

    def __post_init__(self) -> None:
        if self.annual_fen < 0:
            raise ValueError("annual_fen is never negative")


def floor_to_date(annual_floor: int, days_to_date_centi: int, rule: Proration | None = None) -> int:
    """S0-2, D-15: the floor for the paid days of the year so far, this month's
    included: round_half_up(annual_floor × days / (12 × 21.75)). Whole months
    give round_half_up(annual_floor × months / 12)."""
    month = (rule or Proration()).paid_days_centi
    return (annual_floor * days_to_date_centi * 2 + 12 * month) // (12 * month * 2)


def floor_top_up(annual_floor: int, days_to_date_centi: int, paid_before: int, this_month: int,
                 rule: Proration | None = None) -> int:
    """S0-2 工资福利按照不低于全市上年度城镇单位在岗职工平均工资的标准: the top-up for
    one month so that pay and welfare to date reach the floor to date.

    floor_to_date = round_half_up(annual_floor × paid days this year, this month's included / (12 × 21.75))
    top_up        = max(0, floor_to_date − paid this year before this month − this month before top-up)

    So the floor is spread evenly over the paid days on the payroll (a part
    month's floor is prorated, D-15), a month above the floor earns later
    months no top-up, and when the average wage rises mid-year the first month
    under the new figure catches up the difference for the months already paid."""
    return max(0, floor_to_date(annual_floor, days_to_date_centi, rule) - paid_before - this_month)


class Rate(msgspec.Struct, frozen=True):
    """An employer and a worker contribution rate in basis points of the base."""

    employer_bp: int
    worker_bp: int

    def __post_init__(self) -> None:
        if not (0 <= self.employer_bp <= 10_000 and 0 <= self.worker_bp <= 10_000):
            raise ValueError("rates are 0..10000 basis points")


INSURANCES = ("pension", "medical", "unemployment", "maternity", "work_injury", "housing_fund")

HOUSING_FUND_BP = (500, 1200)
"""D-14, 住房公积金管理条例: the housing fund is 5 % to 12 % of the base, each side."""


class Insurance(msgspec.Struct, frozen=True):
    """S4-11 the five social insurances (基本养老, 失业, 基本医疗, 女工生育, 工伤) and
    S0-2 the housing fund (住房公积金), D-14: rates on the worker's declared
    monthly base (``declared_wage``), held between the city's floor and
    ceiling. The floor and ceiling are ``floor_bp`` (60 %) and ``ceiling_bp``
    (300 %) of the reference average monthly wage, unless the province
    publishes the amounts themselves (``base_min_fen``, ``base_max_fen``),
    which then apply."""

    pension: Rate
    medical: Rate
    unemployment: Rate
    maternity: Rate
    work_injury: Rate
    housing_fund: Rate
    base_min_fen: int | None = None
    base_max_fen: int | None = None
    reference_monthly_fen: int = 0
    floor_bp: int = 6000
    ceiling_bp: int = 30_000

    def __post_init__(self) -> None:
        lo, hi = HOUSING_FUND_BP
        if not (lo <= self.housing_fund.employer_bp <= hi and lo <= self.housing_fund.worker_bp <= hi):
            raise ValueError("the housing fund is 500..1200 basis points each side (D-14)")
        if self.reference_monthly_fen < 0 or not 0 <= self.floor_bp <= self.ceiling_bp:
            raise ValueError("reference_monthly_fen is never negative and floor_bp must not exceed ceiling_bp")
        if (self.base_min_fen is None or self.base_max_fen is None) and self.reference_monthly_fen == 0:
            raise ValueError("give the reference average wage, or the published base_min_fen and base_max_fen")
        if not 0 <= self.floor_fen <= self.ceiling_fen:
            raise ValueError("the base's floor must not exceed its ceiling")

    @property
    def floor_fen(self) -> int:
        if self.base_min_fen is not None:
            return self.base_min_fen
        return (self.reference_monthly_fen * self.floor_bp + 5000) // 10_000

    @property
    def ceiling_fen(self) -> int:
        if self.base_max_fen is not None:
            return self.base_max_fen
        return (self.reference_monthly_fen * self.ceiling_bp + 5000) // 10_000


def declared_wage(declared: int | None, last_year_paid: int, last_year_days_centi: int,
                  rule: Proration | None = None) -> int | None:
    """D-14: the wage a worker's contributions are declared on for a year: the
    one recorded for the year (by HR, or at the year's first payslip); else
    last year's average monthly wage with this employer (pay and welfare paid
    last year over the months paid, a part month counting as its paid days,
    rounded half up); else None: a new hire's starting wage
    (``rules.starting_wage``)."""
    if declared is not None:
        return declared
    month = (rule or Proration()).paid_days_centi
    if last_year_days_centi > 0:
        return (last_year_paid * month * 2 + last_year_days_centi) // (last_year_days_centi * 2)
    return None


def contribution_base(wage: int, ins: Insurance) -> int:
    """D-14: the declared wage held between the floor and the ceiling."""
    return min(max(wage, ins.floor_fen), ins.ceiling_fen)


def contributions(base: int, ins: Insurance) -> tuple[dict[str, int], dict[str, int]]:
    """S4-11, S0-2, D-14: (employer, worker) contributions per insurance, each
    round_half_up(base × rate / 10000), on the bounded base for every month
    on the payroll (a part month too)."""
    er = {k: (base * getattr(ins, k).employer_bp + 5000) // 10_000 for k in INSURANCES}
    ee = {k: (base * getattr(ins, k).worker_bp + 5000) // 10_000 for k in INSURANCES}
    return er, ee


class Proration(msgspec.Struct, frozen=True):
    """D-15 (劳社部发〔2008〕3号): a month has 21.75 paid days (``paid_days_centi``
    2175 hundredths): (365 − 104 weekend days) / 12. Monday to Friday are paid
    days (statutory holidays included)."""

    paid_days_centi: int = 2175

    def __post_init__(self) -> None:
        if not 0 < self.paid_days_centi <= 3100:
            raise ValueError("paid_days_centi is 1..3100")


def paid_days(employed_weekdays: int, absent_weekdays: int, whole_month: bool, rule: Proration) -> int:
    """D-15: the month's paid days in hundredths. A whole month on the rolls is
    the full 21.75; a part month (a joiner, a leaver) its weekdays employed,
    at most 21.75; unpaid absence takes off its weekdays; never below 0."""
    employed = rule.paid_days_centi if whole_month else min(rule.paid_days_centi, employed_weekdays * 100)
    return max(0, employed - absent_weekdays * 100)


def weekdays(first: date, last: date) -> int:
    """Monday to Friday from ``first`` to ``last``, both included (0 when ``last`` is earlier)."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    full, rest = divmod(days, 7)
    return full * 5 + sum((first.weekday() + i) % 7 < 5 for i in range(rest))


def month_paid_days(hired_on: date, left_on: date | None, absences: Iterable[tuple[date, date]], start: date,
                    end: date, rule: Proration) -> int:
    """D-15: ``paid_days`` of the month ``start``..``end`` for a worker on the
    rolls from ``hired_on`` to ``left_on`` (the last day on them) with these
    unpaid absences (first and last day): the weekdays employed, and those of
    each absence within them."""
    lo, hi = max(hired_on, start), min(left_on or end, end)
    whole = hired_on <= start and (left_on is None or left_on >= end)
    absent = sum(weekdays(max(a, lo), min(b, hi)) for a, b in absences)
    return paid_days(weekdays(lo, hi), absent, whole, rule)


def prorate(monthly_fen: int, days_centi: int, rule: Proration) -> int:
    """D-15: a monthly amount for the paid days: round_half_up(amount × days / 21.75)."""
    if days_centi == rule.paid_days_centi:
        return monthly_fen
    return (monthly_fen * days_centi * 2 + rule.paid_days_centi) // (rule.paid_days_centi * 2)


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


def certificate_allowance(levels: Iterable[str], rule: Allowances) -> int:
    """D-3: the highest allowance among the levels of the registrations valid
    on the month's last day (a level the table lacks pays nothing)."""
    return max((rule.certificate[lv] for lv in levels if lv in rule.certificate), default=0)
