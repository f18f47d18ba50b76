"""Who may take a place (S2-2 分层, S0-4, S2-3, S2-6, D-8)."""
from __future__ import annotations

import msgspec

from shared.auth import district_in
from shared.errors import Refusal
from training_service.rules.policies import Eligibility, TierEligibility
from training_service.rules.terms import LEADER_TALENT, TIER_NAMES


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


def fits(rule: Eligibility, post: str, designations: frozenset[str]) -> bool:
    """Any of the rule's posts (or every post) and, if it names designations, one of them."""
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
                       f"社区工作者 {worker.worker_id} 已离职。", field="worker_id", clause="D-6")
    if not district_in(offer.session_jurisdiction, worker.jurisdiction):
        return Refusal("outside_session_jurisdiction",
                       f"The session is for {offer.session_jurisdiction}; the worker is in {worker.jurisdiction}.",
                       f"该班次面向 {offer.session_jurisdiction}，该社区工作者属于 {worker.jurisdiction}。",
                       field="worker_id", clause="D-8")
    tier_rule = tiers.tiers.get(offer.tier, Eligibility())
    if not fits(tier_rule, worker.post, worker.designations):
        need = "/".join(tier_rule.posts + tier_rule.designations)
        clause = "S2-6" if LEADER_TALENT in tier_rule.designations else (
            "S0-4" if offer.tier == "secretary_director" else "S2-2")
        return Refusal("not_eligible_for_tier",
                       f"The {offer.tier} tier is for {need}; worker {worker.worker_id} is {worker.post}"
                       + (f" ({', '.join(sorted(worker.designations))})" if worker.designations else "") + ".",
                       f"{TIER_NAMES.get(offer.tier, offer.tier)}面向{need}，该社区工作者不符合条件。",
                       field="worker_id", clause=clause)
    if not fits(Eligibility(offer.eligible_posts, offer.eligible_designations), worker.post, worker.designations):
        need = "/".join(offer.eligible_posts + offer.eligible_designations)
        return Refusal("not_eligible_for_programme",
                       f"This programme is for {need}; worker {worker.worker_id} is {worker.post}.",
                       f"该培训项目面向{need}，该社区工作者不符合条件。", field="worker_id", clause="S2-2")
    if offer.location == "abroad" and not selected_abroad:
        return Refusal("not_selected_abroad",
                       f"Study abroad is for workers on the {offer.year} selection list; "
                       f"worker {worker.worker_id} is not.",
                       f"出境学习仅限 {offer.year} 年度选派名单内的社区工作者。", field="worker_id", clause="S2-3")
    return None
