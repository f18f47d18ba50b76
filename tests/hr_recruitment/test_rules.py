"""The pure rules of issue 4: staffing, work funds, eligibility, scores, ranking,
dates; hire readiness and postings at each of their boundaries."""
from __future__ import annotations

from datetime import date, timedelta

import msgspec
import pytest

from hr_service.recruitment import rules
from hr_service.recruitment.rules import (
    Applicant,
    Candidate,
    NoticeTerm,
    PartyWorkFund,
    Period,
    PostedWorker,
    Readiness,
    RecruitmentRule,
    Refusal,
    Room,
    Scored,
    WorkFundGrowth,
    WorkFundRule,
)
from hr_service.rules import StaffingRule
from shared.calendar import shipped_calendar
from shared.errors import Conflict, Invalid
from shared.workdays import WorkCalendar

SHIPPED = WorkCalendar.of(shipped_calendar().years.values())  # the published arrangements (D-10)

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
    cal = SHIPPED
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


# --- hire readiness (D-4 录用, D-10, S4-1) ---------------------------------------

TODAY = date(2025, 12, 31)


def chosen(app_id: int, notice_id: int | None = 1, community: str = "GS001", post: str = "委员") -> Candidate:
    return Candidate(app_id, notice_id, community, post, "本科", 2)


def notice(starts: str, ends: str | None = None, notice_id: int = 1, open_objections: int = 0) -> NoticeTerm:
    starts_on = date.fromisoformat(starts)
    ends_on = date.fromisoformat(ends) if ends else rules.notice_ends_on(starts_on, 5, SHIPPED)
    return NoticeTerm(notice_id, starts_on, ends_on, 5, open_objections)


def ready_on(hired_on: str, candidates, notices, as_of: date = TODAY):
    return rules.hire_readiness(candidates, notices, date.fromisoformat(hired_on), as_of)


def refusal_code(result) -> str | None:
    return result.code if isinstance(result, Refusal) else None


@pytest.mark.parametrize("hired_on, code", [
    ("2025-03-13", "notice_not_ended"),  # the day before the notice ends
    ("2025-03-14", "notice_not_ended"),  # its last day
    ("2025-03-15", None),  # the day after: hire_from
])
def test_hire_waits_for_the_notice_to_end(hired_on, code):
    r = ready_on(hired_on, [chosen(1)], [notice("2025-03-10", "2025-03-14")])
    assert refusal_code(r) == code
    if code:
        assert (r.status, r.field, r.clause) == (409, "hired_on", "D-4")
        assert r.extra == {"notice_id": 1, "ends_on": "2025-03-14"}
    else:
        assert [c.application_id for c in r.ready] == [1] and r.waiting == []
    assert rules.hire_from(date(2025, 3, 14)) == date(2025, 3, 15)


@pytest.mark.parametrize("starts, ends, last_day", [
    ("2025-04-30", "2025-05-09", "2025-05-09"),  # runs over the May Day holiday
    ("2025-10-01", "2025-10-14", "2025-10-14"),  # starts on a holiday, the make-up Saturday counts
    ("2025-09-26", "2025-10-09", "2025-10-09"),  # ends after the National Day holiday
])
def test_a_notice_over_holidays_ends_by_the_d10_calendar(starts, ends, last_day):
    n = notice(starts)
    assert n.ends_on == date.fromisoformat(ends)
    assert refusal_code(ready_on(last_day, [chosen(1)], [n])) == "notice_not_ended"
    after = (date.fromisoformat(last_day) + timedelta(days=1)).isoformat()
    assert isinstance(ready_on(after, [chosen(1)], [n]), Readiness)


@pytest.mark.parametrize("offset, code", [(-1, None), (0, None), (1, "date_in_future")])
def test_the_hire_date_is_not_after_today(offset, code):
    as_of = date(2025, 3, 17)
    hired_on = as_of + timedelta(days=offset)
    r = rules.hire_readiness([chosen(1)], [notice("2025-03-10", "2025-03-14")], hired_on, as_of)
    assert refusal_code(r) == code
    if code:
        assert (r.status, r.field) == (422, "hired_on") and isinstance(r.problem(), Invalid)


def test_an_open_objection_holds_the_notice_and_a_resolved_one_does_not():
    r = ready_on("2025-03-17", [chosen(1)], [notice("2025-03-10", "2025-03-14", open_objections=1)])
    assert (refusal_code(r), r.field, r.clause) == ("objection_open", "objections", "D-4")
    assert isinstance(r.problem(), Conflict)
    r = ready_on("2025-03-17", [chosen(1)], [notice("2025-03-10", "2025-03-14", open_objections=0)])
    assert [c.application_id for c in r.ready] == [1]


def test_the_ready_are_hired_and_the_others_wait_with_their_reason():
    notices = [notice("2025-03-10", "2025-03-14", 1), notice("2025-03-10", "2025-03-14", 2, open_objections=1),
               notice("2025-03-17", "2025-03-21", 3)]
    r = ready_on("2025-03-18", [chosen(1, 1), chosen(2, 2), chosen(3, 3), chosen(4, None)], notices)
    assert [c.application_id for c in r.ready] == [1]
    assert [(w.application_id, w.reason) for w in r.waiting] == [
        (2, "public notice 2 has an open objection"),
        (3, "public notice 3 runs until 2025-03-21"),
        (4, "no public notice yet"),
    ]


def test_with_nobody_ready_a_running_notice_is_named_before_an_objection():
    notices = [notice("2025-03-10", "2025-03-14", 1, open_objections=1), notice("2025-03-17", "2025-03-21", 2)]
    r = ready_on("2025-03-18", [chosen(1, 1), chosen(2, 2)], notices)
    assert refusal_code(r) == "notice_not_ended" and r.extra["notice_id"] == 2
    assert refusal_code(ready_on("2025-03-18", [chosen(1, None)], notices)) == "nobody_to_hire"
    assert refusal_code(ready_on("2025-03-18", [], notices)) == "nobody_to_hire"


def readiness(*candidates: Candidate) -> Readiness:
    return Readiness(list(candidates), [])


def room(headcount: int, quota: int = 3, code: str = "GS001") -> Room:
    return Room(code, "hangzhou.gongshu", quota, headcount)


@pytest.mark.parametrize("headcount, code", [(1, None), (2, None), (3, "quota_full")])
def test_the_last_vacancy_can_be_filled_and_not_one_more(headcount, code):
    r = rules.hire_decision(readiness(chosen(1)), {"GS001": room(headcount)}, date(2025, 3, 17), RULE)
    assert refusal_code(r) == code
    if code:
        assert (r.status, r.field, r.clause) == (409, "community_code", "S4-1")
        assert (r.extra["community_code"], r.extra["quota"], r.extra["headcount"]) == ("GS001", 3, 3)


def test_two_candidates_for_one_vacancy_are_refused_together():
    two = readiness(chosen(1), chosen(2))
    r = rules.hire_decision(two, {"GS001": room(2)}, date(2025, 3, 17), RULE)
    assert refusal_code(r) == "quota_full" and r.extra["adding"] == 2
    assert refusal_code(rules.hire_decision(two, {"GS001": room(1)}, date(2025, 3, 17), RULE)) is None


def test_a_decision_says_what_the_hire_creates():
    ready = readiness(chosen(1, community="GS002", post="副职"), chosen(2))
    assert ready.communities() == ["GS001", "GS002"]
    rooms = {"GS001": room(0), "GS002": Room("GS002", "hangzhou.gongshu.x", 2, 0)}
    d = rules.hire_decision(ready, rooms, date(2025, 8, 31), RULE)
    assert (d.hired_on, d.probation_ends_on, d.status) == (date(2025, 8, 31), date(2026, 2, 27), "probation")
    assert [(h.application_id, h.community_code, h.jurisdiction, h.post, h.education, h.service_years)
            for h in d.hires] == [(1, "GS002", "hangzhou.gongshu.x", "副职", "本科", 2),
                                  (2, "GS001", "hangzhou.gongshu", "委员", "本科", 2)]
    no_probation = msgspec.structs.replace(RULE, probation_months=0)
    assert rules.hire_decision(ready, rooms, date(2025, 8, 31), no_probation).probation_ends_on is None


# --- postings (S3-8, S4-8, D-4) -----------------------------------------------------

HIRED = PostedWorker(7, date(2024, 3, 1))


def posting(kind="secondment", starts="2027-03-01", ends=None, worker=HIRED, others=(), rule=RULE):
    return rules.posting_refusal(kind, date.fromisoformat(starts), date.fromisoformat(ends) if ends else None,
                                 worker, list(others), rule)


def test_a_posting_is_for_a_worker_on_the_rolls():
    r = posting(worker=PostedWorker(7, date(2024, 3, 1), True, date(2025, 1, 31)))
    assert (r.code, r.status, r.clause) == ("worker_left", 409, "S4-8")


@pytest.mark.parametrize("starts, ends, code", [
    ("2024-02-29", None, "before_hire"), ("2024-03-01", None, None),
    ("2024-05-01", "2024-04-30", "ends_before_start"), ("2024-05-01", "2024-05-01", None),
])
def test_a_posting_lies_after_the_hire_and_within_itself(starts, ends, code):
    r = posting(starts=starts, ends=ends)
    assert refusal_code(r) == code
    if code:
        assert (r.status, r.clause) == (422, "S4-8")


@pytest.mark.parametrize("hired, starts, code", [
    ("2024-03-01", "2027-02-28", "no_transfer_period"),
    ("2024-03-01", "2027-03-01", None),
    ("2024-02-29", "2027-02-27", "no_transfer_period"),
    ("2024-02-29", "2027-02-28", None),  # three years from 29 February end on the 28th
])
def test_no_exchange_in_the_three_years_after_the_hire(hired, starts, code):
    worker = PostedWorker(7, date.fromisoformat(hired))
    r = posting("exchange", starts, worker=worker)
    assert refusal_code(r) == code
    if code:
        assert (r.field, r.clause) == ("starts_on", "D-4")
    assert refusal_code(posting("secondment", starts, worker=worker)) is None


@pytest.mark.parametrize("starts, ends, code", [
    ("2024-08-31", None, "posting_overlaps"), ("2024-09-01", "2024-12-31", None),
    ("2024-01-01", "2024-03-01", "posting_overlaps"), ("2024-03-01", "2024-02-29", "ends_before_start"),
])
def test_postings_do_not_overlap(starts, ends, code):
    others = [Period(1, date(2024, 3, 1), date(2024, 8, 31))]
    worker = PostedWorker(7, date(2020, 3, 1))
    assert refusal_code(posting("secondment", starts, ends, worker=worker, others=others)) == code
    open_ended = [Period(2, date(2025, 1, 1))]
    assert refusal_code(posting("secondment", "2030-01-01", worker=worker, others=open_ended)) == "posting_overlaps"
