"""Leader-talent rounds (社区工作领军人才选拔, D-7, S2-6, S0-3, S1-2): queries and
transactions.

A round moves through its states in order, each step allowed only from the
state before it (409 otherwise):

    nominating → scoring → ranked → notice → final

The ``talent_round`` policy in force on the day the round opens is copied onto
the round, so every step of one round applies the same figures.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import msgspec
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.rules import Reason, TalentRule
from certs_service.store import assessments_of, in_scope, profile_to_write
from certs_service.tables import (
    Certificate,
    Designation,
    DistrictQuota,
    ExpertScore,
    Nomination,
    Objection,
    Profile,
    TalentRound,
)
from shared.auth import Principal, district_in, require_jurisdiction
from shared.errors import Conflict, Invalid, NotFound
from shared.events import TalentSelected
from shared.outbox import publish_many
from shared.web import Service
from shared.workdays import default_calendar

NOMINATING, SCORING, RANKED, NOTICE, FINAL = "nominating", "scoring", "ranked", "notice", "final"
STATES = (NOMINATING, SCORING, RANKED, NOTICE, FINAL)
ACTIVE, WITHDRAWN = "active", "withdrawn"
SELECTED, RESERVE, STRUCK = "selected", "reserve", "struck"
UPHELD, DISMISSED = "upheld", "dismissed"


def rule_of(r: TalentRound) -> TalentRule:
    return msgspec.convert(r.rule, TalentRule)


# --- the round ---------------------------------------------------------------


def open_round(
    session: Session, svc: Service, principal: Principal, *, name: str, jurisdiction: str, city_quota: int,
    district_quotas: dict[str, int], opened_on: date, today: date, now: datetime,
) -> TalentRound:
    """D-7 "a call with a city quota and per-district nomination quotas"
    (S2-6: 61 the first time)."""
    require_jurisdiction(principal, jurisdiction)
    if opened_on > today:
        raise Invalid("date_in_future", f"opened_on {opened_on} is in the future.", f"opened_on {opened_on} 晚于今天。",
                      field="opened_on")
    for district in district_quotas:
        if district == jurisdiction or not district_in(jurisdiction, district):
            raise Invalid("district_outside_round", f"'{district}' is not a district of {jurisdiction}.",
                          f"“{district}”不是{jurisdiction}的下辖区。", field=f"district_quotas.{district}", clause="D-7")
    if not district_quotas:
        raise Invalid("no_district_quotas", "A round needs at least one district's nomination quota.",
                      "须设定各区的推荐名额。", field="district_quotas", clause="D-7")
    rule = svc.policies.in_force(session, "talent_round", jurisdiction, opened_on)
    r = TalentRound(name=name, jurisdiction=jurisdiction, city_quota=city_quota, opened_on=opened_on,
                    state=NOMINATING, rule=msgspec.to_builtins(rule), created_by=principal.sub, created_at=now)
    session.add(r)
    session.flush()
    session.add_all(DistrictQuota(round_id=r.id, district=d, quota=q) for d, q in district_quotas.items())
    session.flush()
    return r


def round_to_read(session: Session, principal: Principal, round_id: int) -> TalentRound:
    """A round is seen by the officers of its city and of its districts."""
    r = session.get(TalentRound, round_id)
    if r is None or not (principal.covers(r.jurisdiction) or district_in(r.jurisdiction, principal.jurisdiction)):
        raise NotFound("talent round", "领军人才选拔", round_id)
    return r


def round_to_run(session: Session, principal: Principal, round_id: int, step: str, *states: str) -> TalentRound:
    """The round, for an officer of its jurisdiction, in one of ``states`` (409 otherwise)."""
    r = round_to_read(session, principal, round_id)
    require_jurisdiction(principal, r.jurisdiction)
    expect_state(r, step, *states)
    return r


def expect_state(r: TalentRound, step: str, *states: str) -> None:
    if r.state not in states:
        raise Conflict(
            "round_step_out_of_order",
            f"'{step}' needs the round to be {' or '.join(states)}; it is {r.state} (D-7: "
            f"{' → '.join(STATES)}).",
            f"该轮选拔当前为“{r.state}”阶段，不能执行“{step}”。",
            field="state", clause="D-7", extra={"state": r.state, "expected": list(states)},
        )


def district_quotas(session: Session, round_id: int) -> dict[str, int]:
    rows = session.execute(select(DistrictQuota.district, DistrictQuota.quota).where(DistrictQuota.round_id == round_id))
    return dict(rows.all())


def nominations_by_district(session: Session, round_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Nomination.district, func.count()).where(Nomination.round_id == round_id, Nomination.status == ACTIVE)
        .group_by(Nomination.district)
    )
    return dict(rows.all())


# --- nominations and eligibility ---------------------------------------------


class Facts(msgspec.Struct):
    """What eligibility was judged on."""

    service_years: int
    levels_held: list[str]
    assessments: dict[int, str]


def eligibility(session: Session, profile: Profile, as_of: date, rule: TalentRule) -> tuple[list[Reason], Facts]:
    """D-7 from the worker's record here: years of service, HR's assessments, certificates held on ``as_of``."""
    levels = list(session.execute(
        select(Certificate.level).where(Certificate.worker_id == profile.worker_id, Certificate.qualified_on <= as_of)
        .order_by(Certificate.level_rank)
    ).scalars())
    assessments = assessments_of(session, [profile.worker_id]).get(profile.worker_id, {})
    candidate = rules.Candidate(profile.hired_on, profile.prior_service_years, profile.left_on, assessments, levels)
    years = rules.service_years(profile.hired_on, profile.prior_service_years, as_of)
    return rules.eligibility(candidate, as_of, rule), Facts(years, levels, assessments)


def nominate(session: Session, principal: Principal, round_id: int, *, worker_id: int, nominated_on: date,
             today: date, now: datetime) -> Nomination:
    """A district's nomination: within the district's quota (409 beyond it),
    of an eligible worker (422 with every reason otherwise)."""
    r = round_to_read(session, principal, round_id)
    expect_state(r, "nominate", NOMINATING)
    profile = profile_to_write(session, principal, worker_id)
    if not r.opened_on <= nominated_on <= today:
        raise Invalid("nomination_date", f"nominated_on must be between {r.opened_on} and today.",
                      f"推荐日期须在 {r.opened_on} 至今天之间。", field="nominated_on", clause="D-7")
    district = next((d for d in district_quotas(session, r.id) if district_in(d, profile.jurisdiction)), None)
    if district is None:
        raise Conflict("district_not_in_round", f"The round has no nomination quota for {profile.jurisdiction}.",
                       f"本轮选拔未给{profile.jurisdiction}分配推荐名额。", field="worker_id", clause="D-7")
    if session.execute(select(Nomination.id).where(Nomination.round_id == r.id, Nomination.worker_id == worker_id)).first():
        raise Conflict("already_nominated", f"Worker {worker_id} is already nominated in this round.",
                       "该社工已被推荐。", field="worker_id", clause="D-7")
    quota = session.execute(  # the row lock serialises a district's nominations on PostgreSQL
        select(DistrictQuota.quota).where(DistrictQuota.round_id == r.id, DistrictQuota.district == district)
        .with_for_update()
    ).scalar_one()
    made = nominations_by_district(session, r.id).get(district, 0)
    if made >= quota:
        raise Conflict(
            "district_quota_full", f"{district} has used all {quota} of its nominations in this round (D-7).",
            f"{district}的 {quota} 个推荐名额已用完。", field="worker_id", clause="D-7",
            extra={"district": district, "quota": quota, "nominated": made},
        )
    reasons, _ = eligibility(session, profile, r.opened_on, rule_of(r))
    if reasons:
        raise Invalid(
            "not_eligible", f"Worker {worker_id} is not eligible: " + " ".join(x.detail for x in reasons),
            "不符合推荐条件：" + "".join(x.detail_zh for x in reasons), field="worker_id", clause="D-7",
            extra={"reasons": [msgspec.to_builtins(x) for x in reasons]},
        )
    n = Nomination(round_id=r.id, worker_id=worker_id, district=district, nominated_on=nominated_on, status=ACTIVE,
                   nominated_by=principal.sub, created_at=now)
    session.add(n)
    session.flush()
    return n


def active_nominations(session: Session, round_id: int) -> list[Nomination]:
    return list(session.execute(select(Nomination).where(Nomination.round_id == round_id, Nomination.status == ACTIVE)
                                .order_by(Nomination.id)).scalars())


def nominations_of(session: Session, round_id: int) -> list[tuple[Nomination, str]]:
    """Every nomination of the round with the nominee's name, in rank order once ranked."""
    return list(session.execute(
        select(Nomination, Profile.name).join(Profile, Profile.worker_id == Nomination.worker_id)
        .where(Nomination.round_id == round_id)
        .order_by(Nomination.rank.is_(None), Nomination.rank, Nomination.id)
    ).all())


def nomination_of(session: Session, round_id: int, worker_id: int, field: str = "worker_id") -> Nomination:
    n = session.execute(select(Nomination).where(Nomination.round_id == round_id, Nomination.worker_id == worker_id,
                                                 Nomination.status == ACTIVE)).scalar()
    if n is None:
        raise Invalid("not_nominated", f"Worker {worker_id} has no nomination in this round.",
                      f"社工 {worker_id} 未在本轮被推荐。", field=field, clause="D-7")
    return n


def close_nominations(session: Session, principal: Principal, round_id: int) -> TalentRound:
    r = round_to_run(session, principal, round_id, "close nominations", NOMINATING)
    if not active_nominations(session, r.id):
        raise Conflict("no_nominations", "The round has no nominations.", "本轮没有推荐人选。", clause="D-7")
    r.state = SCORING
    return r


# --- expert scoring and ranking ----------------------------------------------


class ScoreEntry(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: int
    scores: dict[str, Decimal]


def record_scores(session: Session, principal: Principal, round_id: int, *, expert: str,
                  entries: list[ScoreEntry]) -> int:
    """One expert's scores (陈述答辩评审, S1-2) on every D-7 criterion, each from 0
    to the policy's maximum with at most two decimals. A second sheet from
    the same expert for the same nominee replaces the first."""
    r = round_to_run(session, principal, round_id, "score", SCORING)
    rule = rule_of(r)
    rows = []
    for i, e in enumerate(entries):
        n = nomination_of(session, r.id, e.worker_id, field=f"entries[{i}].worker_id")
        if set(e.scores) != set(rule.weights):
            raise Invalid("criteria_mismatch", f"Score exactly the criteria {', '.join(rule.weights)}.",
                          f"须对以下各项评分：{'、'.join(rule.weights)}。", field=f"entries[{i}].scores", clause="D-7")
        for criterion, value in e.scores.items():
            if not value.is_finite() or not 0 <= value <= rule.score_max or value != value.quantize(rules.CENT):
                raise Invalid("score_out_of_range",
                              f"A score is from 0 to {rule.score_max} with at most two decimals; got {value}.",
                              f"评分须在 0 至 {rule.score_max} 之间（最多两位小数），实为 {value}。",
                              field=f"entries[{i}].scores.{criterion}", clause="D-7")
            rows.append(ExpertScore(nomination_id=n.id, expert=expert, criterion=criterion, centi=rules.to_centi(value)))
    session.execute(delete(ExpertScore).where(ExpertScore.expert == expert,
                                              ExpertScore.nomination_id.in_({row.nomination_id for row in rows})))
    session.add_all(rows)
    session.flush()
    return len(entries)


def scores_by_nomination(session: Session, nomination_ids: list[int]) -> dict[int, dict[str, dict[str, int]]]:
    out: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = session.execute(select(ExpertScore).where(ExpertScore.nomination_id.in_(nomination_ids))).scalars()
    for s in rows:
        out[s.nomination_id][s.expert][s.criterion] = s.centi
    return out


def rank_round(session: Session, principal: Principal, round_id: int) -> TalentRound:
    """D-7 ranking against the city quota, by ``rules.rank`` (mean per criterion
    over the experts, weighted sum; ties by the heavier criteria, then longer
    service, then earlier nomination). Every nominee needs the policy's number
    of expert sheets first."""
    r = round_to_run(session, principal, round_id, "rank", SCORING)
    rule = rule_of(r)
    noms = active_nominations(session, r.id)
    scores = scores_by_nomination(session, [n.id for n in noms])
    missing = [n.worker_id for n in noms if len(scores.get(n.id, {})) < rule.min_experts]
    if missing:
        raise Conflict("scores_missing", f"Each nominee needs scores from {rule.min_experts} experts; "
                       f"workers {', '.join(map(str, missing))} have fewer.",
                       f"每名人选须有 {rule.min_experts} 名专家评分，尚缺：{'、'.join(map(str, missing))}。",
                       field="scores", clause="D-7", extra={"workers": missing})
    profiles = {p.worker_id: p for p in session.execute(
        select(Profile).where(Profile.worker_id.in_([n.worker_id for n in noms]))).scalars()}
    scored = [
        rules.Scored(n.id, service_days(profiles[n.worker_id], r.opened_on), scores[n.id]) for n in noms
    ]
    by_id = {n.id: n for n in noms}
    for ranked in rules.rank(scored, r.city_quota, rule.weights):
        n = by_id[ranked.nomination_id]
        n.rank, n.composite = ranked.rank, str(rules.points(ranked.composite))
        n.outcome = SELECTED if ranked.selected else RESERVE
    r.state = RANKED
    session.flush()
    return r


def service_days(p: Profile, as_of: date) -> int:
    """Length of service for the tie rule: days since hire plus prior years at 365 days."""
    return (max((as_of - p.hired_on).days, 0) if p.hired_on else 0) + 365 * p.prior_service_years


def means_of(session: Session, nominations: list[Nomination], weights: dict[str, int]) -> dict[int, dict[str, Decimal]]:
    """Each nominee's mean per criterion over the experts, for display."""
    scores = scores_by_nomination(session, [n.id for n in nominations])
    return {
        n_id: {c: rules.points(m) for c, m in rules.combine(sheets, weights)[1].items()}
        for n_id, sheets in scores.items() if sheets
    }


# --- public notice and objections (公示, S1-2) --------------------------------


def start_notice(session: Session, principal: Principal, round_id: int, *, starts_on: date) -> TalentRound:
    """D-7 "public notice 5 working days" (D-10 calendar) of the selected."""
    r = round_to_run(session, principal, round_id, "publish notice", RANKED)
    if starts_on < r.opened_on:
        raise Invalid("notice_before_round", "The notice cannot start before the round opened.",
                      "公示不能早于选拔开始。", field="starts_on", clause="D-7")
    r.notice_starts_on = starts_on
    r.notice_ends_on = default_calendar().add_working_days(starts_on, rule_of(r).notice_working_days)
    session.execute(update(Nomination).where(Nomination.round_id == r.id, Nomination.outcome == SELECTED,
                                             Nomination.status == ACTIVE)
                    .values(notice_starts_on=r.notice_starts_on, notice_ends_on=r.notice_ends_on))
    r.state = NOTICE
    return r


def raise_objection(session: Session, principal: Principal, round_id: int, *, worker_id: int, raised_on: date,
                    grounds: str, today: date, now: datetime) -> Objection:
    """An objection to a selected candidate, during that candidate's notice."""
    r = round_to_run(session, principal, round_id, "raise an objection", NOTICE)
    n = nomination_of(session, r.id, worker_id)
    if n.outcome != SELECTED:
        raise Conflict("not_on_notice", f"Worker {worker_id} is not on the public notice.", "该社工不在公示名单中。",
                       field="worker_id", clause="S1-2")
    if raised_on > today or not n.notice_starts_on <= raised_on <= n.notice_ends_on:
        raise Conflict(
            "objection_outside_notice",
            f"Objections are taken during the notice, {n.notice_starts_on} to {n.notice_ends_on}.",
            f"异议须在公示期（{n.notice_starts_on} 至 {n.notice_ends_on}）内提出。", field="raised_on", clause="S1-2",
            extra={"notice_starts_on": n.notice_starts_on.isoformat(), "notice_ends_on": n.notice_ends_on.isoformat()},
        )
    o = Objection(nomination_id=n.id, raised_on=raised_on, grounds=grounds, recorded_by=principal.sub, created_at=now)
    session.add(o)
    session.flush()
    return o


def decide_objection(session: Session, principal: Principal, round_id: int, objection_id: int, *, outcome: str,
                     decided_on: date, decision: str, today: date) -> tuple[Objection, Nomination | None]:
    """Decide an objection. Upheld: the candidate is struck and the next in
    rank (the best reserve) takes the place, with a notice of their own from
    the day after the decision. Returns the objection and that substitute."""
    r = round_to_run(session, principal, round_id, "decide an objection", NOTICE)
    o = session.get(Objection, objection_id)
    n = session.get(Nomination, o.nomination_id) if o else None
    if o is None or n is None or n.round_id != r.id:
        raise NotFound("objection", "异议", objection_id)
    if o.outcome is not None:
        raise Conflict("objection_decided", f"The objection was already decided ({o.outcome}).", "该异议已有处理结论。",
                       field="outcome", clause="S1-2")
    if outcome not in (UPHELD, DISMISSED):
        raise Invalid("unknown_outcome", "outcome is upheld or dismissed.", "处理结论应为 upheld 或 dismissed。",
                      field="outcome")
    if not o.raised_on <= decided_on <= today:
        raise Invalid("decision_date", f"decided_on must be between {o.raised_on} and today.",
                      f"处理日期须在 {o.raised_on} 至今天之间。", field="decided_on")
    o.outcome, o.decided_on, o.decision = outcome, decided_on, decision
    substitute = None
    if outcome == UPHELD:
        n.outcome = STRUCK
        substitute = session.execute(
            select(Nomination).where(Nomination.round_id == r.id, Nomination.status == ACTIVE,
                                     Nomination.outcome == RESERVE).order_by(Nomination.rank).limit(1)
        ).scalar()
        if substitute is not None:
            start = decided_on + timedelta(days=1)
            substitute.outcome, substitute.notice_starts_on = SELECTED, start
            substitute.notice_ends_on = default_calendar().add_working_days(start, rule_of(r).notice_working_days)
    session.flush()
    return o, substitute


def objections_of(session: Session, round_id: int) -> list[tuple[Objection, Nomination]]:
    return list(session.execute(
        select(Objection, Nomination).join(Nomination, Nomination.id == Objection.nomination_id)
        .where(Nomination.round_id == round_id).order_by(Objection.id)
    ).all())


# --- designation, roster, supervisor role ------------------------------------


def finalise(session: Session, svc: Service, principal: Principal, round_id: int, *, on: date,
             today: date, now: datetime) -> list[Designation]:
    """After every notice has run its course and every objection is decided:
    the selected become leader talents for the policy's term with its monthly
    allowance (D-7), each publishing talent.selected."""
    r = round_to_run(session, principal, round_id, "finalise", NOTICE)
    rule = rule_of(r)
    pending = session.execute(
        select(func.count()).select_from(Objection).join(Nomination, Nomination.id == Objection.nomination_id)
        .where(Nomination.round_id == r.id, Objection.outcome.is_(None))
    ).scalar_one()
    if pending:
        raise Conflict("objections_pending", f"{pending} objection(s) are not decided yet.",
                       f"尚有 {pending} 件异议未处理。", field="state", clause="S1-2")
    selected = list(session.execute(
        select(Nomination, Profile).join(Profile, Profile.worker_id == Nomination.worker_id)
        .where(Nomination.round_id == r.id, Nomination.status == ACTIVE, Nomination.outcome == SELECTED)
        .order_by(Nomination.rank)
    ).all())
    last_day = max((n.notice_ends_on for n, _ in selected), default=r.notice_ends_on)
    if on <= last_day:
        raise Conflict("notice_not_over", f"The public notice runs until {last_day}; finalise after it.",
                       f"公示期至 {last_day} 止，期满后方可确定。", field="on", clause="D-7",
                       extra={"notice_ends_on": last_day.isoformat()})
    if on > today:
        raise Invalid("date_in_future", f"on {on} is in the future.", f"{on} 晚于今天。", field="on")
    ends = rules.term_ends_on(on, rule)
    designations = [
        Designation(worker_id=n.worker_id, round_id=r.id, term_starts_on=on, term_ends_on=ends,
                    allowance_fen=rule.allowance_fen_per_month, created_at=now)
        for n, _ in selected
    ]
    session.add_all(designations)
    r.state, r.finalised_on = FINAL, on
    session.flush()
    publish_many(session, svc.infra.outbox, [
        TalentSelected(worker_id=d.worker_id, jurisdiction=p.jurisdiction, round_id=r.id, term_starts_on=on,
                       term_ends_on=ends, allowance_fen=d.allowance_fen)
        for d, (_, p) in zip(designations, selected)
    ])
    return designations


def in_force(as_of: date):
    d = Designation
    return and_(d.term_starts_on <= as_of, d.term_ends_on >= as_of, or_(d.ended_on.is_(None), d.ended_on > as_of))


def roster(session: Session, scope: str, as_of: date, limit: int, offset: int) -> tuple[list[tuple[Designation, Profile]], int]:
    """The leader talents in office on ``as_of`` (S2-6)."""
    q = (select(Designation, Profile).join(Profile, Profile.worker_id == Designation.worker_id)
         .where(in_force(as_of), in_scope(Profile.jurisdiction, scope)))
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(Designation.id).limit(limit).offset(offset))
    return list(rows.all()), total


def designations_of(session: Session, worker_id: int) -> list[Designation]:
    return list(session.execute(select(Designation).where(Designation.worker_id == worker_id)
                                .order_by(Designation.term_starts_on)).scalars())


def close_for_leaver(session: Session, worker_id: int, left_on: date) -> None:
    """worker.left: withdraw nominations in rounds not yet final; end terms in office."""
    open_rounds = select(TalentRound.id).where(TalentRound.state != FINAL)
    session.execute(update(Nomination).where(Nomination.worker_id == worker_id, Nomination.status == ACTIVE,
                                             Nomination.round_id.in_(open_rounds)).values(status=WITHDRAWN))
    session.execute(update(Designation).where(Designation.worker_id == worker_id, Designation.ended_on.is_(None),
                                              Designation.term_ends_on >= left_on).values(ended_on=left_on))
