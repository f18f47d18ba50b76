"""Nominations to a leader-talent round (D-7): eligibility from the worker's
record here, the districts' quotas, and closing the nominations."""
from __future__ import annotations

from datetime import date, datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.rules import Reason, TalentRule
from certs_service.states import NominationStatus, RoundState
from certs_service.store.profiles import assessments_of, profile_to_write
from certs_service.store.rounds import (
    district_quotas,
    expect_state,
    nominations_by_district,
    round_to_move,
    round_to_read,
    rule_of,
)
from certs_service.tables import Certificate, DistrictQuota, Nomination, Profile, TalentRound
from shared.auth import Principal, district_in
from shared.errors import Conflict, Invalid


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
    candidate = rules.Candidate(profile.worker_id, profile.hired_on, profile.prior_service_years, profile.left_on,
                                assessments, levels)
    years = rules.service_years(profile.hired_on, profile.prior_service_years, as_of)
    return rules.eligibility(candidate, as_of, rule), Facts(years, levels, assessments)


def nomination_district(session: Session, r: TalentRound, profile: Profile) -> str:
    """The district of the round whose quota the worker is nominated under (409 if none)."""
    quotas = district_quotas(session, [r.id])[r.id]
    district = next((d for d in quotas if district_in(d, profile.jurisdiction)), None)
    if district is None:
        raise Conflict("district_not_in_round", f"The round has no nomination quota for {profile.jurisdiction}.",
                       f"本轮选拔未给{profile.jurisdiction}分配推荐名额。", field="worker_id", clause="D-7")
    return district


def check_quota(session: Session, r: TalentRound, district: str) -> None:
    """D-7: a district nominates within its quota (409 beyond it)."""
    quota = session.execute(  # the row lock serialises a district's nominations on PostgreSQL
        select(DistrictQuota.quota).where(DistrictQuota.round_id == r.id, DistrictQuota.district == district)
        .with_for_update()
    ).scalar_one()
    made = nominations_by_district(session, [r.id])[r.id].get(district, 0)
    if made >= quota:
        raise Conflict(
            "district_quota_full", f"{district} has used all {quota} of its nominations in this round (D-7).",
            f"{district}的 {quota} 个推荐名额已用完。", field="worker_id", clause="D-7",
            extra={"district": district, "quota": quota, "nominated": made},
        )


def nominate(session: Session, principal: Principal, round_id: int, *, worker_id: int, nominated_on: date,
             today: date, now: datetime) -> Nomination:
    """A district's nomination: within the district's quota (409 beyond it),
    of an eligible worker (422 with every reason otherwise)."""
    r = round_to_read(session, principal, round_id)
    expect_state(r, "nominate", RoundState.nominating)
    profile = profile_to_write(session, principal, worker_id)
    if not r.opened_on <= nominated_on <= today:
        raise Invalid("nomination_date", f"nominated_on must be between {r.opened_on} and today.",
                      f"推荐日期须在 {r.opened_on} 至今天之间。", field="nominated_on", clause="D-7")
    district = nomination_district(session, r, profile)
    nominated = select(Nomination.id).where(Nomination.round_id == r.id, Nomination.worker_id == worker_id)
    if session.execute(nominated).first():
        raise Conflict("already_nominated", f"Worker {worker_id} is already nominated in this round.",
                       "该社工已被推荐。", field="worker_id", clause="D-7")
    check_quota(session, r, district)
    reasons, _ = eligibility(session, profile, r.opened_on, rule_of(r))
    if reasons:
        raise Invalid(
            "not_eligible", f"Worker {worker_id} is not eligible: " + " ".join(x.detail for x in reasons),
            "不符合推荐条件：" + "".join(x.detail_zh for x in reasons), field="worker_id", clause="D-7",
            extra={"reasons": [msgspec.to_builtins(x) for x in reasons]},
        )
    n = Nomination(round_id=r.id, worker_id=worker_id, district=district, nominated_on=nominated_on,
                   status=NominationStatus.active, nominated_by=principal.sub, created_at=now)
    session.add(n)
    session.flush()
    return n


def active_nominations(session: Session, round_id: int) -> list[Nomination]:
    return list(session.execute(
        select(Nomination).where(Nomination.round_id == round_id, Nomination.status == NominationStatus.active)
        .order_by(Nomination.id)
    ).scalars())


def nominations_of(session: Session, round_id: int) -> list[tuple[Nomination, str]]:
    """Every nomination of the round with the nominee's name, in rank order once ranked."""
    return list(session.execute(
        select(Nomination, Profile.name).join(Profile, Profile.worker_id == Nomination.worker_id)
        .where(Nomination.round_id == round_id)
        .order_by(Nomination.rank.is_(None), Nomination.rank, Nomination.id)
    ).all())


def nomination_of(session: Session, round_id: int, worker_id: int, field: str = "worker_id") -> Nomination:
    """The worker's active nomination in the round (422 if none)."""
    n = session.execute(select(Nomination).where(Nomination.round_id == round_id, Nomination.worker_id == worker_id,
                                                 Nomination.status == NominationStatus.active)).scalar()
    if n is None:
        raise not_nominated(worker_id, field)
    return n


def not_nominated(worker_id: int, field: str) -> Invalid:
    return Invalid("not_nominated", f"Worker {worker_id} has no nomination in this round.",
                   f"社工 {worker_id} 未在本轮被推荐。", field=field, clause="D-7")


def close_nominations(session: Session, principal: Principal, round_id: int) -> TalentRound:
    r = round_to_move(session, principal, round_id, "close nominations", RoundState.scoring)
    if not active_nominations(session, r.id):
        raise Conflict("no_nominations", "The round has no nominations.", "本轮没有推荐人选。", clause="D-7")
    r.state = RoundState.scoring
    return r
