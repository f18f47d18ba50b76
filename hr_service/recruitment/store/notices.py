"""The public notice (公示, D-4) of N working days on the D-10 calendar, and
the objections lodged during it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.recruitment import rules
from hr_service.recruitment.states import (
    APPLICATION,
    OBJECTION,
    ApplicationStatus,
    CampaignStatus,
    ObjectionStatus,
)
from hr_service.recruitment.store.applications import application, pass_place
from hr_service.recruitment.store.campaigns import (
    applications_not_ready,
    applications_of,
    campaign,
    maybe_close,
    record_step,
    recruitment_rule,
    require_step,
)
from hr_service.recruitment.tables import Application, Notice, Objection
from hr_service.store.policies import CALENDAR
from shared.auth import Principal
from shared.errors import Conflict, Invalid, NotFound
from shared.policy import Policies


def _announceable(candidates: list[Application]) -> None:
    """D-4: a notice names chosen candidates, each through both checks."""
    if not candidates:
        raise Conflict("nobody_to_announce", "No chosen candidate is waiting for a public notice.",
                       "没有待公示的拟录用人选。", field="candidates", clause="D-4")
    pending = [a.id for a in candidates if a.physical_exam != "pass" or a.background_check != "pass"]
    if pending:
        raise applications_not_ready(
            "checks_pending", pending, "have not passed both the physical exam and the background check.",
            "尚未通过体检和考察。", field="candidates")


def start_notice(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, starts_on: date,
                 as_of: date, now: datetime) -> tuple[Notice, list[Application]]:
    """D-4 公示: the chosen candidates who passed both checks and have not been
    announced, for N working days (D-10) from ``starts_on``; 409
    ``calendar_not_loaded`` if the period reaches a year with no calendar."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "start_notice")
    if starts_on < c.announced_on:
        raise Invalid("date_before_campaign", f"starts_on {starts_on} is before the announcement ({c.announced_on}).",
                      "公示开始日期早于招考公告日期。", field="starts_on")
    candidates = [a for a in applications_of(s, c.id, ApplicationStatus.selected) if a.notice_id is None]
    _announceable(candidates)
    rule = recruitment_rule(s, policies, c)
    ends_on = rules.notice_ends_on(starts_on, rule.notice_working_days, CALENDAR.in_force(s, starts_on))
    n = Notice(campaign_id=c.id, starts_on=starts_on, ends_on=ends_on, working_days=rule.notice_working_days,
               created_by=principal.sub, created_at=now)
    s.add(n)
    s.flush()
    for a in candidates:
        a.notice_id = n.id
    record_step(s, c, "start_notice", principal.sub, as_of, now, to_status=CampaignStatus.notice, notice_id=n.id,
                starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat(), working_days=rule.notice_working_days,
                applications=[a.id for a in candidates])
    s.flush()
    return n, candidates


def notices_of(s: Session, campaign_id: int) -> list[Notice]:
    return list(s.execute(select(Notice).where(Notice.campaign_id == campaign_id).order_by(Notice.id)).scalars())


def notice_terms(s: Session, campaign_id: int) -> list[rules.NoticeTerm]:
    """The campaign's notices with their open objections, as the hire rule reads them."""
    open_by_notice: dict[int, int] = dict(s.execute(
        select(Objection.notice_id, func.count())
        .where(Objection.campaign_id == campaign_id, Objection.status == ObjectionStatus.open)
        .group_by(Objection.notice_id)
    ).all())
    return [rules.NoticeTerm(n.id, n.starts_on, n.ends_on, n.working_days, open_by_notice.get(n.id, 0))
            for n in notices_of(s, campaign_id)]


def objections_of(s: Session, campaign_id: int) -> list[Objection]:
    return list(s.execute(
        select(Objection).where(Objection.campaign_id == campaign_id).order_by(Objection.id)
    ).scalars())


def lodge_objection(
    s: Session, principal: Principal, campaign_id: int, *, application_id: int, lodged_on: date,
    lodged_by: str | None, summary: str, as_of: date, now: datetime,
) -> Objection:
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "object")
    a = application(s, c, application_id, field="application_id")
    if a.notice_id is None or a.status != ApplicationStatus.selected:
        raise Conflict("not_in_notice", f"Application {a.id} is not in a running public notice.",
                       "该考生不在公示中。", field="application_id", clause="D-4")
    n = s.get(Notice, a.notice_id)
    refused = rules.objection_window(n.starts_on, n.ends_on, lodged_on, as_of, clause="D-4")
    if refused is not None:
        raise refused.problem()
    o = Objection(campaign_id=c.id, notice_id=n.id, application_id=a.id, lodged_on=lodged_on, lodged_by=lodged_by,
                  summary=summary, status=ObjectionStatus.open, created_at=now)
    s.add(o)
    s.flush()
    record_step(s, c, "object", principal.sub, as_of, now, objection_id=o.id, application_id=a.id,
                lodged_on=lodged_on.isoformat())
    return o


def _uphold(s: Session, o: Objection, resolution: str, resolved_on: date, actor: str) -> Application:
    """An upheld objection removes its candidate; their other open objections become moot."""
    a = s.get(Application, o.application_id)
    a.status = APPLICATION.move(a.status, ApplicationStatus.removed)
    a.removed_reason = f"objection {o.id} upheld: {resolution}"
    for other in s.execute(select(Objection).where(
            Objection.application_id == a.id, Objection.status == ObjectionStatus.open)).scalars():
        other.status = OBJECTION.move(other.status, ObjectionStatus.moot)
        other.resolution = f"candidate removed by objection {o.id}"
        other.resolved_on, other.resolved_by = resolved_on, actor
    return a


def resolve_objection(
    s: Session, principal: Principal, campaign_id: int, objection_id: int, *, outcome: str, resolution: str,
    resolved_on: date, as_of: date, now: datetime,
) -> tuple[Objection, Application | None]:
    """An upheld objection removes the candidate; the next in rank takes the
    place and will need checks and a notice of their own."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "resolve")
    o = s.get(Objection, objection_id)
    if o is None or o.campaign_id != c.id:
        raise NotFound("objection", "异议", objection_id)
    target = OBJECTION.parse(outcome)
    if not OBJECTION.can(o.status, target):
        raise Conflict("objection_resolved", f"Objection {o.id} is already {o.status}.", "该异议已处理。",
                       field="objection_id")
    refused = rules.resolution_date(o.lodged_on, resolved_on, as_of, clause="D-4")
    if refused is not None:
        raise refused.problem()
    o.status, o.resolution, o.resolved_on, o.resolved_by = target, resolution, resolved_on, principal.sub
    record_step(s, c, "resolve_objection", principal.sub, as_of, now, objection_id=o.id,
                application_id=o.application_id, outcome=outcome)
    nxt = None
    if target == ObjectionStatus.upheld:
        a = _uphold(s, o, resolution, resolved_on, principal.sub)
        nxt = pass_place(s, c, a, principal.sub, as_of, now, f"objection {o.id} upheld")
        maybe_close(s, c, principal.sub, as_of, now)
    s.flush()
    return o, nxt
