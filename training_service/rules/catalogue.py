"""The catalogue's rules: a programme's terms (S2-2 classes, D-6 CPD hours)
and a session's plan (its days, venue or link, jurisdiction, capacity)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import msgspec

from shared.auth import district_in
from shared.errors import Refusal, ends_before_start
from training_service.rules.hours import hours_problem
from training_service.rules.policies import CategoryTable
from training_service.rules.terms import DESIGNATION, POSTS
from training_service.states import SESSION_STATUS_ZH, SessionStatus

MAX_SESSION_DAYS = 400


class ProgrammeTerms(msgspec.Struct, frozen=True):
    """What a new programme asks for, as its rules see it."""

    category: str
    hours: Decimal
    cpd_accredited: bool = False
    cpd_hours: Decimal = Decimal(0)
    eligible_posts: list[str] = []
    eligible_designations: list[str] = []
    cost_fen: int = 0


def programme_refusal(terms: ProgrammeTerms, classes: CategoryTable) -> Refusal | None:
    """None when the programme may be created: its class one of those in force
    (S2-2); hours and CPD hours exact to the hundredth and not negative; CPD
    hours exactly when accredited (D-6); known posts and designation codes; a
    cost not below zero."""
    if terms.category not in classes.codes():
        return Refusal("unknown_category",
                       f"Category '{terms.category}' is not one of the classes in force: "
                       f"{', '.join(classes.codes())}.",
                       f"培训类别“{terms.category}”不在现行类别表中。",
                       field="category", clause="S2-2")
    for name, hours in (("hours", terms.hours), ("cpd_hours", terms.cpd_hours)):
        why = hours_problem(hours)
        if why:
            return Refusal("invalid_hours", f"'{name}' {why}.", f"学时“{name}”无效：{why}。", field=name)
    if terms.cpd_accredited and terms.cpd_hours <= 0:
        return Refusal("cpd_hours_required", "An accredited programme needs its CPD hours.",
                       "经认定的继续教育项目须填写学时。", field="cpd_hours", clause="D-6")
    if not terms.cpd_accredited and terms.cpd_hours != 0:
        return Refusal("cpd_hours_without_accreditation", "CPD hours are for accredited programmes only.",
                       "未经认定的项目不得计继续教育学时。", field="cpd_hours", clause="D-6")
    for p in terms.eligible_posts:
        if p not in POSTS:
            return Refusal("unknown_post", f"Post '{p}' is not one of {', '.join(POSTS)}.", f"岗位“{p}”无效。",
                           field="eligible_posts")
    for d in terms.eligible_designations:
        if not DESIGNATION.match(d):
            return Refusal("invalid_designation", f"'{d}' is not a designation code.", f"“{d}”不是有效的称号代码。",
                           field="eligible_designations")
    if terms.cost_fen < 0:
        return Refusal("negative_cost", "The cost must not be negative.", "费用不能为负数。", field="cost_fen")
    return None


# --- sessions ------------------------------------------------------------------


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Two sessions overlap when each starts before the other ends."""
    return a_start < b_end and b_start < a_end


def session_days(starts_at: datetime, ends_at: datetime) -> list[date]:
    """Every calendar day from the first to the last, the default attendance days."""
    first, last = starts_at.date(), ends_at.date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def held_within(programme_jurisdiction: str, jurisdiction: str) -> Refusal | None:
    """A session is held within its programme's jurisdiction (D-8)."""
    if district_in(programme_jurisdiction, jurisdiction):
        return None
    return Refusal("outside_programme_jurisdiction",
                   f"A session of a {programme_jurisdiction} programme must be held within {programme_jurisdiction}.",
                   f"该项目的班次须在 {programme_jurisdiction} 范围内举办。",
                   field="jurisdiction", clause="D-8")


class SessionPlan(msgspec.Struct, frozen=True):
    """A session as scheduled: its times, the days attendance is taken (None:
    every day), and where it is held for its programme's delivery."""

    starts_at: datetime
    ends_at: datetime
    delivery: str
    days: list[date] | None = None
    venue: str | None = None
    online_link: str | None = None


def planned_days(plan: SessionPlan) -> list[date] | Refusal:
    """The session's attendance days, sorted, or why the plan is refused: it
    must end after it starts; the days given lie between the first and the last
    day (at most ``MAX_SESSION_DAYS``); offline needs a venue, online a link."""
    if plan.ends_at <= plan.starts_at:
        return Refusal.of(ends_before_start("ends_at", plan.ends_at, plan.starts_at))
    span = session_days(plan.starts_at, plan.ends_at)
    days = span
    if plan.days:
        days = sorted(set(plan.days))
        outside = [d for d in days if d not in span]
        if outside:
            return Refusal("day_outside_session",
                           f"{outside[0]} is not between the first and the last day of the session.",
                           f"{outside[0]} 不在班次起止日期之内。", field="days")
    if len(days) > MAX_SESSION_DAYS:
        return Refusal("session_too_long", f"A session has at most {MAX_SESSION_DAYS} days.",
                       f"一个班次最多 {MAX_SESSION_DAYS} 天。", field="ends_at")
    if plan.delivery == "offline" and not plan.venue:
        return Refusal("venue_required", "An offline session needs a venue.", "线下班次须填写地点。", field="venue")
    if plan.delivery == "online" and not plan.online_link:
        return Refusal("online_link_required", "An online session needs its link.", "线上班次须填写链接。",
                       field="online_link")
    return days


def session_open(session_id: int, status: str) -> Refusal | None:
    """Only a scheduled session takes places and changes (409 otherwise)."""
    if status == SessionStatus.scheduled:
        return None
    return Refusal("session_not_open", f"Session {session_id} is {status}.", f"该班次已{SESSION_STATUS_ZH[status]}。",
                   field="session_id", status=409)


def records_open(session_id: int, status: str) -> Refusal | None:
    """Attendance and assessments change only while the session is scheduled;
    a closed or cancelled session's records are final (409)."""
    if status == SessionStatus.scheduled:
        return None
    return Refusal("session_closed", f"Session {session_id} is {status}; its records are final.",
                   f"该班次已{SESSION_STATUS_ZH[status]}，记录不能再修改。", field="session_id", status=409)


def capacity_refusal(capacity: int, seated: int) -> Refusal | None:
    """Capacity may not fall below the workers already seated."""
    if capacity >= seated:
        return None
    return Refusal("capacity_below_enrolled", f"Capacity {capacity} is below the {seated} worker(s) already enrolled.",
                   f"容量 {capacity} 少于已报名的 {seated} 人。", field="capacity")
