"""HR's pure rules, each on its own (no database, no clock)."""
from __future__ import annotations

from datetime import date

import msgspec
import pytest

from hr_service import rules
from hr_service.rules import (
    BonusPool,
    CostSplit,
    GradeBand,
    PayScale,
    StepRule,
    bonus_shares,
    contribution_base,
    contributions,
    floor_top_up,
    next_grade,
    service_allowance,
    split_cost,
)
from shared import idcard
from shared.dates import full_years

EFF = date(2025, 7, 1)
BAND = GradeBand(1, 12)


DEFAULT_RULE = StepRule()


def move(grade=3, assessments=None, rule=DEFAULT_RULE, hired_on=date(2020, 3, 1), last_step_on=None, band=BAND,
         effective_on=EFF):
    return next_grade(grade, band, assessments or {}, rule, effective_on=effective_on, hired_on=hired_on,
                      last_step_on=last_step_on)


# --- S4-10 the step --------------------------------------------------------------

@pytest.mark.parametrize("grade,outcome,to", [("优秀", "advanced", 4), ("合格", "advanced", 4),
                                              ("基本合格", "basic_pass", 3), ("不合格", "fail", 3)])
def test_step_follows_the_assessment_of_the_year_before(grade, outcome, to):
    m = move(assessments={2024: grade})
    assert (m.outcome, m.from_grade, m.to_grade) == (outcome, 3, to)


def test_top_of_band_stays():
    assert move(grade=12, assessments={2024: "优秀"}).outcome == "top_of_band"
    assert move(grade=12, assessments={2024: "优秀"}).to_grade == 12


def test_no_assessment_and_hired_after_the_assessment_year():
    assert move(assessments={2023: "合格"}).outcome == "no_assessment"  # an older one does not count
    assert move(hired_on=date(2025, 1, 2)).outcome == "hired_after_assessment_year"
    assert move(hired_on=date(2024, 12, 31)).outcome == "no_assessment"


def test_interval_of_two_years_and_the_early_step():
    two = StepRule(interval_years=2)
    assert move(assessments={2024: "合格", 2023: "合格"}, rule=two).outcome == "advanced"
    assert move(assessments={2024: "合格", 2023: "基本合格"}, rule=two).outcome == "interval_not_elapsed"
    assert move(assessments={2024: "合格", 2023: "合格"}, rule=two,
                last_step_on=date(2024, 7, 1)).outcome == "interval_not_elapsed"
    assert move(assessments={2024: "合格", 2023: "合格"}, rule=two,
                last_step_on=date(2023, 7, 1)).outcome == "advanced"
    early = StepRule(interval_years=2, early_step=True)
    assert move(assessments={2024: "优秀", 2023: "优秀"}, rule=early,
                last_step_on=date(2024, 7, 1)).outcome == "advanced"


def test_post_not_in_scale():
    assert move(band=None, assessments={2024: "合格"}).outcome == "post_not_in_scale"


def test_step_rule_checks_its_date():
    assert StepRule().falls_on(date(2025, 7, 1))
    assert not StepRule().falls_on(date(2025, 6, 30)) and not StepRule().falls_on(date(2025, 7, 2))
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"interval_years": 1, "month_day": "13-01"}, StepRule)


# --- D-2 the pay scale -------------------------------------------------------------

def test_pay_scale_shape_is_validated():
    with pytest.raises(msgspec.ValidationError, match="needs 12 amounts"):
        msgspec.convert({"posts": {"委员": {"low": 1, "high": 12, "amounts": [1] * 11}}}, PayScale)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"posts": {"委员": {"low": 5, "high": 2, "amounts": []}}}, PayScale)


def test_seeded_scales():
    s = rules.PAY_SCALE_2024
    assert (s.posts["正职"].low, s.posts["正职"].high) == (7, 18)
    assert (s.posts["副职"].low, s.posts["副职"].high) == (4, 15)
    assert (s.posts["委员"].low, s.posts["委员"].high) == (1, 12)
    assert rules.grade_pay(s, "委员", 1) == 700_000 and rules.grade_pay(s, "委员", 2) == 730_000
    assert rules.grade_pay(s, "正职", 7) == (7000 + 6 * 300 + 1600) * 100
    old = rules.PAY_SCALE_2002  # S4-9: 850 / 750 / 700 yuan + 100 welfare
    lowest = {p: old.posts[p].amount(old.posts[p].low) for p in old.posts}
    assert lowest == {"正职": 85000, "副职": 75000, "委员": 70000}
    assert old.welfare_fen == 10000


def test_starting_grade_counts_education_as_service():
    sg = rules.starting_grade("副职", 2, "硕士", rules.StartingGradeRule())
    assert sg.grade == 4 + 2 + 5 and "硕士" in sg.explanation
    assert rules.starting_grade("委员", 30, "博士", rules.StartingGradeRule()).grade == 12  # capped


# --- S4-12, S2-5 the bonus pool --------------------------------------------------------

def test_equal_scores_give_each_thirty_percent_of_own_grade_pay():
    pool, shares = bonus_shares([(700_000, 8000), (1_000_000, 8000)], BonusPool())
    assert pool == 510_000 and shares == [210_000, 300_000]


def test_better_scores_take_more_and_the_pool_is_paid_in_full():
    pool, shares = bonus_shares([(800_000, 9500), (800_000, 6000), (800_000, 8000)], BonusPool())
    # exact 291,063.83 / 183,829.79 / 245,106.38: two fen left over, to the two largest remainders
    assert pool == 720_000 and shares == [291_064, 183_830, 245_106] and sum(shares) == pool


def test_the_fen_left_over_go_to_the_largest_remainders_then_the_larger_weight_then_the_lower_id():
    # 684,000 shared 85 : 85 : 60 is 252,782.61 twice and 178,434.78: two fen left over
    members = [(760_000, 8500), (760_000, 8500), (760_000, 6000)]
    assert bonus_shares(members, BonusPool()) == (684_000, [252_783, 252_782, 178_435])
    assert bonus_shares(members, BonusPool(), ids=[9, 4, 7])[1] == [252_782, 252_783, 178_435]
    # 90 fen shared 50 : 60 : 90 is 22.5, 27 and 40.5: of the equal remainders, the larger weight's
    assert bonus_shares([(100, 5000), (100, 6000), (100, 9000)], BonusPool(), ids=[1, 2, 3]) == (90, [22, 27, 41])
    # one fen over three equal members (630,001 / 3): the lowest id takes it
    assert bonus_shares([(700_001, 8000)] * 3, BonusPool(), ids=[12, 10, 11]) == (630_001, [210_000, 210_001,
                                                                                          210_000])


def test_equal_scores_give_each_thirty_percent_give_or_take_a_fen():
    members = [(700_001, 8000), (730_003, 8000), (1_000_007, 8000)]
    pool, shares = bonus_shares(members, BonusPool())
    assert sum(shares) == pool and all(abs(s - g * 3 / 10) < 1 for s, (g, _) in zip(shares, members, strict=True))


def test_zero_scores_share_nothing():
    assert bonus_shares([(800_000, 0)], BonusPool()) == (240_000, [0])
    assert bonus_shares([(800_000, 0), (700_000, 0)], BonusPool()) == (450_000, [0, 0])  # nothing to share it by
    assert bonus_shares([(800_000, 0), (700_000, 5000)], BonusPool()) == (450_000, [0, 450_000])


# --- S0-2 the floor ---------------------------------------------------------------------

def test_floor_is_spread_evenly_and_caught_up_when_the_wage_rises():
    floor_a, floor_b = 12_000_000, 13_200_000  # 120,000 then 132,000 yuan a year
    paid, slips = 0, []
    for month in range(12):
        floor = floor_a if month < 6 else floor_b
        this = 800_000
        top = floor_top_up(floor, (month + 1) * 2175, paid, this)  # whole months: 21.75 paid days each
        slips.append(top)
        paid += this + top
    assert slips[0] == 200_000  # 1,000,000 a month is the floor
    assert slips[6] == 13_200_000 * 7 // 12 - 6_000_000 - 800_000  # July catches up Jan-Jun
    assert slips[7] == 300_000
    assert paid == 13_200_000


def test_no_top_up_above_the_floor():
    assert floor_top_up(12_000_000, 2175, 0, 1_500_000) == 0
    assert floor_top_up(12_000_000, 2 * 2175, 1_500_000, 600_000) == 0  # an earlier month above the floor carries


def test_a_part_month_has_its_part_of_the_floor():
    """S0-2, D-15: ten paid days of a 120,000-yuan floor: 1,000,000 × 10 / 21.75, rounded half up."""
    assert floor_top_up(12_000_000, 1000, 0, 0) == (1_000_000 * 1000 * 2 + 2175) // (2175 * 2) == 459_770


# --- S4-11, S0-2 insurance and the split -------------------------------------------------

def test_contributions_use_the_bounded_base():
    ins = rules.INSURANCE_SEED
    assert contribution_base(100_000, ins) == ins.floor_fen  # under the floor
    er, ee = contributions(contribution_base(100_000, ins), ins)
    assert er["pension"] == (ins.floor_fen * 1600 + 5000) // 10_000
    assert contribution_base(10_000_000, ins) == ins.ceiling_fen  # over the ceiling
    er, ee = contributions(contribution_base(10_000_000, ins), ins)
    assert ee["housing_fund"] == (ins.ceiling_fen * 1200 + 5000) // 10_000


def test_city_and_district_halves_add_up():
    assert split_cost(1_000_001, CostSplit()) == (500_001, 500_000)
    assert sum(split_cost(12_345, CostSplit(city_bp=3333))) == 12_345


# --- D-3 allowances ---------------------------------------------------------------------

def test_service_bands_and_full_years():
    a = rules.ALLOWANCES_SEED
    assert [service_allowance(y, a) for y in (0, 4, 5, 9, 10, 25)] == [0, 0, 10_000, 10_000, 20_000, 40_000]
    assert full_years(date(2020, 7, 1), date(2025, 6, 30)) == 4
    assert full_years(date(2020, 7, 1), date(2025, 7, 1)) == 5
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"certificate": {}, "service_bands": [{"from_years": 5, "monthly_fen": 1}]}, rules.Allowances)


def test_visits_under_the_minimum_are_flagged_only_on_the_rolls():
    visits = [25, 10, 25, 19, 20, 0, 0, 0, 0, 0, 0, 0]
    assert rules.months_below_minimum(visits, rules.AssessmentRule(), range(1, 6)) == [2, 4]


def test_every_seed_is_a_valid_version():
    keys = {k.name: k for k in rules.POLICY_KEYS}
    for seed in rules.SEEDS:
        msgspec.convert(msgspec.to_builtins(seed.value), keys[seed.key].value_type)
        assert seed.clause


# --- GB 11643 resident ID numbers ----------------------------------------------------------

def test_id_numbers():
    n = idcard.make("330105", date(1990, 1, 1), 123)
    p = idcard.parse(n)
    assert p.birth_date == date(1990, 1, 1) and p.sex == "M" and p.address_code == "330105"
    assert idcard.parse("11010519491231002X").birth_date == date(1949, 12, 31)  # the standard's own example
    assert idcard.parse("11010519491231002x").number.endswith("X")
    for bad, code in [("330105199001011234", "id_number_check_digit"), ("33010519900101123", "id_number_format"),
                      ("330105199002301230", "id_number_birth_date"), ("990105199001011230", "id_number_region"),
                      ("33010519900101123A", "id_number_format")]:
        with pytest.raises(idcard.InvalidIdNumber) as e:
            idcard.parse(bad)
        assert e.value.code == code, bad
    with pytest.raises(idcard.InvalidIdNumber):
        idcard.parse(idcard.make("330105", date(2030, 1, 1), 1), as_of=date(2025, 1, 1))


# --- the pieces the set-based runs read from the rules ------------------------------------

def test_step_cutoff_is_the_interval_back_and_29_february_falls_to_28():
    assert rules.step_cutoff(date(2025, 7, 1), 1) == date(2024, 7, 1)
    assert rules.step_cutoff(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert rules.step_cutoff(date(2024, 2, 29), 4) == date(2020, 2, 29)
    two = StepRule(interval_years=2)
    for last, outcome in ((date(2023, 6, 30), "advanced"), (date(2023, 7, 1), "advanced"),
                          (date(2023, 7, 2), "interval_not_elapsed")):
        assert move(assessments={2024: "合格", 2023: "合格"}, rule=two, last_step_on=last).outcome == outcome


def test_assessment_year_its_end_and_the_years_read():
    assert (rules.assessment_year(EFF), rules.assessment_year_end(EFF)) == (2024, date(2024, 12, 31))
    assert rules.first_year_read(EFF, 1) == 2023  # the early step reads two years
    assert rules.first_year_read(EFF, 3) == 2022


def test_hired_on_the_last_day_of_the_assessment_year_or_the_day_after():
    assert move(hired_on=date(2024, 12, 31)).outcome == "no_assessment"
    assert move(hired_on=date(2025, 1, 1)).outcome == "hired_after_assessment_year"


def test_early_step_needs_both_years_excellent():
    early = StepRule(interval_years=2, early_step=True)
    recent = date(2024, 7, 1)
    assert rules.interval_elapsed({2024: "优秀", 2023: "优秀"}, early, EFF, recent)
    assert not rules.interval_elapsed({2024: "优秀", 2023: "合格"}, early, EFF, recent)
    assert not rules.interval_elapsed({2024: "优秀"}, early, EFF, recent)
    assert not rules.interval_elapsed({2024: "优秀", 2023: "优秀"}, StepRule(interval_years=2), EFF, recent)


def test_step_date_refusal():
    assert rules.step_date_refusal(None, EFF).code == "no_step_rule"
    for day in (date(2025, 6, 30), date(2025, 7, 2)):
        r = rules.step_date_refusal(StepRule(), day)
        assert (r.code, r.field, r.clause, r.status) == ("not_step_date", "effective_on", "S4-10", 422)
    assert rules.step_date_refusal(StepRule(), EFF) is None
    assert rules.step_date_refusal(StepRule(month_day="02-29"), date(2024, 2, 29)) is None


def test_bands_and_amounts_of_a_table():
    s = rules.PAY_SCALE_2024
    assert rules.band_of(s, "副职") == GradeBand(4, 15) and rules.band_of(s, "主任") is None
    assert [rules.pays(s, "委员", g) for g in (0, 1, 12, 13)] == [False, True, True, False]
    assert not rules.pays(s, "主任", 1)


# --- on the rolls, service, score and allowances ---------------------------------------------

def test_on_the_rolls_during_a_period():
    first, last = date(2025, 3, 1), date(2025, 3, 31)
    assert rules.on_rolls_during(date(2025, 3, 31), None, first, last)
    assert not rules.on_rolls_during(date(2025, 4, 1), None, first, last)
    assert rules.on_rolls_during(date(2020, 1, 1), date(2025, 3, 1), first, last)  # the last day is on the rolls
    assert not rules.on_rolls_during(date(2020, 1, 1), date(2025, 2, 28), first, last)
    assert rules.on_rolls_during(EFF, EFF, EFF, EFF)


def test_service_years_count_the_anniversary_on_its_day():
    assert rules.service_years(3, date(2020, 7, 1), date(2025, 6, 30)) == 3 + 4
    assert rules.service_years(3, date(2020, 7, 1), date(2025, 7, 1)) == 3 + 5
    assert rules.service_years(0, date(2020, 2, 29), date(2025, 2, 28)) == 4  # 29 February's on 1 March
    assert rules.service_years(0, date(2020, 2, 29), date(2025, 3, 1)) == 5
    assert rules.service_years(0, date(2020, 2, 29), date(2024, 2, 29)) == 4


def test_performance_score_is_the_latest_before_the_year():
    rule = BonusPool(default_score=70)
    assert rules.performance_score({2023: 9000, 2024: 6000, 2025: 10000}, 2025, rule) == 6000
    assert rules.performance_score({2022: 9000, 2025: 10000}, 2025, rule) == 9000
    assert rules.performance_score({2025: 10000}, 2025, rule) == 7000


def test_certificate_allowance_pays_the_highest_known_level():
    a = rules.ALLOWANCES_SEED
    assert rules.certificate_allowance(["助理社会工作师", "社会工作师"], a) == 40_000
    assert rules.certificate_allowance(["心理咨询师"], a) == 0
    assert rules.certificate_allowance([], a) == 0


def test_floor_to_date_rounds_half_up():
    assert rules.floor_to_date(12_000_000, 2175) == 1_000_000
    assert rules.floor_to_date(6, 2175) == 1 and rules.floor_to_date(5, 2175) == 0  # 0.5 up, 0.4167 down


# --- a pool's payslips ------------------------------------------------------------------------

FIGURES = rules.PayFigures(scale=rules.PAY_SCALE_2024, insurance=rules.INSURANCE_SEED, split=CostSplit(),
                           bonus=BonusPool(), allowances=rules.ALLOWANCES_SEED, wage=rules.AverageWage(2024, 0))


def test_pool_payslips_add_up():
    members = [rules.Earner("委员", 1, 8000, 5, certificate_allowance=40_000),
               rules.Earner("正职", 7, 8000, 0, talent_allowance=100_000, months_before=2, paid_before=1)]
    a, b = rules.pool_payslips(members, FIGURES)
    assert (a.grade_pay, a.bonus_share, a.service_allowance) == (700_000, 210_000, 10_000)  # S4-12 30%, D-3
    assert a.bonus_pool == b.bonus_pool == 210_000 + (7000 + 6 * 300 + 1600) * 100 * 3 // 10
    assert a.gross == 700_000 + 210_000 + 40_000 + 10_000 and a.floor_top_up == 0
    assert (b.months_to_date, b.paid_before, b.paid_to_date) == (3, 1, 1 + b.gross)
    for s in (a, b):
        assert s.employer_total == sum(getattr(s, f"er_{k}") for k in rules.INSURANCES)
        assert s.net_pay == s.gross - s.worker_deductions - s.income_tax
        assert s.total_cost == s.gross + s.employer_total
        assert s.city_share + s.district_share == s.total_cost


def test_before_their_first_versions_there_is_no_pool_allowance_or_floor():
    f = rules.PayFigures(scale=rules.PAY_SCALE_2002, insurance=rules.INSURANCE_SEED, split=CostSplit())
    [s] = rules.pool_payslips([rules.Earner("正职", 9, 8000, 10, certificate_allowance=0)], f)
    assert (s.grade_pay, s.welfare, s.bonus_share, s.service_allowance, s.floor_top_up) == (85_000, 10_000, 0, 0, 0)
    assert s.gross == 95_000  # S4-9


def test_payslip_lines_are_the_stored_columns():
    """The payslip table stores the facts and every amount of ``rules.PayLines``, and nothing else."""
    from hr_service import pay
    from hr_service.tables import Payslip

    assert set(Payslip.__table__.columns.keys()) == {"id", "run_id", "month", *pay.COLUMNS}


# --- when a month may be run (S0-2) -----------------------------------------------------------

def test_pay_run_refusals():
    gs, city, xh = "hangzhou.gongshu", "hangzhou", "hangzhou.xihu"
    draft, closed = rules.MonthRun(1, gs, "draft"), rules.MonthRun(2, gs, "closed")
    assert rules.pay_run_refusal(gs, "2025-05", [draft]) is None
    assert rules.run_to_recompute(gs, [draft]) == draft and rules.run_to_recompute(xh, [draft]) is None
    assert rules.pay_run_refusal(xh, "2025-05", [draft, closed]) is None  # another district's
    for mine in (gs, city):
        r = rules.pay_run_refusal(mine, "2025-05", [closed])
        assert (r.code, r.field, r.status, r.clause) == ("month_closed", "month", 409, "S0-2")
    r = rules.pay_run_refusal(city, "2025-05", [draft])
    assert (r.code, r.field, r.status) == ("overlapping_pay_run", "jurisdiction", 409)
