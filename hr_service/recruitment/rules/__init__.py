"""Recruitment, staffing and work funds: pure policy, no I/O, no clock.

Figures arrive as arguments read from the policy tables (``POLICY_KEYS``
below, seeded from docs/policy/CLAUSES.md); the staffing figures of
S4-1/S4-3/D-9 are HR's ``staffing`` key (``hr_service.rules.StaffingRule``).

``funds``: staffing quotas and work funds; ``recruitment``: D-4's figures and
eligibility; ``scores``: bonus, composite, ranking; ``steps``: the campaign's
steps, the notice, probation; ``hire``: hire readiness and what a hire
creates; ``postings``: secondments and exchanges. A step's "no" is a
``shared.errors.Refusal``.
"""
from __future__ import annotations

from datetime import date

from hr_service.recruitment.rules.funds import (
    PartyWorkFund,
    Staffing,
    WorkFund,
    WorkFundGrowth,
    WorkFundRule,
    has_party_committee,
    per_100_households,
    staffing,
    work_fund,
)
from hr_service.recruitment.rules.hire import (
    Candidate,
    Hire,
    HireDecision,
    NoticeTerm,
    Readiness,
    Room,
    Waiting,
    hire_decision,
    hire_readiness,
)
from hr_service.recruitment.rules.postings import (
    POSTING_KINDS,
    Period,
    PostedWorker,
    posting_refusal,
    transfer_free_on,
)
from hr_service.recruitment.rules.recruitment import (
    SOCIAL_WORK_CERTIFICATES,
    Applicant,
    Ineligibility,
    RecruitmentRule,
    age_on,
    eligibility,
)
from hr_service.recruitment.rules.scores import (
    HUNDREDTHS,
    Placed,
    Ranking,
    Scored,
    certificate_bonus,
    composite,
    rank_post,
    written_total,
)
from hr_service.recruitment.rules.steps import (
    STEP_NEEDS,
    STEPS,
    hire_from,
    notice_ends_on,
    notice_state,
    objection_window,
    probation_ends_on,
    resolution_date,
    step_allowed,
)
from hr_service.rules import CITY
from shared.errors import Refusal
from shared.policy import PolicyKey, PolicySeed

POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("work_fund", WorkFundRule, "S4-7a", "Community work fund per 100 households, district match (S4-7a)"),
    PolicyKey("work_fund_growth", WorkFundGrowth, "S4-7b", "Yearly growth of the work fund figure (S4-7b)"),
    PolicyKey("party_work_fund", PartyWorkFund, "S4-7c", "Party-committee and per-member party funds (S4-7c)"),
    PolicyKey("recruitment", RecruitmentRule, "D-4", "Open recruitment: eligibility, scores, notice, probation (D-4)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed("work_fund", CITY, date(2004, 1, 1), WorkFundRule(), "S4-7a",
               "S4-7a 按每百户4000元，区财政另按1:1的原则配套"),
    PolicySeed("work_fund_growth", CITY, date(2004, 1, 1), WorkFundGrowth(), "S4-7b",
               "S4-7b 以每年5个百分点的速度递增 (base year 2004, the year of the report)"),
    PolicySeed("party_work_fund", CITY, date(2004, 1, 1), PartyWorkFund(), "S4-7c",
               "S4-7c 建立党委的社区每年增加6.4万元；按每个党员每年10元"),
    PolicySeed("recruitment", CITY, date(2004, 1, 1), RecruitmentRule(), "D-4",
               "D-4 age 18-35 (40 with certificate), 大专+, +15/+10 bonus, 50/50, 5 working days, 6 months"),
]

__all__ = [
    "HUNDREDTHS", "POLICY_KEYS", "POSTING_KINDS", "SEEDS", "SOCIAL_WORK_CERTIFICATES", "STEPS", "STEP_NEEDS",
    "Applicant", "Candidate", "Hire", "HireDecision", "NoticeTerm", "PartyWorkFund", "Period", "Placed",
    "PostedWorker", "Ranking", "Readiness", "RecruitmentRule", "Ineligibility", "Room", "Scored", "Staffing",
    "Refusal", "Waiting", "WorkFund",
    "WorkFundGrowth", "WorkFundRule", "age_on", "certificate_bonus", "composite", "eligibility",
    "has_party_committee", "hire_decision", "hire_from", "hire_readiness", "notice_ends_on", "notice_state",
    "objection_window", "per_100_households", "posting_refusal", "probation_ends_on", "rank_post",
    "resolution_date", "staffing", "step_allowed",
    "transfer_free_on",
    "work_fund", "written_total",
]
