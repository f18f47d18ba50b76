"""Leader-talent rounds (社区工作领军人才选拔, D-7, S2-6): opening a round, who
sees it, and its steps in order.

A round moves through its states in order (``states.ROUND``), each step
allowed only from the state before it (409 otherwise):

    nominating → scoring → ranked → notice → final

The ``talent_round`` policy in force on the day the round opens is copied onto
the round, so every step of one round applies the same figures.
"""
from __future__ import annotations

from datetime import date, datetime

import msgspec
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from certs_service.rules import TalentRule
from certs_service.states import ROUND, NominationStatus, RoundState
from certs_service.tables import DistrictQuota, Nomination, TalentRound
from shared.auth import Principal, district_in, require_jurisdiction
from shared.db import in_jurisdiction as in_scope
from shared.errors import Conflict, Invalid, NotFound, refuse_future
from shared.paging import fetch_page
from shared.web import Service


def rule_of(r: TalentRound) -> TalentRule:
    """The ``talent_round`` policy fixed on the round when it opened."""
    return msgspec.convert(r.rule, TalentRule)


def open_round(
    session: Session, svc: Service, principal: Principal, *, name: str, jurisdiction: str, city_quota: int,
    district_quotas: dict[str, int], opened_on: date, today: date, now: datetime,
) -> TalentRound:
    """D-7 "a call with a city quota and per-district nomination quotas"
    (S2-6: 61 the first time)."""
    require_jurisdiction(principal, jurisdiction)
    refuse_future(opened_on, today, "opened_on", clause="D-7")
    for district in district_quotas:
        if district == jurisdiction or not district_in(jurisdiction, district):
            raise Invalid("district_outside_round", f"'{district}' is not a district of {jurisdiction}.",
                          f"“{district}”不是{jurisdiction}的下辖区。", field=f"district_quotas.{district}",
                          clause="D-7")
    if not district_quotas:
        raise Invalid("no_district_quotas", "A round needs at least one district's nomination quota.",
                      "须设定各区的推荐名额。", field="district_quotas", clause="D-7")
    rule: TalentRule = svc.policies.in_force(session, "talent_round", jurisdiction, opened_on)
    r = TalentRound(name=name, jurisdiction=jurisdiction, city_quota=city_quota, opened_on=opened_on,
                    state=RoundState.nominating, rule=msgspec.to_builtins(rule), created_by=principal.sub,
                    created_at=now)
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


def round_to_run(session: Session, principal: Principal, round_id: int, step: str, state: RoundState) -> TalentRound:
    """The round, for an officer of its jurisdiction, in ``state`` (409 otherwise)."""
    r = round_to_read(session, principal, round_id)
    require_jurisdiction(principal, r.jurisdiction)
    expect_state(r, step, state)
    return r


def round_to_move(session: Session, principal: Principal, round_id: int, step: str, to: RoundState) -> TalentRound:
    """The round, for an officer of its jurisdiction, in a state ``ROUND`` lets move to ``to`` (409 otherwise)."""
    r = round_to_read(session, principal, round_id)
    require_jurisdiction(principal, r.jurisdiction)
    if not ROUND.can(r.state, to):
        expect_state(r, step, *(s for s in RoundState if ROUND.can(s, to)))
    return r


def expect_state(r: TalentRound, step: str, *states: RoundState) -> None:
    if r.state not in states:
        raise Conflict(
            "round_step_out_of_order",
            f"'{step}' needs the round to be {' or '.join(states)}; it is {r.state} (D-7: "
            f"{' → '.join(RoundState)}).",
            f"该轮选拔当前为“{r.state}”阶段，不能执行“{step}”。",
            field="state", clause="D-7", extra={"state": r.state, "expected": [s.value for s in states]},
        )


def district_quotas(session: Session, round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each round's nomination quota per district, in one query."""
    out: dict[int, dict[str, int]] = {rid: {} for rid in round_ids}
    rows = session.execute(select(DistrictQuota.round_id, DistrictQuota.district, DistrictQuota.quota)
                           .where(DistrictQuota.round_id.in_(round_ids)))
    for rid, district, quota in rows:
        out[rid][district] = quota
    return out


def nominations_by_district(session: Session, round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each round's active nominations per district, in one query."""
    out: dict[int, dict[str, int]] = {rid: {} for rid in round_ids}
    rows = session.execute(
        select(Nomination.round_id, Nomination.district, func.count())
        .where(Nomination.round_id.in_(round_ids), Nomination.status == NominationStatus.active)
        .group_by(Nomination.round_id, Nomination.district)
    )
    for rid, district, n in rows:
        out[rid][district] = n
    return out


def list_talent_rounds(session: Session, scope: str, *, state: RoundState | None, name: str | None, limit: int,
                       offset: int) -> tuple[list[TalentRound], int]:
    """Leader-talent rounds seen from ``scope``, newest first: those of ``scope``
    and under it, and those of the city it is a district of (as
    ``round_to_read`` lets a district officer read its city's rounds)."""
    parts = scope.split(".")
    above = [".".join(parts[:i]) for i in range(1, len(parts))]
    q = select(TalentRound).where(or_(in_scope(TalentRound.jurisdiction, scope), TalentRound.jurisdiction.in_(above)))
    if state is not None:
        q = q.where(TalentRound.state == state)
    if name is not None:
        q = q.where(TalentRound.name == name)
    page, total = fetch_page(session, q, [TalentRound.opened_on.desc(), TalentRound.id.desc()], limit, offset)
    return list(page.scalars()), total
