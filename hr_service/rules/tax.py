"""Individual income tax withheld by the cumulative method (D-13, 累计预扣法).

个人所得税法 (2018) and 国家税务总局公告2018年第61号: each month the employer
withholds, on the year so far with this employer::

    taxable_to_date = income_to_date
                    − basic deduction × months on the payroll this year (this one included)
                    − employee social insurance and housing fund to date (专项扣除)
                    − special additional and other allowed deductions to date (专项附加扣除, 其他扣除)
    tax_due_to_date = tax on taxable_to_date by the annual table
    this month      = max(0, tax_due_to_date − tax withheld earlier this year)

A negative difference is not refunded during the year (暂不退税); the annual
reconciliation (汇算清缴) settles it. Amounts in fen; the table's rates are
whole percents, so tax on ``x`` fen at ``r`` % is ``round_half_up(x × r / 100)``
less the quick deduction.
"""
from __future__ import annotations

from collections.abc import Iterable

import msgspec

from shared.dates import add_to_month

CLAUSE = "D-13"


class TaxBand(msgspec.Struct, frozen=True):
    """One band of the annual table: taxable income up to ``upto_fen`` (the
    last band has none) is taxed at ``rate_pct`` less ``quick_fen`` (速算扣除数)."""

    upto_fen: int | None
    rate_pct: int
    quick_fen: int


class DeductionKind(msgspec.Struct, frozen=True):
    """A kind of special additional (专项附加扣除) or other allowed deduction:
    its monthly maximum per declaration; ``per_person`` kinds (one per child)
    may be declared more than once for the same months; ``excludes`` the kinds
    that may not be declared for the same months (housing loan or rent)."""

    zh: str
    en: str
    max_monthly_fen: int
    per_person: bool = False
    excludes: list[str] = []

    def __post_init__(self) -> None:
        if self.max_monthly_fen <= 0:
            raise ValueError("a deduction's monthly maximum is above zero")


ANNUAL_BANDS = [
    TaxBand(3_600_000, 3, 0), TaxBand(14_400_000, 10, 252_000), TaxBand(30_000_000, 20, 1_692_000),
    TaxBand(42_000_000, 25, 3_192_000), TaxBand(66_000_000, 30, 5_292_000), TaxBand(96_000_000, 35, 8_592_000),
    TaxBand(None, 45, 18_192_000),
]
"""个人所得税预扣率表一 (61号公告): 3 % to 36,000 yuan … 45 % above 960,000."""

DEDUCTION_KINDS = {
    "infant_care": DeductionKind("3岁以下婴幼儿照护", "Care of a child under 3", 200_000, per_person=True),
    "children_education": DeductionKind("子女教育", "Children's education", 200_000, per_person=True),
    "continuing_education": DeductionKind("继续教育（学历）", "Continuing education (degree)", 40_000),
    "housing_loan_interest": DeductionKind("住房贷款利息", "Housing loan interest", 100_000,
                                           excludes=["housing_rent"]),
    "housing_rent": DeductionKind("住房租金", "Housing rent", 150_000, excludes=["housing_loan_interest"]),
    "elderly_support": DeductionKind("赡养老人", "Support of elderly parents", 300_000),
    "personal_pension": DeductionKind("个人养老金", "Personal pension (other allowed deduction)", 100_000),
    "health_insurance": DeductionKind("税优健康险", "Tax-favoured health insurance (other allowed deduction)",
                                      20_000),
}
"""国发〔2023〕13号 amounts (from 2023): 婴幼儿照护 and 子女教育 2,000 yuan a child,
赡养老人 3,000 (a share of it for siblings), 住房贷款利息 1,000, 住房租金 1,500 (a
provincial capital such as Hangzhou), 继续教育 400; other allowed deductions:
个人养老金 12,000 a year, 税优健康险 2,400 a year."""


class IncomeTax(msgspec.Struct, frozen=True):
    """D-13: the basic deduction a month (5,000 yuan), the annual table, and
    the kinds of deduction a worker may declare."""

    basic_monthly_fen: int = 500_000
    bands: list[TaxBand] = msgspec.field(default_factory=lambda: list(ANNUAL_BANDS))
    deductions: dict[str, DeductionKind] = msgspec.field(default_factory=lambda: dict(DEDUCTION_KINDS))

    def __post_init__(self) -> None:
        if self.basic_monthly_fen < 0:
            raise ValueError("basic_monthly_fen is never negative")
        if not self.bands or self.bands[-1].upto_fen is not None:
            raise ValueError("the last band has no upper bound (upto_fen null)")
        uppers = [b.upto_fen for b in self.bands[:-1]]
        if any(u is None for u in uppers) or uppers != sorted(set(uppers)):  # type: ignore[type-var]
            raise ValueError("bands rise strictly")
        quick, previous_rate, previous_upto = 0, 0, 0
        for band in self.bands:
            if not previous_rate <= band.rate_pct <= 100:
                raise ValueError("band rates rise, 0..100 percent")
            # the quick deduction that makes the table continuous: q_i = q_(i-1) + bound_(i-1) × (r_i − r_(i-1))
            quick += previous_upto * (band.rate_pct - previous_rate) // 100
            if band.quick_fen != quick:
                raise ValueError(f"the quick deduction of the {band.rate_pct} % band should be {quick} fen")
            previous_rate, previous_upto = band.rate_pct, band.upto_fen or 0
        for name, kind in self.deductions.items():
            if any(other not in self.deductions or other == name for other in kind.excludes):
                raise ValueError(f"{name} excludes a kind not in the table")


def tax_on(taxable_fen: int, rule: IncomeTax) -> int:
    """The tax on a cumulative taxable income by the annual table. As the rates
    rise and the quick deductions keep the table continuous, the tax is the
    largest of ``x × r − q`` over the bands (never below zero)."""
    if taxable_fen <= 0:
        return 0
    return max(0, max((taxable_fen * b.rate_pct + 50) // 100 - b.quick_fen for b in rule.bands))


OPEN = "9999-12"
"""The last month of a declaration without ``to_month`` (open-ended), for comparisons."""


class Declaration(msgspec.Struct, frozen=True):
    """A worker's declared deduction: kind, fen a month, from and to (YYYY-MM,
    inclusive; open-ended), and for whom (a per-person kind: a child, a parent)."""

    kind: str
    monthly_fen: int
    from_month: str
    to_month: str | None = None
    person: str | None = None

    def overlaps(self, other: Declaration) -> bool:
        """Whether the two share a month."""
        return self.from_month <= (other.to_month or OPEN) and other.from_month <= (self.to_month or OPEN)


def first_payroll_month(month: str, months_to_date: int) -> str:
    """The first month this year on the employer's payroll, counting back
    ``months_to_date`` months with this one (the months of a year are paid in
    order, without gaps)."""
    return add_to_month(month, -(months_to_date - 1))


def months_between(first: str, last: str) -> int:
    """Months from ``first`` to ``last`` (YYYY-MM), both included; 0 when ``last`` is before ``first``."""
    fy, fm = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    return max(0, (ly * 12 + lm) - (fy * 12 + fm) + 1)


def declared_to_date(declarations: Iterable[Declaration], month: str, months_to_date: int) -> int:
    """D-13 cumulative deductions: each declaration's monthly amount for every
    month of it from the first payroll month of the year to ``month``. A
    declaration recorded late for earlier months counts them in the month it
    is first paid (as the withholding rules allow)."""
    first = first_payroll_month(month, months_to_date)
    total = 0
    for d in declarations:
        lo = max(d.from_month, first)
        hi = month if d.to_month is None else min(d.to_month, month)
        total += d.monthly_fen * months_between(lo, hi)
    return total


class Withholding(msgspec.Struct, frozen=True):
    """The cumulative figures of one month's withholding (fen)."""

    income_to_date: int
    basic_deduction_to_date: int
    contributions_to_date: int
    special_deductions_to_date: int
    taxable_to_date: int
    tax_due_to_date: int
    tax_withheld_before: int
    income_tax: int


def withholding(
    income_to_date: int, months_to_date: int, contributions_to_date: int, special_deductions_to_date: int,
    tax_withheld_before: int, rule: IncomeTax,
) -> Withholding:
    """D-13: this month's withholding from the year so far."""
    basic = rule.basic_monthly_fen * months_to_date
    taxable = max(0, income_to_date - basic - contributions_to_date - special_deductions_to_date)
    due = tax_on(taxable, rule)
    return Withholding(income_to_date, basic, contributions_to_date, special_deductions_to_date, taxable, due,
                       tax_withheld_before, max(0, due - tax_withheld_before))


def declaration_refusal(new: Declaration, existing: Iterable[Declaration], rule: IncomeTax) -> tuple[str, str] | None:
    """Why a declaration may not be recorded beside ``existing`` (code, reason), or None:
    an unknown kind, an amount above the kind's monthly maximum, ``to`` before
    ``from``, the same kind twice for the same months (for a per-person kind,
    the same person twice: the same child declared twice would count twice),
    or a kind its table excludes for the same months."""
    kind = rule.deductions.get(new.kind)
    if kind is None:
        return "unknown_deduction_kind", f"kind must be one of {', '.join(sorted(rule.deductions))}"
    if not 0 < new.monthly_fen <= kind.max_monthly_fen:
        return "deduction_above_maximum", f"{new.kind} is at most {kind.max_monthly_fen} fen a month"
    if new.to_month is not None and new.to_month < new.from_month:
        return "empty_month_range", "to_month is before from_month"
    for d in existing:
        if not new.overlaps(d):
            continue
        if d.kind == new.kind and (not kind.per_person or d.person == new.person):
            whose = f" for {new.person}" if kind.per_person else ""
            return "deduction_overlaps", f"{new.kind}{whose} is already declared for some of these months"
        if d.kind in kind.excludes:
            return "deduction_excluded", f"{new.kind} cannot be declared beside {d.kind} for the same months"
    return None
