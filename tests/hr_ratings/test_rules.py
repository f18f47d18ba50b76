"""The pure rules of community ratings (S1-4) at their boundaries."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from hr_service.ratings import rules
from hr_service.ratings.rules import RatingRule, Scored
from hr_service.recruitment.rules import objection_window, resolution_date

RULE = RatingRule()


# --- the policy's figures ---------------------------------------------------------------


def test_the_seeded_rule_is_usable():
    assert rules.check_rule(RULE) is None


@pytest.mark.parametrize("criteria", [{"陈述": 40, "答辩": 59}, {"陈述": 40, "答辩": 61}, {"陈述": 0, "答辩": 100},
                                      {}, {"陈述": -10, "答辩": 110}])
def test_weights_must_be_positive_and_sum_to_100(criteria):
    refused = rules.check_rule(RatingRule(criteria=criteria))
    assert refused is not None and (refused.code, refused.status, refused.clause) == ("rating_policy_invalid", 409,
                                                                                      "S1-4")


def test_three_criteria_summing_to_100_are_fine():
    assert rules.check_rule(RatingRule(criteria={"陈述": 30, "答辩": 50, "材料": 20})) is None


@pytest.mark.parametrize("change", [
    {"pass_marks": {"规范": 60, "星级": 75}},  # a level without a pass mark
    {"pass_marks": {"规范": 60, "星级": 75, "花园": 101}},
    {"ladder": {"规范": "星级"}},  # leads upward
    {"ladder": {"金牌": "规范"}},
    {"trim_from": 2},
    {"min_reviewers": 0},
    {"notice_working_days": 0},
])
def test_unusable_figures_are_refused(change):
    assert rules.check_rule(RatingRule(**change)) is not None


def test_a_round_is_a_district_or_a_street():
    assert rules.round_jurisdiction("hangzhou.gongshu") is None
    assert rules.round_jurisdiction("hangzhou.gongshu.hushu") is None
    assert rules.round_jurisdiction("hangzhou").code == "rating_jurisdiction_level"


# --- applying -----------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "stars", "code"), [
    ("规范", None, None), ("花园", None, None), ("星级", 1, None), ("星级", 5, None),
    ("星级", None, "stars_required"), ("星级", 0, "stars_required"), ("星级", 6, "stars_required"),
    ("规范", 3, "stars_not_allowed"), ("金牌", None, "unknown_rating_level"),
])
def test_levels_and_stars(level, stars, code):
    refused = rules.check_level(level, stars, RULE)
    assert (refused.code if refused else None) == code


def test_the_ladder_needs_the_lower_level_from_an_earlier_year():
    assert rules.prerequisite("规范", 2025, [], RULE) is None
    assert rules.prerequisite("星级", 2025, [(2024, "规范")], RULE) is None
    assert rules.prerequisite("星级", 2025, [(2024, "花园")], RULE) is None  # a higher level counts
    same_year = rules.prerequisite("星级", 2025, [(2025, "规范")], RULE)
    assert same_year is not None and same_year.code == "rating_prerequisite" and same_year.status == 409
    assert rules.prerequisite("花园", 2025, [(2024, "规范")], RULE).extra == {"needs": "星级"}
    assert rules.prerequisite("花园", 2025, [(2023, "规范"), (2024, "星级")], RULE) is None


def test_no_ladder_lets_anyone_apply():
    assert rules.prerequisite("花园", 2025, [], RatingRule(ladder={})) is None


# --- scores -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "hundredths"), [(0, 0), (100, 10000), (85.5, 8550), (99.99, 9999), ("70", 7000)])
def test_scores_0_to_100_to_the_hundredth(value, hundredths):
    assert rules.parse_scores({"陈述": value, "答辩": 50}, RULE) == {"陈述": hundredths, "答辩": 5000}


@pytest.mark.parametrize("value", [-1, -0.01, 100.01, 101, 85.555, "x", None, True, float("nan")])
def test_scores_outside_0_to_100_are_refused(value):
    refused = rules.parse_scores({"陈述": value, "答辩": 50}, RULE)
    assert not isinstance(refused, dict)
    assert (refused.code, refused.field, refused.status) == ("score_out_of_range", "scores.陈述", 422)


@pytest.mark.parametrize("raw", [{"陈述": 50}, {"陈述": 50, "答辩": 50, "材料": 50}])
def test_every_criterion_and_only_those(raw):
    refused = rules.parse_scores(raw, RULE)
    assert not isinstance(refused, dict) and refused.code == "criteria_mismatch"


def test_a_mark_is_the_weighted_sum():
    assert rules.mark({"陈述": 8000, "答辩": 9000}, RULE.criteria) == 86
    assert rules.mark({"陈述": 9200, "答辩": 8800}, RULE.criteria) == Fraction(896, 10)


def test_the_highest_and_lowest_are_dropped_from_five_reviewers():
    marks = [Fraction(m) for m in (86, 76, 93, 66, 85)]
    assert rules.score(marks, 5) == Fraction(247, 3)
    assert rules.score(marks[:4], 5) == Fraction(86 + 76 + 93 + 66, 4)  # four: all count
    assert rules.score(marks, 0) == Fraction(406, 5)  # trimming off


def test_shown_scores_round_half_up():
    assert rules.points(Fraction(247, 3)) == Decimal("82.33")
    assert rules.points(Fraction(82345, 1000)) == Decimal("82.35")
    assert rules.points(Fraction(82344, 1000)) == Decimal("82.34")
    assert rules.points(Fraction(60)) == Decimal("60.00")


def test_missing_score_sheets():
    assert rules.missing_scores([1, 2], [7, 8], {(1, 7), (1, 8), (2, 7)}) == [(2, 8)]


# --- ranking ------------------------------------------------------------------------------


def test_ranked_per_level_equal_scores_share_a_rank():
    out = rules.rank([
        Scored(1, "规范", Fraction(70)), Scored(2, "规范", Fraction(80)), Scored(3, "规范", Fraction(70)),
        Scored(4, "规范", Fraction(60)), Scored(5, "星级", Fraction(74)), Scored(6, "花园", Fraction(85)),
    ], RULE)
    assert [(x.application_id, x.level, x.rank, x.passed) for x in out] == [
        (2, "规范", 1, True), (1, "规范", 2, True), (3, "规范", 2, True), (4, "规范", 4, True),
        (5, "星级", 1, False), (6, "花园", 1, True),
    ]


def test_the_pass_mark_is_exact():
    just_below = Fraction(5999999, 100000)
    out = rules.rank([Scored(1, "规范", just_below), Scored(2, "规范", Fraction(60))], RULE)
    assert {x.application_id: x.passed for x in out} == {1: False, 2: True}
    assert rules.points(just_below) == Decimal("60.00")  # shown as 60.00, yet below the mark


# --- the 公示 -------------------------------------------------------------------------------


def test_objections_only_during_the_notice():
    """The 公示's objection rules are recruitment's (D-4), citing S1-4 here."""
    starts, ends, today = date(2025, 4, 30), date(2025, 5, 9), date(2025, 6, 1)

    def window(lodged_on, as_of=today):
        refused = objection_window(starts, ends, lodged_on, as_of, clause=rules.CLAUSE)
        return None if refused is None else (refused.code, refused.status, refused.clause)

    assert window(starts) is None
    assert window(ends) is None
    assert window(date(2025, 5, 10)) == ("notice_not_running", 409, "S1-4")
    assert window(date(2025, 4, 29)) == ("notice_not_running", 409, "S1-4")
    assert window(ends, date(2025, 5, 8)) == ("date_in_future", 422, "S1-4")


def test_an_objection_is_resolved_from_its_lodging_to_today():
    lodged, today = date(2025, 5, 6), date(2025, 5, 20)
    for day in (lodged, today):
        assert resolution_date(lodged, day, today, clause=rules.CLAUSE) is None
    for day in (date(2025, 5, 5), date(2025, 5, 21)):
        refused = resolution_date(lodged, day, today, clause=rules.CLAUSE)
        assert refused is not None and (refused.code, refused.field, refused.clause) == ("bad_resolution_date",
                                                                                          "resolved_on", "S1-4")


def test_finalised_after_the_notice_with_no_open_objection():
    ends, today = date(2025, 5, 9), date(2025, 6, 1)
    assert rules.finalise_refusal(ends, 0, ends, today).code == "notice_not_ended"
    assert rules.finalise_refusal(ends, 0, date(2025, 5, 10), today) is None
    assert rules.finalise_refusal(ends, 1, date(2025, 5, 10), today).code == "objection_open"
    assert rules.finalise_refusal(ends, 0, date(2025, 6, 2), today).code == "date_in_future"


# --- statistics -----------------------------------------------------------------------------


def test_summary_groups_by_district_or_street():
    rows = [("hangzhou.gongshu.hushu", "规范", None), ("hangzhou.gongshu.hushu", "星级", 3),
            ("hangzhou.gongshu.mishixiang", "花园", None), ("hangzhou.gongshu", "规范", None),
            ("hangzhou.xihu.beishan", "星级", 4)]
    by_district = {u.unit: (u.counts, u.stars, u.total) for u in rules.summarise(rows, "district")}
    assert by_district == {
        "hangzhou.gongshu": ({"规范": 2, "星级": 1, "花园": 1}, {"3": 1}, 4),
        "hangzhou.xihu": ({"规范": 0, "星级": 1, "花园": 0}, {"4": 1}, 1),
    }
    by_street = [u.unit for u in rules.summarise(rows, "street")]
    assert by_street == ["(no street)", "hangzhou.gongshu.hushu", "hangzhou.gongshu.mishixiang",
                         "hangzhou.xihu.beishan"]  # a community in no street counts as every statistic counts it
