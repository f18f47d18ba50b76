"""Recruitment, staffing and work funds: pure policy, no I/O, no clock.

Figures arrive as arguments read from the policy tables (``POLICY_KEYS``
below, seeded from ../shared/policy/CLAUSES.md); the staffing figures of
S4-1/S4-3/D-9 are HR's ``staffing`` key (``hr_service.rules.StaffingRule``).
"""
from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from fractions import Fraction

import msgspec

from hr_service.rules import CITY, StaffingRule, staffing_quota
from shared.money import BP, Fen, apply_bp, round_half_up
from shared.policy import PolicyKey, PolicySeed
from shared.workdays import WorkCalendar

# --- staffing (S4-1, S4-3, D-9) ----------------------------------------------


class Staffing(msgspec.Struct, frozen=True):
    """How a community's quota is made up, part by part."""

    households: int
    party_members: int
    households_per_worker: int
    base: int  # S4-1: ceil(households / households_per_worker)
    party_posts: int  # S4-3: posts for a party committee
    cap: int  # D-9
    capped: bool
    quota: int


def staffing(households: int, party_members: int, rule: StaffingRule) -> Staffing:
    """S4-1 每400户左右有一名社区工作者, S4-3 拥有100名以上党员的社区…配两名专职党务干部,
    D-9 at most ``cap`` in one community. The total is ``staffing_quota``'s."""
    base = -(-households // rule.households_per_worker)
    party = rule.party_posts if party_members >= rule.party_members_threshold else 0
    quota = staffing_quota(households, party_members, rule)
    return Staffing(households, party_members, rule.households_per_worker, base, party, rule.cap,
                    base + party > rule.cap, quota)


def has_party_committee(party_members: int, rule: StaffingRule) -> bool:
    """S4-3 对拥有100名以上党员的社区建立社区党委."""
    return party_members >= rule.party_members_threshold


# --- work funds (S4-7a, S4-7b, S4-7c) ----------------------------------------


class WorkFundRule(msgspec.Struct, frozen=True):
    """S4-7a 社区年工作经费…按每百户4000元…区财政另按1:1的原则配套."""

    per_100_households_fen: Fen = 400_000
    district_match_bp: int = BP  # 1:1


class WorkFundGrowth(msgspec.Struct, frozen=True):
    """S4-7b 并以每年5个百分点的速度递增: compounding from ``base_year``."""

    base_year: int = 2004
    growth_bp: int = 500


class PartyWorkFund(msgspec.Struct, frozen=True):
    """S4-7c 建立党委的社区每年增加6.4万元的社区党务工作经费…按每个党员每年10元的标准."""

    committee_fund_fen: Fen = 6_400_000
    per_member_fen: Fen = 1_000


class WorkFund(msgspec.Struct, frozen=True):
    """A community's work fund for one year, part by part (all fen)."""

    year: int
    households: int
    party_members: int
    per_100_households_fen: Fen  # the S4-7a figure grown to ``year`` (S4-7b)
    years_grown: int
    city_fen: Fen  # S4-7a city part
    district_match_fen: Fen  # S4-7a district's 1:1 match
    has_party_committee: bool
    party_committee_fen: Fen  # S4-7c
    party_members_fen: Fen  # S4-7c per member
    total_fen: Fen


def per_100_households(year: int, fund: WorkFundRule, growth: WorkFundGrowth) -> tuple[Fen, int]:
    """S4-7b: the per-100-household figure of ``year``, grown ``growth_bp`` a year,
    compounding from the base year (no growth before it). Rounded half-up to the fen."""
    n = max(0, year - growth.base_year)
    factor = Fraction(BP + growth.growth_bp, BP) ** n
    return round_half_up(fund.per_100_households_fen * factor), n


def work_fund(
    year: int, households: int, party_members: int, fund: WorkFundRule, growth: WorkFundGrowth,
    party: PartyWorkFund, staffing_rule: StaffingRule,
) -> WorkFund:
    """S4-7a/b/c: city part per 100 households (grown from its base year),
    matched by the district; plus the party-committee fund where the community
    has a committee (S4-3) and the per-member party fund."""
    per100, n = per_100_households(year, fund, growth)
    city = round_half_up(Fraction(per100 * households, 100))
    district = apply_bp(city, fund.district_match_bp)
    committee = has_party_committee(party_members, staffing_rule)
    committee_fen = party.committee_fund_fen if committee else 0
    members_fen = party.per_member_fen * party_members
    return WorkFund(year, households, party_members, per100, n, city, district, committee, committee_fen,
                    members_fen, city + district + committee_fen + members_fen)


# --- recruitment (D-4, S3-6) ---------------------------------------------------

SOCIAL_WORK_CERTIFICATES = ("助理社会工作师", "社会工作师", "高级社会工作师")


class RecruitmentRule(msgspec.Struct, frozen=True):
    """D-4 公开招考: eligibility (age 18-35, up to 40 with a social-work
    certificate; 大专 or above; no disqualifying record), bonus points for
    certificates (highest only), composite weights, notice length in working
    days (D-10), probation and the no-transfer period."""

    min_age: int = 18
    max_age: int = 35
    max_age_with_certificate: int = 40
    age_extending_certificates: list[str] = msgspec.field(default_factory=lambda: list(SOCIAL_WORK_CERTIFICATES))
    education_levels: dict[str, int] = msgspec.field(default_factory=lambda: {
        "初中": 1, "高中": 2, "中专": 2, "大专": 3, "本科": 4, "硕士": 5, "博士": 6,
    })
    min_education: str = "大专"
    disqualifying_records: dict[str, str] = msgspec.field(default_factory=lambda: {
        "criminal_record": "受过刑事处罚",
        "expelled_from_party": "被开除中国共产党党籍",
        "dismissed_from_public_office": "被开除公职",
        "exam_misconduct": "在招录考试中有舞弊等严重违纪行为",
    })
    household_registration_prefixes: list[str] = msgspec.field(default_factory=list)  # empty: any
    certificate_bonus: dict[str, int] = msgspec.field(default_factory=lambda: {
        "助理社会工作师": 10, "社会工作师": 15, "高级社会工作师": 15,
    })
    max_score: int = 100
    written_weight_bp: int = 5_000
    interview_weight_bp: int = 5_000
    notice_working_days: int = 5
    probation_months: int = 6
    no_transfer_years: int = 3

    def __post_init__(self) -> None:
        if self.written_weight_bp + self.interview_weight_bp != BP:
            raise ValueError("written_weight_bp + interview_weight_bp must be 10000")
        if self.min_education not in self.education_levels:
            raise ValueError("min_education must be one of education_levels")
        if self.notice_working_days < 1:
            raise ValueError("notice_working_days must be at least 1")


class Applicant(msgspec.Struct, frozen=True):
    birth_date: date
    education: str
    certificates: list[str]
    household_registration: str
    record_flags: list[str]


class Refusal(msgspec.Struct, frozen=True):
    """One reason an applicant is not eligible, with the field and clause."""

    code: str
    field: str
    clause: str
    reason: str
    reason_zh: str


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years (周岁) on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def eligibility(applicant: Applicant, rule: RecruitmentRule, as_of: date) -> list[Refusal]:
    """D-4 (S3-6 年龄结构、文化层次): every reason the applicant is refused, none
    when eligible. Age is counted on ``as_of`` (the campaign's announcement)."""
    refusals: list[Refusal] = []
    age = age_on(applicant.birth_date, as_of)
    certified = any(c in rule.age_extending_certificates for c in applicant.certificates)
    if age < rule.min_age:
        refusals.append(Refusal(
            "too_young", "birth_date", "D-4",
            f"Aged {age} on {as_of}; the minimum age is {rule.min_age}.",
            f"截至{as_of}年龄{age}周岁，低于{rule.min_age}周岁。",
        ))
    limit = rule.max_age_with_certificate if certified else rule.max_age
    if age > limit:
        if certified:
            en = f"Aged {age} on {as_of}; the maximum age is {limit} with a social-work certificate."
            zh = f"截至{as_of}年龄{age}周岁，持社会工作者职业资格证书者不超过{limit}周岁。"
        else:
            en = (f"Aged {age} on {as_of}; the maximum age is {rule.max_age}, "
                  f"or {rule.max_age_with_certificate} with a social-work certificate.")
            zh = f"截至{as_of}年龄{age}周岁，超过{rule.max_age}周岁（持社会工作者职业资格证书者可放宽至{rule.max_age_with_certificate}周岁）。"
        refusals.append(Refusal("too_old", "birth_date", "D-4", en, zh))
    level = rule.education_levels.get(applicant.education, 0)
    if level < rule.education_levels[rule.min_education]:
        refusals.append(Refusal(
            "education_below_minimum", "education", "D-4",
            f"Education {applicant.education} is below the minimum, {rule.min_education}.",
            f"学历“{applicant.education}”低于{rule.min_education}。",
        ))
    for flag in applicant.record_flags:
        if flag in rule.disqualifying_records:
            refusals.append(Refusal(
                "disqualifying_record", "record_flags", "D-4",
                f"Disqualifying record: {flag} ({rule.disqualifying_records[flag]}).",
                f"有不得报考的情形：{rule.disqualifying_records[flag]}。",
            ))
    prefixes = rule.household_registration_prefixes
    if prefixes and not any(applicant.household_registration.startswith(p) for p in prefixes):
        refusals.append(Refusal(
            "household_registration", "household_registration", "D-4",
            f"Household registration {applicant.household_registration} is not one of: {', '.join(prefixes)}.",
            f"户籍“{applicant.household_registration}”不符合报考条件。",
        ))
    return refusals


def certificate_bonus(certificates: list[str], rule: RecruitmentRule) -> tuple[int, str | None]:
    """D-4 加分: the bonus points of the applicant's best certificate (highest only)."""
    best: tuple[int, str | None] = (0, None)
    for c in certificates:
        points = rule.certificate_bonus.get(c, 0)
        if points > best[0]:
            best = (points, c)
    return best


# Scores are kept in hundredths of a point (87.35 -> 8735) so no float touches them.
HUNDREDTHS = 100


def written_total(written: int, bonus_points: int) -> int:
    """D-4: the written score with the certificate bonus added (hundredths)."""
    return written + bonus_points * HUNDREDTHS


def composite(written: int, interview: int, bonus_points: int, rule: RecruitmentRule) -> int:
    """D-4 综合成绩 = (written + bonus) × written weight + interview × interview
    weight, in hundredths, rounded half-up."""
    return round_half_up(Fraction(
        written_total(written, bonus_points) * rule.written_weight_bp + interview * rule.interview_weight_bp, BP,
    ))


class Scored(msgspec.Struct, frozen=True):
    application_id: int
    composite: int
    written: int  # the exam score itself, without the certificate bonus
    interview: int


class Placed(msgspec.Struct, frozen=True):
    application_id: int
    rank: int
    selected: bool


class Ranking(msgspec.Struct, frozen=True):
    placed: list[Placed]
    tie_at_cutoff: list[int]  # applications fully tied across the last place


def rank_post(scored: list[Scored], places: int) -> Ranking:
    """D-4 排名: rank a post's candidates by composite score; ties go to the
    better written exam score (the exam's own, without the bonus: with the
    bonus the interview could never break a tie), then the better interview
    score. Candidates equal on all three share a rank; if such a group
    straddles the last place nobody in it is chosen by accident: the group is
    reported as ``tie_at_cutoff``."""
    def key(s: Scored) -> tuple[int, int, int]:
        return (-s.composite, -s.written, -s.interview)

    ordered = sorted(scored, key=lambda s: (key(s), s.application_id))
    placed: list[Placed] = []
    tie: list[int] = []
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and key(ordered[j]) == key(ordered[i]):
            j += 1
        group = ordered[i:j]
        if i < places < j:
            tie = [s.application_id for s in group]
        placed.extend(Placed(s.application_id, i + 1, j <= places) for s in group)
        i = j
    return Ranking(placed, tie)


def notice_ends_on(starts_on: date, working_days: int, cal: WorkCalendar) -> date:
    """D-4 公示 of N working days, counted on the D-10 calendar from ``starts_on``."""
    return cal.add_working_days(starts_on, working_days)


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def probation_ends_on(hired_on: date, rule: RecruitmentRule) -> date | None:
    """D-4 试用期: the last day of ``probation_months`` from the hire date."""
    if rule.probation_months <= 0:
        return None
    return add_months(hired_on, rule.probation_months) - timedelta(days=1)


# --- the campaign's steps (D-4) ----------------------------------------------

CAMPAIGN_STATES = ("announced", "examining", "ranked", "notice", "closed", "cancelled")
"""announced: posts and applications; examining: after the eligibility review,
scores; ranked: ranking, physical exam and background check; notice: 公示,
objections, hire; closed: every place filled or no candidate left."""

STEPS: dict[str, tuple[str, ...]] = {
    "add_post": ("announced",),
    "apply": ("announced",),
    "review": ("announced",),
    "score": ("examining",),
    "withdraw": ("announced", "examining", "ranked", "notice"),
    "rank": ("examining",),
    "check": ("ranked", "notice"),
    "start_notice": ("ranked", "notice"),
    "object": ("notice",),
    "resolve": ("notice",),
    "hire": ("notice",),
    "cancel": ("announced", "examining", "ranked", "notice"),
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


# --- postings (S3-8, S4-8) ------------------------------------------------------

POSTING_KINDS = {"secondment": ("挂职锻炼", "S4-8"), "exchange": ("异地交流", "S3-8")}


# --- policy keys ----------------------------------------------------------------

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
