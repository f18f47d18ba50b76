"""The parts of a month's pay, each on its own (S4-12, S2-5, S0-2, S4-11, D-3);
``hr_service.rules.payslip`` puts them together."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def floor_to_date(annual_floor: int, months_paid_before: int) -> int:
    """S0-2: the floor for the months paid this year, this one included:
    round_half_up(annual_floor × months / 12)."""
    return (annual_floor * (months_paid_before + 1) + 6) // 12


def floor_top_up(annual_floor: int, months_paid_before: int, paid_before: int, this_month: int) -> int:
    """S0-2 工资福利按照不低于全市上年度城镇单位在岗职工平均工资的标准: the top-up for
    one month so that pay and welfare to date reach the floor to date.

    floor_to_date = round_half_up(annual_floor × (months paid this year, this one included) / 12)
    top_up        = max(0, floor_to_date − paid this year before this month − this month before top-up)

    So the floor is spread evenly over the months on the payroll, a month
    above the floor earns later months no top-up, and when the average wage
    rises mid-year the first month under the new figure catches up the
    difference for the months already paid."""
    return max(0, floor_to_date(annual_floor, months_paid_before) - paid_before - this_month)


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


def certificate_allowance(levels: Iterable[str], rule: Allowances) -> int:
    """D-3: the highest allowance among the levels of the registrations valid
    on the month's last day (a level the table lacks pays nothing)."""
    return max((rule.certificate[lv] for lv in levels if lv in rule.certificate), default=0)
