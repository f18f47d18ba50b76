"""Expert scoring (陈述答辩评审, S1-2) and the ranking of a leader-talent round (D-7)."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.rules import TalentRule
from certs_service.states import NominationOutcome, RoundState
from certs_service.store.nominations import active_nominations, not_nominated
from certs_service.store.rounds import round_to_move, round_to_run, rule_of
from certs_service.tables import ExpertScore, Nomination, Profile, TalentRound
from shared.auth import Principal
from shared.errors import Conflict, Invalid
from shared.types import Id


class ScoreEntry(msgspec.Struct, forbid_unknown_fields=True):
    worker_id: Id
    scores: dict[str, Decimal]


def check_scores(i: int, entry: ScoreEntry, rule: TalentRule) -> None:
    """Every D-7 criterion and no other, each from 0 to the policy's maximum with at most two decimals."""
    if set(entry.scores) != set(rule.weights):
        raise Invalid("criteria_mismatch", f"Score exactly the criteria {', '.join(rule.weights)}.",
                      f"须对以下各项评分：{'、'.join(rule.weights)}。", field=f"entries[{i}].scores", clause="D-7")
    for criterion, value in entry.scores.items():
        if not value.is_finite() or not 0 <= value <= rule.score_max or value != value.quantize(rules.CENT):
            raise Invalid("score_out_of_range",
                          f"A score is from 0 to {rule.score_max} with at most two decimals; got {value}.",
                          f"评分须在 0 至 {rule.score_max} 之间（最多两位小数），实为 {value}。",
                          field=f"entries[{i}].scores.{criterion}", clause="D-7")


def record_scores(session: Session, principal: Principal, round_id: int, *, expert: str,
                  entries: list[ScoreEntry]) -> int:
    """One expert's scores (陈述答辩评审, S1-2) on every D-7 criterion, each from 0
    to the policy's maximum with at most two decimals. A second sheet from
    the same expert for the same nominee replaces the first."""
    r = round_to_run(session, principal, round_id, "score", RoundState.scoring)
    rule = rule_of(r)
    nominated = {n.worker_id: n for n in active_nominations(session, r.id)}
    rows = []
    for i, e in enumerate(entries):
        n = nominated.get(e.worker_id)
        if n is None:
            raise not_nominated(e.worker_id, f"entries[{i}].worker_id")
        check_scores(i, e, rule)
        rows.extend(ExpertScore(nomination_id=n.id, expert=expert, criterion=criterion, centi=rules.to_centi(value))
                    for criterion, value in e.scores.items())
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
    r = round_to_move(session, principal, round_id, "rank", RoundState.ranked)
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
        rules.Scored(n.id, rules.service_days(profiles[n.worker_id].hired_on,
                                              profiles[n.worker_id].prior_service_years, r.opened_on), scores[n.id])
        for n in noms
    ]
    by_id = {n.id: n for n in noms}
    for ranked in rules.rank(scored, r.city_quota, rule.weights):
        n = by_id[ranked.nomination_id]
        n.rank, n.composite = ranked.rank, str(rules.points(ranked.composite))
        n.outcome = NominationOutcome.selected if ranked.selected else NominationOutcome.reserve
    r.state = RoundState.ranked
    session.flush()
    return r


def means_of(session: Session, nominations: list[Nomination], weights: dict[str, int]) -> dict[int, dict[str, Decimal]]:
    """Each nominee's mean per criterion over the experts, for display."""
    scores = scores_by_nomination(session, [n.id for n in nominations])
    return {
        n_id: {c: rules.points(m) for c, m in rules.combine(sheets, weights)[1].items()}
        for n_id, sheets in scores.items() if sheets
    }
