"""Community ratings (S1-4): the 公示 of the proposed communities, the
objections lodged during it, the results that stand after it, and the results
read back (on the community, in the statistics). Queries and transactions.

The 公示 is counted as recruitment's (D-4) on HR's working-day calendar (D-10).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.ratings import rules
from hr_service.ratings.states import ENTRY, OBJECTION, ROUND, EntryStatus, ObjectionStatus, RoundStatus
from hr_service.ratings.store import application, applications_of, rating_round, require_status, rule_of
from hr_service.ratings.tables import CommunityRating, RatingApplication, RatingObjection, RatingRound
from hr_service.recruitment.rules import objection_window, resolution_date
from hr_service.recruitment.tables import Community
from hr_service.store.policies import CALENDAR
from shared.auth import Principal
from shared.db import in_jurisdiction
from shared.errors import Conflict, Invalid, NotFound
from shared.policy import Policies

CLAUSE = rules.CLAUSE


def start_notice(s: Session, principal: Principal, policies: Policies, round_id: int, *,
                 starts_on: date) -> tuple[RatingRound, list[RatingApplication]]:
    """S1-4 向社会公示: the proposed communities for N working days (D-10) from
    ``starts_on``; 409 ``calendar_not_loaded`` if it reaches a year with no calendar."""
    r = rating_round(s, principal, round_id, write=True)
    target = ROUND.move(r.status, RoundStatus.notice)
    proposed = applications_of(s, r.id, EntryStatus.proposed)
    if not proposed:
        raise Conflict("nobody_to_announce", "No community reached its level's pass mark.",
                       "没有达到合格分的拟评社区。", field="applications", clause=CLAUSE)
    if starts_on < r.opened_on:
        raise Invalid("date_before_round", f"starts_on {starts_on} is before the round opened ({r.opened_on}).",
                      "公示开始日期早于评审开始日期。", field="starts_on", clause=CLAUSE)
    rule = rule_of(s, policies, r)
    r.notice_ends_on = rules.notice_ends(starts_on, rule, CALENDAR.in_force(s, starts_on))
    r.notice_starts_on, r.notice_working_days = starts_on, rule.notice_working_days
    r.status = target
    s.flush()
    return r, proposed


def objections_of(s: Session, round_id: int) -> list[RatingObjection]:
    return list(s.execute(select(RatingObjection).where(RatingObjection.round_id == round_id)
                          .order_by(RatingObjection.id)).scalars())


def lodge_objection(s: Session, principal: Principal, round_id: int, *, application_id: int, lodged_on: date,
                    lodged_by: str | None, summary: str, as_of: date, now: datetime) -> RatingObjection:
    """An objection to a proposed community, lodged during the 公示."""
    r = rating_round(s, principal, round_id, write=True)
    require_status(r, RoundStatus.notice, step="提出异议")
    a = application(s, r, application_id, field="application_id")
    if a.status != EntryStatus.proposed:
        raise Conflict("not_in_notice", f"Application {a.id} is not in the public notice.", "该社区不在公示名单中。",
                       field="application_id", clause=CLAUSE)
    assert r.notice_starts_on is not None and r.notice_ends_on is not None
    refused = objection_window(r.notice_starts_on, r.notice_ends_on, lodged_on, as_of, clause=CLAUSE)
    if refused is not None:
        raise refused.problem()
    o = RatingObjection(round_id=r.id, application_id=a.id, lodged_on=lodged_on, lodged_by=lodged_by,
                        summary=summary, status=ObjectionStatus.open, created_by=principal.sub, created_at=now)
    s.add(o)
    s.flush()
    return o


def resolve_objection(s: Session, principal: Principal, round_id: int, objection_id: int, *, outcome: str,
                      resolution: str, resolved_on: date, as_of: date) -> tuple[RatingObjection, RatingApplication]:
    """Upheld removes the community's result (its other open objections become
    moot); dismissed keeps it. With the reasons, on a day from the lodging to today."""
    r = rating_round(s, principal, round_id, write=True)
    require_status(r, RoundStatus.notice, step="处理异议")
    o = s.get(RatingObjection, objection_id)
    if o is None or o.round_id != r.id:
        raise NotFound("objection", "异议", objection_id)
    target = OBJECTION.parse(outcome)
    if target not in (ObjectionStatus.upheld, ObjectionStatus.dismissed):
        raise Invalid("bad_outcome", "outcome must be upheld or dismissed.", "处理结果须为成立或不成立。",
                      field="outcome", clause=CLAUSE)
    OBJECTION.move(o.status, target, code="objection_resolved", field="objection_id")
    refused = resolution_date(o.lodged_on, resolved_on, as_of, clause=CLAUSE)
    if refused is not None:
        raise refused.problem()
    o.status, o.resolution, o.resolved_on, o.resolved_by = target, resolution, resolved_on, principal.sub
    a = application(s, r, o.application_id)
    if target == ObjectionStatus.upheld:
        a.status = ENTRY.move(a.status, EntryStatus.removed)
        a.reason = f"objection {o.id} upheld: {resolution}"
        for other in s.execute(select(RatingObjection).where(RatingObjection.application_id == a.id,
                                                             RatingObjection.status == ObjectionStatus.open)).scalars():
            other.status = OBJECTION.move(other.status, ObjectionStatus.moot)
            other.resolution = f"result removed by objection {o.id}"
            other.resolved_on, other.resolved_by = resolved_on, principal.sub
    s.flush()
    return o, a


def finalise(s: Session, principal: Principal, round_id: int, *, finalised_on: date, as_of: date,
             now: datetime) -> tuple[RatingRound, list[CommunityRating]]:
    """S1-4: after the 公示 with no objection open, the proposed communities'
    results stand, on each community with the year, from ``finalised_on``."""
    r = rating_round(s, principal, round_id, write=True)
    target = ROUND.move(r.status, RoundStatus.final)
    assert r.notice_ends_on is not None
    open_count = s.execute(select(func.count()).select_from(RatingObjection).where(
        RatingObjection.round_id == r.id, RatingObjection.status == ObjectionStatus.open)).scalar_one()
    refused = rules.finalise_refusal(r.notice_ends_on, open_count, finalised_on, as_of)
    if refused is not None:
        raise refused.problem()
    results = []
    for a in applications_of(s, r.id, EntryStatus.proposed):
        a.status = ENTRY.move(a.status, EntryStatus.rated)
        results.append(CommunityRating(community_code=a.community_code, year=r.year, level=a.level, stars=a.stars,
                                       round_id=r.id, application_id=a.id, effective_from=finalised_on,
                                       recorded_by=principal.sub, recorded_at=now))
    s.add_all(results)
    r.status, r.finalised_on = target, finalised_on
    s.flush()
    return r, results


# --- the results read back --------------------------------------------------------------------


def ratings_of(s: Session, code: str) -> list[CommunityRating]:
    """A community's results, year by year (the caller has checked it may see the community)."""
    return list(s.execute(select(CommunityRating).where(CommunityRating.community_code == code)
                          .order_by(CommunityRating.year, CommunityRating.id)).scalars())


def summary(s: Session, principal: Principal, year: int, by: str) -> list[rules.UnitCount]:
    """The communities of the caller's jurisdiction rated in ``year``, counted
    per level (and stars) per district or street (a community with no street
    counts under its district's path in both)."""
    rows = s.execute(
        select(Community.jurisdiction, CommunityRating.level, CommunityRating.stars)
        .join(Community, Community.code == CommunityRating.community_code)
        .where(CommunityRating.year == year, in_jurisdiction(Community.jurisdiction, principal.jurisdiction))
    ).all()
    return rules.summarise([(j, lv, st) for j, lv, st in rows], by)
