"""D-13 in the pure rules: the annual table as the clause states it, the tax
on it band by band, the cumulative withholding over a year, and which
declarations may stand beside each other (``hr_service.rules.tax``)."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hr_service import rules
from hr_service.rules.tax import ANNUAL_BANDS
from shared.money import round_half_up, yuan

TAX = rules.IncomeTax()


def test_the_annual_table_is_the_clauses():
    """D-13: 3 % to 36,000, 10 % to 144,000 (2,520), 20 % to 300,000 (16,920),
    25 % to 420,000 (31,920), 30 % to 660,000 (52,920), 35 % to 960,000
    (85,920), 45 % above (181,920)."""
    assert [(b.upto_fen, b.rate_pct, b.quick_fen) for b in ANNUAL_BANDS] == [
        (yuan(36_000), 3, 0), (yuan(144_000), 10, yuan(2_520)), (yuan(300_000), 20, yuan(16_920)),
        (yuan(420_000), 25, yuan(31_920)), (yuan(660_000), 30, yuan(52_920)), (yuan(960_000), 35, yuan(85_920)),
        (None, 45, yuan(181_920))]
    assert rules.IncomeTax().basic_monthly_fen == yuan(5_000)


def test_a_quick_deduction_that_breaks_the_table_is_refused():
    bands = [rules.TaxBand(3_600_000, 3, 0), rules.TaxBand(None, 10, 250_000)]
    with pytest.raises(ValueError, match="should be 252000"):
        rules.IncomeTax(bands=bands)


def marginal(taxable: int) -> Fraction:
    """The tax of ``taxable`` fen added up band by band, each slice at its rate."""
    out, lower = Fraction(0), 0
    for band in ANNUAL_BANDS:
        upper = taxable if band.upto_fen is None else min(taxable, band.upto_fen)
        if upper > lower:
            out += Fraction((upper - lower) * band.rate_pct, 100)
        lower = band.upto_fen or lower
    return out


@given(st.integers(-100_000, 150_000_000))
def test_the_tax_is_each_slice_at_its_rate(taxable):
    assert rules.tax_on(taxable, TAX) == (round_half_up(marginal(taxable)) if taxable > 0 else 0)


@given(gross=st.integers(0, 8_000_000), contributions=st.integers(0, 500_000),
       declared=st.integers(0, 700_000), months=st.integers(1, 12))
def test_a_steady_year_withholds_the_tax_of_its_total(gross, contributions, declared, months):
    """Pay the same every month: what is withheld month by month, never
    refunded, adds up to the tax on the year's taxable income."""
    withheld = 0
    for n in range(1, months + 1):
        w = rules.withholding(gross * n, n, contributions * n, declared * n, withheld, TAX)
        assert w.income_tax >= 0 and w.tax_due_to_date == withheld + w.income_tax
        withheld += w.income_tax
    taxable = max(0, (gross - TAX.basic_monthly_fen - contributions - declared) * months)
    assert withheld == rules.tax_on(taxable, TAX)


def test_a_month_paid_less_withholds_nothing_and_refunds_nothing():
    high = rules.withholding(5_000_000, 1, 0, 0, 0, TAX)
    low = rules.withholding(5_000_000 + 100_000, 2, 0, 0, high.income_tax, TAX)
    assert high.income_tax > 0 and low.tax_due_to_date < high.income_tax and low.income_tax == 0


def child(month: str, person: str | None, to: str | None = None) -> rules.Declaration:
    return rules.Declaration("children_education", 200_000, month, to, person)


def test_a_child_is_declared_once_for_the_same_months_two_children_side_by_side():
    first = child("2025-01", "老大")
    assert rules.declaration_refusal(child("2025-03", "老二"), [first], TAX) is None
    assert rules.declaration_refusal(child("2025-03", "老大"), [first], TAX)[0] == "deduction_overlaps"
    assert rules.declaration_refusal(child("2025-03", "老大"), [child("2025-01", "老大", "2025-02")], TAX) is None


def test_a_kind_once_for_the_same_months_and_never_beside_the_one_it_excludes():
    rent = rules.Declaration("housing_rent", 150_000, "2025-01", "2025-06")
    loan = rules.Declaration("housing_loan_interest", 100_000, "2025-06")
    assert rules.declaration_refusal(loan, [rent], TAX)[0] == "deduction_excluded"
    assert rules.declaration_refusal(rules.Declaration("housing_loan_interest", 100_000, "2025-07"), [rent],
                                     TAX) is None
    again = rules.Declaration("housing_rent", 100_000, "2025-06", "2025-12")
    assert rules.declaration_refusal(again, [rent], TAX)[0] == "deduction_overlaps"


@pytest.mark.parametrize(("declaration", "code"), [
    (rules.Declaration("lottery", 100, "2025-01"), "unknown_deduction_kind"),
    (rules.Declaration("elderly_support", 300_001, "2025-01"), "deduction_above_maximum"),
    (rules.Declaration("elderly_support", 0, "2025-01"), "deduction_above_maximum"),
    (rules.Declaration("elderly_support", 300_000, "2025-05", "2025-04"), "empty_month_range"),
])
def test_a_declaration_refused_on_its_own(declaration, code):
    assert rules.declaration_refusal(declaration, [], TAX)[0] == code
