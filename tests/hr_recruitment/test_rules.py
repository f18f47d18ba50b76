"""The pure rules of issue 4: staffing, work funds, eligibility, scores, ranking, dates."""
from __future__ import annotations

from datetime import date

import msgspec
import pytest

from hr_service.recruitment import rules
from hr_service.recruitment.rules import (
    Applicant,
    PartyWorkFund,
    RecruitmentRule,
    Scored,
    WorkFundGrowth,
    WorkFundRule,
)
from hr_service.rules import StaffingRule
from shared.workdays import default_calendar

RULE = RecruitmentRule()


@pytest.mark.parametrize("households, members, base, party, quota, capped", [
    (0, 0, 0, 0, 0, False),
    (400, 0, 1, 0, 1, False),
    (401, 99, 2, 0, 2, False),
    (1200, 100, 3, 2, 5, False),
    (5200, 100, 13, 2, 15, False),
    (5201, 100, 14, 2, 15, True),
    (8000, 0, 20, 0, 15, True),
])
def test_staffing_quota_parts(households, members, base, party, quota, capped):
    st = rules.staffing(households, members, StaffingRule())
    assert (st.base, st.party_posts, st.quota, st.capped) == (base, party, quota, capped)


def test_work_fund_base_year_and_growth():
    f = rules.work_fund(2004, 1000, 50, WorkFundRule(), WorkFundGrowth(), PartyWorkFund(), StaffingRule())
    assert (f.city_fen, f.district_match_fen, f.party_committee_fen, f.party_members_fen) == (
        4_000_000, 4_000_000, 0, 50_000)
    assert f.total_fen == 8_050_000
    g = rules.work_fund(2006, 1000, 120, WorkFundRule(), WorkFundGrowth(), PartyWorkFund(), StaffingRule())
    assert g.per_100_households_fen == 441_000  # 4000 × 1.05²
    assert g.city_fen == 4_410_000 and g.district_match_fen == 4_410_000
    assert g.has_party_committee and g.party_committee_fen == 6_400_000 and g.party_members_fen == 120_000


def test_work_fund_rounds_to_the_fen_and_never_shrinks_before_base_year():
    per100, n = rules.per_100_households(2014, WorkFundRule(), WorkFundGrowth())
    assert n == 10 and per100 == 651_558  # 4000 × 1.05^10 = 6515.578…
    assert rules.per_100_households(2000, WorkFundRule(), WorkFundGrowth()) == (400_000, 0)
    f = rules.work_fund(2004, 950, 0, WorkFundRule(), WorkFundGrowth(), PartyWorkFund(), StaffingRule())
    assert f.city_fen == 3_800_000  # 9.5 hundreds of households


def applicant(born: str, education: str = "本科", certificates=(), records=(), hukou: str = "杭州市") -> Applicant:
    return Applicant(date.fromisoformat(born), education, list(certificates), hukou, list(records))


def test_age_in_whole_years():
    assert rules.age_on(date(1990, 3, 3), date(2025, 3, 2)) == 34
    assert rules.age_on(date(1990, 3, 3), date(2025, 3, 3)) == 35


def test_age_38_needs_a_certificate():
    as_of = date(2025, 3, 3)
    assert rules.eligibility(applicant("1986-06-01", certificates=["助理社会工作师"]), RULE, as_of) == []
    [r] = rules.eligibility(applicant("1986-06-01"), RULE, as_of)
    assert (r.code, r.field, r.clause) == ("too_old", "birth_date", "D-4") and "40" in r.reason
    [r] = rules.eligibility(applicant("1984-03-02", certificates=["社会工作师"]), RULE, as_of)  # 41
    assert r.code == "too_old"


def test_age_bounds_are_inclusive():
    as_of = date(2025, 3, 3)
    assert rules.eligibility(applicant("1989-03-04"), RULE, as_of) == []  # 35 the day before their 36th birthday
    assert [r.code for r in rules.eligibility(applicant("1989-03-03"), RULE, as_of)] == ["too_old"]  # 36 today
    assert rules.eligibility(applicant("2007-03-03"), RULE, as_of) == []  # 18 on the day
    assert [r.code for r in rules.eligibility(applicant("2007-03-04"), RULE, as_of)] == ["too_young"]


def test_every_refusal_is_listed():
    codes = [r.code for r in rules.eligibility(
        applicant("1980-01-01", education="高中", records=["criminal_record", "expelled_from_party"]),
        RULE, date(2025, 3, 3))]
    assert codes == ["too_old", "education_below_minimum", "disqualifying_record", "disqualifying_record"]


def test_household_registration_only_when_the_policy_asks():
    rule = msgspec.structs.replace(RULE, household_registration_prefixes=["浙江省杭州市"])
    assert [r.code for r in rules.eligibility(applicant("1995-01-01", hukou="江苏省南京市"), rule, date(2025, 3, 3))] \
        == ["household_registration"]
    assert rules.eligibility(applicant("1995-01-01", hukou="浙江省杭州市拱墅区"), rule, date(2025, 3, 3)) == []


def test_bonus_is_the_highest_certificate_only():
    assert rules.certificate_bonus(["助理社会工作师", "社会工作师"], RULE) == (15, "社会工作师")
    assert rules.certificate_bonus(["助理社会工作师"], RULE) == (10, "助理社会工作师")
    assert rules.certificate_bonus([], RULE) == (0, None)


def test_composite_is_weighted_in_hundredths():
    assert rules.composite(7000, 8000, 15, RULE) == 8250  # (70+15)/2 + 80/2
    assert rules.composite(8001, 7000, 0, RULE) == 7501  # 75.005 rounds half up
    weighted = msgspec.structs.replace(RULE, written_weight_bp=6000, interview_weight_bp=4000)
    assert rules.composite(9000, 8000, 0, weighted) == 8600


def test_weights_must_add_up():
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"written_weight_bp": 6000, "interview_weight_bp": 5000}, RecruitmentRule)


def test_ranking_ties_by_written_then_interview():
    r = rules.rank_post([
        Scored(1, 7500, 7000, 8000),  # composite tie, lower written
        Scored(2, 7500, 8000, 7000),
        Scored(3, 9000, 9000, 9000),
    ], 2)
    assert [(p.application_id, p.rank, p.selected) for p in r.placed] == [(3, 1, True), (2, 2, True), (1, 3, False)]
    assert r.tie_at_cutoff == []
    # equal composite and written (the bonus differs), the interview decides
    r = rules.rank_post([Scored(1, 7500, 7000, 7000), Scored(2, 7500, 7000, 8000)], 1)
    assert [(p.application_id, p.selected) for p in r.placed] == [(2, True), (1, False)]


def test_a_full_tie_across_the_last_place_is_reported():
    r = rules.rank_post([Scored(1, 8000, 8000, 8000), Scored(2, 8000, 8000, 8000), Scored(3, 9000, 9000, 9000)], 2)
    assert r.tie_at_cutoff == [1, 2]
    assert [p.rank for p in r.placed] == [1, 2, 2]
    # inside the places it is harmless
    r = rules.rank_post([Scored(1, 8000, 8000, 8000), Scored(2, 8000, 8000, 8000)], 2)
    assert r.tie_at_cutoff == [] and all(p.selected for p in r.placed)


def test_notice_end_and_probation():
    cal = default_calendar()
    assert rules.notice_ends_on(date(2025, 3, 3), 5, cal) == date(2025, 3, 7)
    assert rules.notice_ends_on(date(2025, 4, 30), 5, cal) == date(2025, 5, 9)  # 1-5 May off
    assert rules.probation_ends_on(date(2025, 3, 17), RULE) == date(2025, 9, 16)
    assert rules.probation_ends_on(date(2025, 8, 31), RULE) == date(2026, 2, 27)


def test_steps_in_order():
    assert rules.step_allowed("announced", "review")
    assert not rules.step_allowed("announced", "score")
    assert not rules.step_allowed("examining", "start_notice")
    assert not rules.step_allowed("ranked", "hire")
    assert set(rules.STEPS) == set(rules.STEP_NEEDS)


def test_seeds_cite_their_clauses():
    keys = {k.name: k for k in rules.POLICY_KEYS}
    assert {s.key: s.clause for s in rules.SEEDS} == {
        "work_fund": "S4-7a", "work_fund_growth": "S4-7b", "party_work_fund": "S4-7c", "recruitment": "D-4",
    }
    for s in rules.SEEDS:
        msgspec.convert(msgspec.to_builtins(s.value), keys[s.key].value_type)
