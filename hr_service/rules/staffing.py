"""How many workers a community may have (S4-1, S4-3, D-9)."""
from __future__ import annotations

import msgspec


class StaffingRule(msgspec.Struct, frozen=True):
    """S4-1, S4-3, D-9: one worker per ``households_per_worker`` households,
    ``party_posts`` more where party members reach ``party_members_threshold``,
    never more than ``cap``."""

    households_per_worker: int = 400
    party_members_threshold: int = 100
    party_posts: int = 2
    cap: int = 15


def staffing_quota(households: int, party_members: int, rule: StaffingRule) -> int:
    """S4-1 社区居委会按照每400户左右有一名社区工作者; S4-3 拥有100名以上党员的社区…配两名专职党务干部;
    D-9 at most ``cap`` in one community."""
    base = -(-households // rule.households_per_worker)  # ceil
    party = rule.party_posts if party_members >= rule.party_members_threshold else 0
    return min(base + party, rule.cap)
