"""Pure policy of training: functions over msgspec Structs, no I/O, no clock.

Policy figures arrive as arguments, read from the policy tables listed in
``POLICY_KEYS`` and seeded from ``SEEDS`` (../shared/policy/CLAUSES.md).

Hours are exact. The API speaks ``Decimal`` hours (at most two decimals); the
tables store them as integer hundredths of an hour (``*_ch`` columns,
"centi-hours"): 7.5 h is 750. Sums and comparisons never touch a float.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

import msgspec

from shared.policy import PolicyKey, PolicySeed

CITY = "hangzhou"

# --- the vocabulary of S2-2, S1-1, S2-3 ---------------------------------------

Tier = Literal[
    "induction", "continuing", "secretary_director", "advanced_practice", "three_social", "leader_talent", "degree",
]
"""S2-2 分层 (layers by audience): 岗前 induction, 全员/继续教育 all-staff continuing, 书记主任 secretary and
director (S0-4 "领头雁"), 实务高级研修 advanced practice, 三社联动 three-social linkage, 领军人才专项
leader talent (S2-6), 学历 degree (S4-4)."""

TIER_NAMES: dict[str, str] = {
    "induction": "岗前培训", "continuing": "全员继续教育", "secretary_director": "书记主任培训",
    "advanced_practice": "实务高级研修", "three_social": "三社联动", "leader_talent": "领军人才专项",
    "degree": "学历教育",
}

ContentArea = Literal["political_theory", "professional_knowledge", "practical_skills"]
"""S1-1 政治理論、專業知識及業務技能."""

Delivery = Literal["online", "offline"]
"""S2-2 线上 + 线下."""

Mode = Literal["theory", "practice"]
"""S2-2 理论 + 实务."""

Location = Literal["in_city", "other_city", "abroad"]
"""S2-3 本市学, 跨市学, 出境学."""

POSTS = ("正职", "副职", "委员")
"""The three posts (S4-9, D-2): 正职 secretary/director, 副职 deputy, 委员 member and other staff."""

LEADER_TALENT = "leader_talent"
"""The designation 领军人才 (S2-6, D-7), carried by talent.selected."""

SUGGESTED_TOPICS = ("elder_services", "behavioural_correction", "dispute_mediation", "volunteer_support")
"""S2-2 为老服务, 行动矫治, 纠纷调解, 志愿帮扶; topic tags are free, these are the text's own."""

EnrolmentStatus = Literal["enrolled", "waitlisted", "cancelled", "completed", "not_completed"]
OPEN_STATUSES = ("enrolled", "waitlisted")
HELD_STATUSES = ("enrolled", "waitlisted", "completed")
SEATED_STATUSES = ("enrolled", "completed", "not_completed")
"""Who held a seat: these are the person-times (人次, S3-7) of a session."""


# --- hours --------------------------------------------------------------------

CH = 100  # hundredths of an hour in an hour


def to_ch(hours: Decimal) -> int:
    """Decimal hours to integer hundredths. The caller checks ``hours_problem`` first."""
    return int(hours * CH)


def from_ch(ch: int) -> Decimal:
    return Decimal(int(ch)).scaleb(-2)


def hours_problem(hours: Decimal) -> str | None:
    """Why ``hours`` cannot be stored exactly, or None."""
    if not hours.is_finite():
        return "must be a number"
    if hours < 0:
        return "must not be negative"
    if hours != hours.quantize(Decimal("0.01")):
        return "has more than two decimals"
    if hours > 100_000:
        return "is implausibly large"
    return None


# --- policy shapes -------------------------------------------------------------


class Category(msgspec.Struct, frozen=True):
    """One class of training (S2-2 7大类培训班)."""

    code: str
    name_zh: str
    name_en: str
    clause: str = "S2-2"


class CategoryTable(msgspec.Struct, frozen=True):
    classes: list[Category]

    def codes(self) -> list[str]:
        return [c.code for c in self.classes]


SEVEN_CLASSES = CategoryTable([
    Category("continuing", "社区工作者继续教育培训班", "Continuing-education class", "S2-2"),
    Category("advanced_practice", "实务高级研修班", "Advanced practice seminar", "S2-2"),
    Category("three_social", "“三社联动”培训班", "Three-social linkage class", "S2-2"),
    Category("induction", "岗前培训班", "Induction class", "D-6"),
    Category("leader_talent", "领军人才专项培训班", "Leader-talent class", "S2-6"),
    Category("party_school", "党校培训班", "Party-school class", "S4-15"),
    Category("degree", "社会工作大专学历班", "Social-work degree class", "S4-4"),
])
"""S2-2 names three of its seven classes; the other four are ours, each from the clause cited."""


class Eligibility(msgspec.Struct, frozen=True):
    """Who may enrol: any of ``posts`` (empty: every post) and, when
    ``designations`` is not empty, holding at least one of them."""

    posts: list[str] = []
    designations: list[str] = []


class TierEligibility(msgspec.Struct, frozen=True):
    tiers: dict[str, Eligibility]


TIER_ELIGIBILITY = TierEligibility({
    "induction": Eligibility(),
    "continuing": Eligibility(),
    "secretary_director": Eligibility(posts=["正职"]),
    "advanced_practice": Eligibility(),
    "three_social": Eligibility(),
    "leader_talent": Eligibility(designations=[LEADER_TALENT]),
    "degree": Eligibility(),
})


class CompletionRule(msgspec.Struct, frozen=True):
    """A seated worker completes when present on at least ``attendance_percent``
    of the session days and, if the course has one, passed its assessment."""

    attendance_percent: int = 80


class ObligationRule(msgspec.Struct, frozen=True):
    """D-6: induction within probation; ``days_per_year`` days of centralised
    training a year for ``leader_posts``; ``programmes`` programme(s) every
    ``every_years`` years for the other posts. A day is ``hours_per_day`` hours;
    only ``centralised_deliveries`` count toward the days."""

    probation_months: int = 6
    leader_posts: list[str] = msgspec.field(default_factory=lambda: ["正职"])
    days_per_year: int = 7
    hours_per_day: Decimal = Decimal(8)
    centralised_deliveries: list[str] = msgspec.field(default_factory=lambda: ["offline"])
    programmes: int = 1
    every_years: int = 2


class BudgetRule(msgspec.Struct, frozen=True):
    """S2-2 每一年投入150余万元: the year's training budget in fen."""

    annual_fen: int = 150_000_000


class AbroadRule(msgspec.Struct, frozen=True):
    """S2-3 每一年选派优秀社区工作者"出境学": places a year on the selection list."""

    places_per_year: int = 10


POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("training_categories", CategoryTable, "S2-2", "The seven classes of training (S2-2 7大类培训班)"),
    PolicyKey("tier_eligibility", TierEligibility, "S2-2", "Who may enrol in each tier (S2-2 分层; S0-4; S2-6)"),
    PolicyKey("completion", CompletionRule, "D-6", "Attendance share needed to complete a session"),
    PolicyKey("training_obligations", ObligationRule, "D-6", "Induction, 7 days a year for 正职, one programme in 2 years"),
    PolicyKey("training_budget", BudgetRule, "S2-2", "The year's training budget in fen (S2-2 150余万元)"),
    PolicyKey("abroad_places", AbroadRule, "S2-3", "Places abroad a year (S2-3 出境学)"),
]

_START = date(2004, 1, 1)
SEEDS: list[PolicySeed] = [
    PolicySeed("training_categories", CITY, _START, SEVEN_CLASSES, "S2-2",
               "S2-2 names continuing, advanced practice, three-social; induction, leader talent, party school, "
               "degree from D-6, S2-6, S4-15, S4-4"),
    PolicySeed("tier_eligibility", CITY, _START, TIER_ELIGIBILITY, "S2-2",
               "secretary/director tier for 正职 (S0-4); leader-talent tier for the designated (S2-6)"),
    PolicySeed("completion", CITY, _START, CompletionRule(), "D-6", "design default: 80% of the session days"),
    PolicySeed("training_obligations", CITY, _START, ObligationRule(), "D-6",
               "D-6; 8 hours a day and offline-only centralised training are ours; probation 6 months (D-4)"),
    PolicySeed("training_budget", CITY, _START, BudgetRule(), "S2-2", "S2-2 每一年投入150余万元"),
    PolicySeed("abroad_places", CITY, _START, AbroadRule(), "S2-3", "design default: 10 places a year"),
]


# --- eligibility (S2-2 分层, S0-4, S2-3, S2-6) -----------------------------------


class Refusal(msgspec.Struct, frozen=True):
    """A rule said no: a stable code, the messages, the clause, the field."""

    code: str
    detail: str
    detail_zh: str
    clause: str
    field: str = "worker_id"


class Candidate(msgspec.Struct, frozen=True):
    """A worker as the training roster knows them."""

    worker_id: int
    post: str
    jurisdiction: str
    active: bool
    designations: frozenset[str] = frozenset()


class Offer(msgspec.Struct, frozen=True):
    """What a session offers and to whom: its programme's terms."""

    tier: str
    location: str
    session_jurisdiction: str
    year: int
    eligible_posts: list[str] = []
    eligible_designations: list[str] = []


def _fits(rule: Eligibility, post: str, designations: frozenset[str]) -> bool:
    if rule.posts and post not in rule.posts:
        return False
    if rule.designations and not designations.intersection(rule.designations):
        return False
    return True


def eligibility(worker: Candidate, offer: Offer, tiers: TierEligibility, selected_abroad: bool) -> Refusal | None:
    """May ``worker`` enrol in a session making ``offer``? None, or the first reason not.

    S2-2 遵守分层分类的培训原则: each tier has its audience (the secretary and
    director tier for 正职, S0-4; the leader-talent tier for the designated,
    S2-6); a programme may narrow it further by post or designation; a place
    abroad goes only to a worker on that year's selection list (S2-3)."""
    if not worker.active:
        return Refusal("worker_not_active", f"Worker {worker.worker_id} has left.",
                       f"社区工作者 {worker.worker_id} 已离职。", "D-6")
    if not (worker.jurisdiction == offer.session_jurisdiction
            or worker.jurisdiction.startswith(offer.session_jurisdiction + ".")):
        return Refusal("outside_session_jurisdiction",
                       f"The session is for {offer.session_jurisdiction}; the worker is in {worker.jurisdiction}.",
                       f"该班次面向 {offer.session_jurisdiction}，该社区工作者属于 {worker.jurisdiction}。", "D-8")
    tier_rule = tiers.tiers.get(offer.tier, Eligibility())
    if not _fits(tier_rule, worker.post, worker.designations):
        need = "/".join(tier_rule.posts + tier_rule.designations)
        clause = "S2-6" if LEADER_TALENT in tier_rule.designations else ("S0-4" if offer.tier == "secretary_director" else "S2-2")
        return Refusal("not_eligible_for_tier",
                       f"The {offer.tier} tier is for {need}; worker {worker.worker_id} is {worker.post}"
                       + (f" ({', '.join(sorted(worker.designations))})" if worker.designations else "") + ".",
                       f"{TIER_NAMES.get(offer.tier, offer.tier)}面向{need}，该社区工作者不符合条件。", clause)
    if not _fits(Eligibility(offer.eligible_posts, offer.eligible_designations), worker.post, worker.designations):
        need = "/".join(offer.eligible_posts + offer.eligible_designations)
        return Refusal("not_eligible_for_programme",
                       f"This programme is for {need}; worker {worker.worker_id} is {worker.post}.",
                       f"该培训项目面向{need}，该社区工作者不符合条件。", "S2-2")
    if offer.location == "abroad" and not selected_abroad:
        return Refusal("not_selected_abroad",
                       f"Study abroad is for workers on the {offer.year} selection list; worker {worker.worker_id} is not.",
                       f"出境学习仅限 {offer.year} 年度选派名单内的社区工作者。", "S2-3")
    return None


# --- sessions ------------------------------------------------------------------


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Two sessions overlap when each starts before the other ends."""
    return a_start < b_end and b_start < a_end


def session_days(starts_at: datetime, ends_at: datetime) -> list[date]:
    """Every calendar day from the first to the last, the default attendance days."""
    first, last = starts_at.date(), ends_at.date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class Completion(msgspec.Struct, frozen=True):
    days: int
    present: int
    percent: Decimal
    attendance_met: bool
    assessment_required: bool
    assessment_passed: bool | None
    completed: bool
    reason: str


def completion(days: int, present: int, assessment_required: bool, assessment_passed: bool | None,
               rule: CompletionRule) -> Completion:
    """Completion when attendance reaches ``rule.attendance_percent`` of the session
    days and the course assessment, if any, is passed (D-6; a design default)."""
    met = days > 0 and present * 100 >= rule.attendance_percent * days
    percent = (Decimal(present * 100) / Decimal(days)).quantize(Decimal("0.1")) if days else Decimal(0)
    passed_ok = (not assessment_required) or assessment_passed is True
    if not met:
        reason = f"attended {present} of {days} days ({percent}%), below {rule.attendance_percent}%"
    elif not passed_ok:
        reason = "assessment not passed" if assessment_passed is False else "assessment not taken"
    else:
        reason = f"attended {present} of {days} days ({percent}%)" + (", assessment passed" if assessment_required else "")
    return Completion(days, present, percent, met, assessment_required, assessment_passed, met and passed_ok, reason)


# --- obligations (D-6) -----------------------------------------------------------


class Credit(msgspec.Struct, frozen=True):
    """A completed programme on a worker's ledger."""

    completed_on: date
    tier: str
    delivery: str
    hours_ch: int


class Member(msgspec.Struct, frozen=True):
    """A worker as the obligations see them."""

    post: str
    hired_on: date | None
    probation_ends_on: date | None


ObligationKind = Literal["induction", "annual_days", "periodic_programme"]
ObligationStatus = Literal["met", "late", "open", "behind"]


class Obligation(msgspec.Struct, frozen=True):
    """One D-6 obligation for one worker: what is required by ``due_on``, what
    is done, and the shortfall. ``open`` is not met with time left; ``behind``
    is not met and overdue; ``late`` was met after the due date."""

    kind: ObligationKind
    period_from: date
    due_on: date
    unit: Literal["hours", "programmes"]
    required: Decimal
    done: Decimal
    shortfall: Decimal
    status: ObligationStatus
    required_days: Decimal | None = None
    shortfall_days: Decimal | None = None
    clause: str = "D-6"


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def probation_end(hired_on: date, rule: ObligationRule) -> date:
    """D-4: hire with 6 months' probation (a parameter here)."""
    return add_months(hired_on, rule.probation_months) - timedelta(days=1)


def _status(met: bool, due_on: date, as_of: date) -> ObligationStatus:
    if met:
        return "met"
    return "behind" if as_of > due_on else "open"


def obligations(member: Member, credits: list[Credit], year: int, as_of: date, rule: ObligationRule) -> list[Obligation]:
    """The D-6 obligations of one worker for ``year``, judged on ``as_of``.

    D-6: every new hire completes induction (岗前培训) within the probation
    period; secretaries/directors at least 7 days of centralised training a
    year; other workers at least one programme every 2 years."""
    out: list[Obligation] = []
    year_end = date(year, 12, 31)
    if member.hired_on is not None and member.hired_on > year_end:
        return out
    if member.probation_ends_on is not None and member.probation_ends_on.year <= year:
        # The obligation belongs to the year probation ends; undone, it stays on every later year.
        due = member.probation_ends_on
        done = [c.completed_on for c in credits if c.tier == "induction"]
        if due.year == year or not done:
            on_time = any(d <= due for d in done)
            status: ObligationStatus = "met" if on_time else ("late" if done else _status(False, due, as_of))
            n = Decimal(1 if done else 0)
            out.append(Obligation("induction", member.hired_on or due, due, "programmes", Decimal(1), n,
                                  Decimal(1) - n, status))
    if member.post in rule.leader_posts:
        start = date(year, 1, 1)
        required_ch = to_ch(rule.hours_per_day) * rule.days_per_year
        done_ch = sum(c.hours_ch for c in credits if start <= c.completed_on <= year_end
                      and c.delivery in rule.centralised_deliveries)
        short_ch = max(required_ch - done_ch, 0)
        per_day = rule.hours_per_day or Decimal(1)
        out.append(Obligation(
            "annual_days", start, year_end, "hours", from_ch(required_ch), from_ch(done_ch), from_ch(short_ch),
            _status(short_ch == 0, year_end, as_of),
            required_days=Decimal(rule.days_per_year),
            shortfall_days=(from_ch(short_ch) / per_day).quantize(Decimal("0.01")),
        ))
    else:
        start = date(year - rule.every_years + 1, 1, 1)
        due = year_end
        if member.hired_on is not None and member.hired_on > start:
            # a worker hired inside the period has the full period from the hire date
            due = max(year_end, add_months(member.hired_on, 12 * rule.every_years) - timedelta(days=1))
        n = sum(1 for c in credits if start <= c.completed_on <= due)
        short = max(rule.programmes - n, 0)
        out.append(Obligation(
            "periodic_programme", start, due, "programmes", Decimal(rule.programmes), Decimal(n), Decimal(short),
            _status(short == 0, due, as_of),
        ))
    return out
