"""HR's pure pay rules for records that change after the fact: the grade in
force on a date (S4-10, D-2, D-12) and months already paid made good (D-12)."""
from __future__ import annotations

from datetime import date

import msgspec

from hr_service import rules
from hr_service.rules import GradeRecord, grade_in_force

FIGURES = rules.PayFigures(scale=rules.PAY_SCALE_2024, insurance=rules.INSURANCE_SEED, split=rules.CostSplit(),
                           bonus=rules.BonusPool(), allowances=rules.ALLOWANCES_SEED,
                           wage=rules.AverageWage(2024, 13_700_000))

# --- the grade in force on a date -------------------------------------------------------------

HISTORY = [GradeRecord(1, date(2020, 3, 1), "委员", 3), GradeRecord(2, date(2025, 4, 1), "副职", 6),
           GradeRecord(3, date(2025, 2, 1), "委员", 5)]  # the last recorded for an earlier date


def test_the_latest_date_on_or_before_the_day_not_the_latest_row():
    assert grade_in_force(HISTORY, date(2020, 2, 29)) is None  # before the first
    assert grade_in_force(HISTORY, date(2020, 3, 1)).grade == 3
    assert grade_in_force(HISTORY, date(2025, 1, 31)).grade == 3
    assert grade_in_force(HISTORY, date(2025, 2, 1)).grade == 5
    assert grade_in_force(HISTORY, date(2025, 3, 31)).grade == 5
    assert (grade_in_force(HISTORY, date(2025, 4, 1)).post, grade_in_force(HISTORY, date(2025, 4, 1)).grade) == (
        "副职", 6)


def test_of_one_date_the_last_recorded_and_superseded_rows_left_out():
    same_day = [*HISTORY, GradeRecord(4, date(2025, 4, 1), "副职", 7)]
    assert grade_in_force(same_day, date(2025, 5, 1)).id == 4
    corrected = [msgspec.structs.replace(r, superseded=r.effective_on >= date(2025, 3, 1)) for r in same_day]
    corrected.append(GradeRecord(5, date(2025, 3, 1), "委员", 7))
    assert grade_in_force(corrected, date(2025, 5, 1)).id == 5
    assert grade_in_force(corrected, date(2025, 2, 28)).id == 3
    assert grade_in_force([GradeRecord(1, date(2020, 1, 1), "委员", 1, superseded=True)], date(2021, 1, 1)) is None


# --- D-12 months already paid, made good ----------------------------------------------------------

def test_the_months_made_good_are_the_closed_ones_from_since_before_the_run():
    closed = ["2025-01", "2025-02", "2025-03", "2025-05"]
    assert rules.months_made_good("2025-02", "2025-05", closed) == ["2025-02", "2025-03"]
    assert rules.months_made_good("2025-02", "2025-06", closed) == ["2025-02", "2025-03", "2025-05"]
    assert rules.months_made_good("2025-06", "2025-06", closed) == []


def test_one_line_per_month_that_differs_arrears_or_recovery():
    due = {"2025-03": 1_010_000, "2025-02": 1_000_000, "2025-04": 990_000}
    paid = {"2025-02": 1_000_000, "2025-03": 1_000_000, "2025-04": 1_000_000}
    lines = rules.adjustment_lines(due, paid, "grade corrected")
    assert [(a.covers, a.amount, a.kind, a.clause) for a in lines] == [
        ("2025-03", 10_000, "arrears", "D-12"), ("2025-04", -10_000, "recovery", "D-12")]
    assert rules.adjustment_lines(paid, paid, "nothing changed") == []


def test_what_was_paid_and_the_year_so_far_as_made_good():
    # a payslip of 1,100 yuan carrying 100 of arrears for earlier months, made good by 50 since
    assert rules.paid_for(110_000, 10_000, 5_000) == 105_000
    made = {"2024-12": 9_999, "2025-01": 1_000, "2025-02": 2_000, "2025-03": 4_000}
    assert rules.year_so_far_made_good(500_000, made, "2025-03") == 503_000  # January and February of 2025 only
    assert rules.year_so_far_made_good(500_000, made, "2025-01") == 500_000


def test_arrears_are_paid_and_taxed_but_neither_insured_nor_counted_toward_the_floor():
    worker = rules.Earner("正职", 12, 8000, 5, months_before=2, paid_before=3_000_000, income_before=3_000_000,
                          contributions_before=600_000, tax_withheld_before=27_000)
    [plain] = rules.pool_payslips([worker], FIGURES)
    [made_good] = rules.pool_payslips([msgspec.structs.replace(worker, arrears=-78_000)], FIGURES)
    assert (made_good.arrears, made_good.gross) == (-78_000, plain.gross - 78_000)
    assert made_good.income_to_date == plain.income_to_date - 78_000  # D-13: income in the month it is paid
    assert 0 < made_good.income_tax < plain.income_tax
    assert made_good.net_pay == plain.net_pay - 78_000 + (plain.income_tax - made_good.income_tax)
    assert (made_good.contribution_base, made_good.worker_deductions, made_good.employer_total) == (
        plain.contribution_base, plain.worker_deductions, plain.employer_total)
    assert (made_good.paid_to_date, made_good.floor_top_up) == (plain.paid_to_date, plain.floor_top_up)
    assert made_good.total_cost == plain.total_cost - 78_000
    assert made_good.city_share + made_good.district_share == made_good.total_cost


# --- the wage contributions are declared on (D-14) ----------------------------------------------


def test_the_declared_wage_is_the_recorded_one_else_last_years_average_over_its_paid_days():
    assert rules.declared_wage(700_000, 2_521_103, 5_550) == 700_000  # recorded for the year
    # hired mid-October: 12 paid days, then two whole months (55.50 days), as features/hr/pay/contribution_base
    assert rules.declared_wage(None, 2_521_103, 5_550) == 988_000
    assert rules.declared_wage(None, 1, 200) == 11  # 10.875 fen, rounded half up
    assert rules.declared_wage(None, 0, 0) is None  # a new hire: the starting wage
    assert rules.declared_wage(None, 1_000, 1_000, rules.Proration(paid_days_centi=2_000)) == 2_000
