"""D-4's calendar: which step a campaign may take in which state, the length
of a 公示 in working days (D-10), and probation."""
from __future__ import annotations

from datetime import date, timedelta

from hr_service.recruitment.rules.recruitment import RecruitmentRule
from hr_service.recruitment.states import CampaignStatus, NoticeState
from shared.dates import add_months
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


def hire_from(ends_on: date) -> date:
    """D-4: the first day a candidate may be hired, the day after the notice ends."""
    return ends_on + timedelta(days=1)


def probation_ends_on(hired_on: date, rule: RecruitmentRule) -> date | None:
    """D-4 试用期: the last day of ``probation_months`` from the hire date."""
    if rule.probation_months <= 0:
        return None
    return add_months(hired_on, rule.probation_months) - timedelta(days=1)
