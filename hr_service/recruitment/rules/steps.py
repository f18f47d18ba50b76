"""D-4's calendar: which step a campaign may take in which state, the length
of a 公示 in working days (D-10), the dates of its objections, and probation.
The 公示 rules serve every notice HR runs (recruitment's D-4, the community
ratings' S1-4), each refusal citing the caller's clause."""
from __future__ import annotations

from datetime import date, timedelta

from hr_service.recruitment.rules.recruitment import RecruitmentRule
from hr_service.recruitment.states import CampaignStatus, NoticeState
from shared.dates import add_months
from shared.errors import Refusal, in_future
from shared.workdays import WorkCalendar

_A, _E, _R, _N = CampaignStatus.announced, CampaignStatus.examining, CampaignStatus.ranked, CampaignStatus.notice

STEPS: dict[str, tuple[CampaignStatus, ...]] = {
    "add_post": (_A,),
    "apply": (_A,),
    "review": (_A,),
    "score": (_E,),
    "withdraw": (_A, _E, _R, _N),
    "rank": (_E,),
    "check": (_R, _N),
    "start_notice": (_R, _N),
    "object": (_N,),
    "resolve": (_N,),
    "hire": (_N,),
    "cancel": (_A, _E, _R, _N),
}
"""The states in which each step may be taken."""

STEP_NEEDS = {
    "add_post": "before the eligibility review",
    "apply": "before the eligibility review",
    "review": "while the campaign is announced",
    "score": "after the eligibility review and before ranking",
    "withdraw": "while the campaign runs",
    "rank": "after the eligibility review, once scores are in",
    "check": "after ranking",
    "start_notice": "after ranking",
    "object": "during a public notice",
    "resolve": "during a public notice",
    "hire": "after a public notice has ended",
    "cancel": "while the campaign runs",
}


def step_allowed(state: str, step: str) -> bool:
    return state in STEPS[step]


def notice_ends_on(starts_on: date, working_days: int, cal: WorkCalendar) -> date:
    """D-4 公示 of N working days, counted on the D-10 calendar from ``starts_on``;
    the calendar refuses (``calendar_not_loaded``) a count reaching a year it lacks."""
    return cal.add_working_days(starts_on, working_days, field="starts_on")


def notice_state(starts_on: date, ends_on: date, as_of: date) -> NoticeState:
    """A notice is scheduled before its first day, running to its last, ended after."""
    if as_of < starts_on:
        return NoticeState.scheduled
    return NoticeState.running if as_of <= ends_on else NoticeState.ended


def objection_window(starts_on: date, ends_on: date, lodged_on: date, as_of: date, *, clause: str) -> Refusal | None:
    """An objection is lodged during the 公示 (its first day to its last), not after today."""
    if lodged_on > as_of:
        return Refusal.of(in_future("lodged_on", lodged_on, as_of, clause=clause))
    if not starts_on <= lodged_on <= ends_on:
        return Refusal("notice_not_running", f"The public notice ran from {starts_on} to {ends_on}; an objection "
                       f"of {lodged_on} is outside it.", f"公示期为{starts_on}至{ends_on}，{lodged_on}不在公示期内。",
                       "lodged_on", clause, 409)
    return None


def resolution_date(lodged_on: date, resolved_on: date, as_of: date, *, clause: str) -> Refusal | None:
    """An objection is resolved on a day from its lodging to today."""
    if lodged_on <= resolved_on <= as_of:
        return None
    return Refusal("bad_resolution_date", f"resolved_on must be between {lodged_on} and today.",
                   "处理日期须在异议提出之后、今天之前。", "resolved_on", clause)


def hire_from(ends_on: date) -> date:
    """D-4: the first day a candidate may be hired, the day after the notice ends."""
    return ends_on + timedelta(days=1)


def probation_ends_on(hired_on: date, rule: RecruitmentRule) -> date | None:
    """D-4 试用期: the last day of ``probation_months`` from the hire date."""
    if rule.probation_months <= 0:
        return None
    return add_months(hired_on, rule.probation_months) - timedelta(days=1)
