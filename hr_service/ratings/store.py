"""Community ratings (S1-4): rounds, applications, the panel and its scores,
the ranking. Queries and transactions.

Every write checks first and writes after, inside the caller's
``db.transaction()``: a refusal leaves nothing behind. A round's row is locked
for each write, so two officers' steps on one round queue. The 公示, the
objections and the results are ``hr_service.ratings.notice``.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.ratings import rules
from hr_service.ratings.states import ENTRY, LIVE, ROUND, EntryStatus, RoundStatus
from hr_service.ratings.tables import CommunityRating, RatingApplication, RatingReviewer, RatingRound, RatingScore
from hr_service.recruitment.store import community
from shared.auth import Principal, district_in, require_jurisdiction
from shared.db import in_jurisdiction
from shared.errors import Conflict, Invalid, NotFound
from shared.paging import fetch_page
from shared.policy import Policies

CLAUSE = rules.CLAUSE


def rating_round(s: Session, principal: Principal, round_id: int, *, write: bool = False) -> RatingRound:
    """The round: 404 when unknown or (on reads) outside the caller's
    jurisdiction, 403 on writes outside it (D-8)."""
    q = select(RatingRound).where(RatingRound.id == round_id)
    r = s.execute(q.with_for_update() if write else q).scalar_one_or_none()
    if r is None or (not write and not principal.covers(r.jurisdiction)):
        raise NotFound("rating round", "社区创建评审", round_id)
    if write:
        require_jurisdiction(principal, r.jurisdiction)
    return r


def rule_of(s: Session, policies: Policies, r: RatingRound) -> rules.RatingRule:
    """The ``community_rating`` policy in force on the round's opening day for its
    jurisdiction (a street falls back to its district and city); 409 if unusable."""
    rule: rules.RatingRule = policies.in_force(s, rules.KEY, r.jurisdiction, r.opened_on, or_first=True)
    refused = rules.check_rule(rule)
    if refused is not None:
        raise refused.problem()
    return rule


def require_status(r: RatingRound, *allowed: RoundStatus, step: str) -> None:
    if r.status not in allowed:
        raise Conflict(f"round_not_{allowed[0].value}", f"Rating round {r.id} is {r.status}; {step} needs it "
                       + " or ".join(a.value for a in allowed) + ".",
                       f"社区创建评审 {r.id} 当前状态为 {r.status}，不能{step}。", field="status", clause=CLAUSE)


def create_round(s: Session, principal: Principal, policies: Policies, *, year: int, jurisdiction: str, title: str,
                 opened_on: date, now: datetime) -> RatingRound:
    """A year's round of a district or a street, open for applications (S1-4);
    one running round per year and jurisdiction."""
    require_jurisdiction(principal, jurisdiction)
    refused = rules.round_jurisdiction(jurisdiction)
    if refused is not None:
        raise refused.problem()
    if s.execute(select(RatingRound.id).where(RatingRound.year == year, RatingRound.jurisdiction == jurisdiction,
                                              RatingRound.status != RoundStatus.cancelled)).first():
        raise Conflict("rating_round_exists", f"'{jurisdiction}' has a rating round for {year}.",
                       f"“{jurisdiction}”{year}年已有社区创建评审。", field="year", clause=CLAUSE)
    r = RatingRound(year=year, jurisdiction=jurisdiction, title=title, opened_on=opened_on, status=RoundStatus.open,
                    created_by=principal.sub, created_at=now)
    rule_of(s, policies, r)
    s.add(r)
    s.flush()
    return r


def list_rounds(s: Session, principal: Principal, year: int | None, status: str | None, limit: int,
                offset: int) -> tuple[list[RatingRound], int]:
    q = select(RatingRound).where(in_jurisdiction(RatingRound.jurisdiction, principal.jurisdiction))
    if year is not None:
        q = q.where(RatingRound.year == year)
    if status is not None:
        q = q.where(RatingRound.status == status)
    page, total = fetch_page(s, q, [RatingRound.year.desc(), RatingRound.id], limit, offset)
    return list(page.scalars().all()), total


def cancel(s: Session, principal: Principal, round_id: int) -> RatingRound:
    r = rating_round(s, principal, round_id, write=True)
    r.status = ROUND.move(r.status, RoundStatus.cancelled)
    s.flush()
    return r


# --- applications ------------------------------------------------------------------------


def applications_of(s: Session, round_id: int, *statuses: str) -> list[RatingApplication]:
    q = select(RatingApplication).where(RatingApplication.round_id == round_id)
    if statuses:
        q = q.where(RatingApplication.status.in_(statuses))
    return list(s.execute(q.order_by(RatingApplication.id)).scalars())


def application(s: Session, r: RatingRound, application_id: int, field: str | None = None) -> RatingApplication:
    a = s.get(RatingApplication, application_id)
    if a is None or a.round_id != r.id:
        raise NotFound("rating application", "创建申报", application_id, field=field)
    return a


def held(s: Session, code: str) -> list[tuple[int, str]]:
    """The community's results as (year, level)."""
    return [(y, lv) for y, lv in s.execute(select(CommunityRating.year, CommunityRating.level)
                                           .where(CommunityRating.community_code == code)).all()]


def _no_other_application(s: Session, r: RatingRound, code: str) -> None:
    """One application per community and round, and none live in another round of the year."""
    other = s.execute(
        select(RatingApplication.round_id).join(RatingRound, RatingRound.id == RatingApplication.round_id)
        .where(RatingApplication.community_code == code, RatingRound.year == r.year,
               RatingRound.status != RoundStatus.cancelled,
               (RatingApplication.round_id == r.id) | RatingApplication.status.in_(LIVE))
    ).first()
    if other is not None:
        raise Conflict("already_applied", f"Community '{code}' has applied in rating round {other[0]} for {r.year}.",
                       f"社区“{code}”已在{r.year}年的社区创建评审 {other[0]} 中申报。", field="community_code",
                       clause=CLAUSE)


def apply(s: Session, principal: Principal, policies: Policies, round_id: int, *, community_code: str, level: str,
          stars: int | None, applied_on: date, now: datetime) -> RatingApplication:
    """A community of the round's jurisdiction applies for one level (S1-4),
    with the ladder's prerequisite held from an earlier year."""
    r = rating_round(s, principal, round_id, write=True)
    require_status(r, RoundStatus.open, step="申报")
    rule = rule_of(s, policies, r)
    c = community(s, principal, community_code)
    if not district_in(r.jurisdiction, c.jurisdiction):
        raise Invalid("community_outside_round", f"Community '{c.code}' ({c.jurisdiction}) is not in "
                      f"'{r.jurisdiction}'.",
                      f"社区“{c.code}”不在“{r.jurisdiction}”范围内。", field="community_code", clause=CLAUSE)
    if applied_on < r.opened_on:
        raise Invalid("date_before_round", f"applied_on {applied_on} is before the round opened ({r.opened_on}).",
                      "申报日期早于评审开始日期。", field="applied_on", clause=CLAUSE)
    for refused in (rules.check_level(level, stars, rule), rules.prerequisite(level, r.year, held(s, c.code), rule)):
        if refused is not None:
            raise refused.problem()
    _no_other_application(s, r, c.code)
    a = RatingApplication(round_id=r.id, community_code=c.code, level=level, stars=stars, status=EntryStatus.applied,
                          applied_on=applied_on, created_by=principal.sub, created_at=now)
    s.add(a)
    s.flush()
    return a


def withdraw(s: Session, principal: Principal, round_id: int, application_id: int, reason: str) -> RatingApplication:
    """Withdrawn before the review starts."""
    r = rating_round(s, principal, round_id, write=True)
    require_status(r, RoundStatus.open, step="撤回申报")
    a = application(s, r, application_id)
    a.status = ENTRY.move(a.status, EntryStatus.withdrawn)
    a.reason = reason
    s.flush()
    return a


def start_review(s: Session, principal: Principal, round_id: int) -> RatingRound:
    """Applications close; the panel scores (陈述答辩评审)."""
    r = rating_round(s, principal, round_id, write=True)
    target = ROUND.move(r.status, RoundStatus.reviewing)
    if not applications_of(s, r.id, EntryStatus.applied):
        raise Conflict("no_applications", f"Rating round {r.id} has no application to review.",
                       "没有待评审的申报。", field="applications", clause=CLAUSE)
    r.status = target
    s.flush()
    return r


# --- the panel ------------------------------------------------------------------------------


def reviewers_of(s: Session, round_id: int) -> list[RatingReviewer]:
    return list(s.execute(select(RatingReviewer).where(RatingReviewer.round_id == round_id)
                          .order_by(RatingReviewer.id)).scalars())


def add_reviewer(s: Session, principal: Principal, round_id: int, *, name: str, account: str | None,
                 now: datetime) -> RatingReviewer:
    r = rating_round(s, principal, round_id, write=True)
    require_status(r, RoundStatus.open, RoundStatus.reviewing, step="增加评委")
    if any(v.name == name for v in reviewers_of(s, r.id)):
        raise Conflict("reviewer_exists", f"'{name}' is on the panel already.", f"“{name}”已是评委。",
                       field="name", clause=CLAUSE)
    v = RatingReviewer(round_id=r.id, name=name, account=account, created_at=now)
    s.add(v)
    s.flush()
    return v


def enter_scores(s: Session, principal: Principal, policies: Policies, round_id: int, application_id: int, *,
                 reviewer_id: int, scores: dict[str, object],
                 now: datetime) -> tuple[RatingScore, rules.RatingRule]:
    """One reviewer's scores for one application, criterion by criterion
    (0–100); entered again, they replace the earlier ones until the ranking.
    With the round's rule, which weighs them."""
    r = rating_round(s, principal, round_id, write=True)
    require_status(r, RoundStatus.reviewing, step="评分")
    rule = rule_of(s, policies, r)
    a = application(s, r, application_id)
    if a.status != EntryStatus.applied:
        raise Conflict("application_not_scored", f"Application {a.id} is {a.status}.", "该申报不在评审中。",
                       field="application_id", clause=CLAUSE)
    v = s.get(RatingReviewer, reviewer_id)
    if v is None or v.round_id != r.id:
        raise Invalid("unknown_reviewer", f"Reviewer {reviewer_id} is not on this round's panel.",
                      "该评委不在本次评审的评委名单中。", field="reviewer_id", clause=CLAUSE)
    parsed = rules.parse_scores(scores, rule)
    if not isinstance(parsed, dict):
        raise parsed.problem()
    row = s.execute(select(RatingScore).where(RatingScore.application_id == a.id,
                                              RatingScore.reviewer_id == v.id)).scalar_one_or_none()
    if row is None:
        row = RatingScore(application_id=a.id, reviewer_id=v.id, scores=parsed, entered_by=principal.sub,
                          entered_at=now)
        s.add(row)
    else:
        row.scores, row.entered_by, row.entered_at = parsed, principal.sub, now
    s.flush()
    return row, rule


def scores_of(s: Session, round_id: int) -> list[RatingScore]:
    return list(s.execute(
        select(RatingScore).join(RatingApplication, RatingApplication.id == RatingScore.application_id)
        .where(RatingApplication.round_id == round_id).order_by(RatingScore.application_id, RatingScore.reviewer_id)
    ).scalars())


def rank(s: Session, principal: Principal, policies: Policies,
         round_id: int) -> tuple[RatingRound, list[RatingApplication], rules.RatingRule]:
    """S1-4 排出了各个类别的先后排名: a full panel having scored every
    application, each application's score, its rank in its level, and whether it
    reaches the level's pass mark (proposed) or not (failed). Returns the round,
    its applications and the rule they were ranked by."""
    r = rating_round(s, principal, round_id, write=True)
    target = ROUND.move(r.status, RoundStatus.ranked)
    rule = rule_of(s, policies, r)
    panel = reviewers_of(s, r.id)
    if len(panel) < rule.min_reviewers:
        raise Conflict("panel_too_small", f"The panel has {len(panel)} reviewer(s); at least {rule.min_reviewers} "
                       "are needed.", f"评委 {len(panel)} 人，至少需要 {rule.min_reviewers} 人。", field="reviewers",
                       clause=CLAUSE, extra={"reviewers": len(panel), "needed": rule.min_reviewers})
    apps = applications_of(s, r.id, EntryStatus.applied)
    by_pair = {(x.application_id, x.reviewer_id): x for x in scores_of(s, r.id)}
    missing = rules.missing_scores([a.id for a in apps], [v.id for v in panel], set(by_pair))
    if missing:
        raise Conflict("scores_missing", f"{len(missing)} score sheet(s) are missing (application, reviewer): "
                       f"{missing[:10]}.", f"尚缺 {len(missing)} 份评分表。", field="scores", clause=CLAUSE,
                       extra={"missing": [list(m) for m in missing]})
    scored = [rules.Scored(a.id, a.level, rules.score(
        [rules.mark(by_pair[(a.id, v.id)].scores, rule.criteria) for v in panel], rule.trim_from)) for a in apps]
    by_id = {a.id: a for a in apps}
    for x in rules.rank(scored, rule):
        a = by_id[x.application_id]
        a.score_h, a.rank = int(rules.points(x.score) * 100), x.rank
        a.status = ENTRY.move(a.status, EntryStatus.proposed if x.passed else EntryStatus.failed)
    r.status = target
    s.flush()
    return r, apps, rule


def count_by_status(s: Session, round_id: int) -> dict[str, int]:
    return dict(s.execute(select(RatingApplication.status, func.count()).where(RatingApplication.round_id == round_id)
                          .group_by(RatingApplication.status)).all())
