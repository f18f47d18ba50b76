"""How many workers a community may have (S4-1, S4-3, D-9), from the figures
in force on a date (D-11), and whether there is room for more on the rolls.

Pure: the store loads a community's dated figures, the staffing versions and
the workers' time on its rolls, and calls these. Every path that adds or
moves a worker into a community (a hire, an import, recruitment's hire, a
transfer, a reinstatement) asks ``room`` the one question.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import msgspec

from hr_service.rules.rolls import on_rolls_during
from shared.errors import Refusal


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


# --- a community's dated figures (D-11) -----------------------------------------


class Figures(msgspec.Struct, frozen=True):
    """A community's households and party members from ``effective_from`` (D-11)."""

    effective_from: date
    households: int
    party_members: int


def figures_on(versions: Sequence[Figures], day: date) -> Figures:
    """D-11 a quota or work fund for a date uses the figures in force then: the
    latest version effective on or before ``day``; before the first, the first.
    ``versions`` is never empty (a community is registered with its first)."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    in_force = [v for v in ordered if v.effective_from <= day]
    return in_force[-1] if in_force else ordered[0]


def figures_dating(latest: date, effective_from: date) -> Refusal | None:
    """D-11 a community's households and party members are dated versions: a
    new version takes effect after the latest one; the past is not rewritten
    (a version dated before the latest, or on its date, is 409)."""
    if effective_from < latest:
        return Refusal("figures_before_latest",
                       f"The figures in force from {latest} are recorded; a new version may not take effect "
                       f"before them (the past is not rewritten).",
                       f"已记录自 {latest} 起的户数和党员数，新的数据不得早于该日期生效（已生效的数据不改写）。",
                       "effective_from", "D-11", 409, extra={"latest": latest.isoformat()})
    if effective_from == latest:
        return Refusal("figures_exist_for_date",
                       f"Figures taking effect on {latest} are recorded; date the new ones after it.",
                       f"已有 {latest} 起生效的户数和党员数，新的数据须晚于该日期生效。",
                       "effective_from", "D-11", 409, extra={"latest": latest.isoformat()})
    return None


# --- room on the rolls (S4-1, S4-3, D-9) -----------------------------------------


class Room(msgspec.Struct, frozen=True):
    """A community's quota and the workers on its rolls on the day ``on``
    (``capped`` when D-9's cap set the quota)."""

    community_code: str
    district: str
    quota: int
    headcount: int
    on: date | None = None
    capped: bool = False


class Place(msgspec.Struct, frozen=True):
    """One worker's time on a community's rolls: from ``starts_on`` to ``ends_on``
    (the last day; None while still there)."""

    starts_on: date
    ends_on: date | None = None


class QuotaStep(msgspec.Struct, frozen=True):
    """The quota from ``effective_from`` until the next step (figures or staffing rule changed)."""

    effective_from: date
    quota: int
    capped: bool = False


def unknown_community(code: str) -> Refusal:
    """A worker is put on the rolls of a registered community only."""
    return Refusal("unknown_community", f"There is no community '{code}'.", f"没有社区“{code}”。",
                   "community_code", "S4-1")


def quota_full(room: Room, adding: int = 1) -> Refusal:
    """409: the community, its quota and its headcount on the day, and how many were to be added."""
    on = f" on {room.on}" if room.on else ""
    on_zh = f"于{room.on}" if room.on else ""
    return Refusal(
        "quota_full",
        f"Community '{room.community_code}' has no room{on}: its quota is {room.quota} and {room.headcount} "
        f"worker(s) are on its rolls; adding {adding} would exceed it (S4-1, S4-3, D-9).",
        f"社区“{room.community_code}”{on_zh}编制{room.quota}名、在册{room.headcount}名，"
        f"再增加{adding}名将超出编制（S4-1、S4-3、D-9）。",
        "community_code", "D-9" if room.capped else "S4-1", 409,
        extra={"community_code": room.community_code, "quota": room.quota, "headcount": room.headcount,
               "adding": adding, "on": room.on.isoformat() if room.on else None},
    )


def room_refusal(room: Room, adding: int = 1) -> Refusal | None:
    """S4-1 社区居委会按照每400户左右有一名社区工作者 (with S4-3's party posts, capped by D-9):
    the headcount plus those being added may reach the quota, not pass it."""
    return quota_full(room, adding) if room.headcount + adding > room.quota else None


def headcount_on(places: Sequence[Place], day: date) -> int:
    """The workers on the rolls on ``day``: started on or before it, not left before it."""
    return sum(on_rolls_during(p.starts_on, p.ends_on, day, day) for p in places)


def quota_on(steps: Sequence[QuotaStep], day: date) -> QuotaStep:
    """The step in force on ``day`` (before the first, the first)."""
    in_force = [s for s in steps if s.effective_from <= day]
    return in_force[-1] if in_force else steps[0]


def room(code: str, district: str, places: Sequence[Place], steps: Sequence[QuotaStep], on: date,
         adding: int = 1, until: date | None = None) -> Room | Refusal:
    """S4-1, S4-3, D-9, D-11: may ``adding`` workers join the community's rolls
    on ``on``? Its headcount that day plus them must not pass its quota that
    day; with ``until``, on every later day up to it as well (a hire dated back
    stays on the rolls through the later hires and quota changes). The room on
    ``on``, or the refusal naming the first day without it."""
    later = {p.starts_on for p in places} | {s.effective_from for s in steps}
    days = [on] + sorted(d for d in later if until is not None and on < d <= until)
    for day in days:
        step = quota_on(steps, day)
        here = Room(code, district, step.quota, headcount_on(places, day), day, step.capped)
        refused = room_refusal(here, adding)
        if refused is not None:
            return refused
    step = quota_on(steps, on)
    return Room(code, district, step.quota, headcount_on(places, on), on, step.capped)


def admissions(code: str, district: str, places: Sequence[Place], steps: Sequence[QuotaStep],
               joining: Sequence[date], until: date | None = None) -> list[Refusal | None]:
    """The rows of a file joining one community, all counted together: each in
    the file's order takes a place (from its date) while ``room`` finds one,
    counting the places already taken by the rows before it; None for a row
    admitted, else its refusal."""
    taken = list(places)
    out: list[Refusal | None] = []
    for day in joining:
        decided = room(code, district, taken, steps, day, 1, until)
        if isinstance(decided, Refusal):
            out.append(decided)
        else:
            taken.append(Place(day))
            out.append(None)
    return out


class Transfer(msgspec.Struct, frozen=True):
    """A transfer in a worker's history: from ``effective_on`` in ``to_code``, before it in ``from_code``."""

    effective_on: date
    from_code: str | None
    to_code: str | None


def stints(hired_on: date, left_on: date | None, current: str | None,
           moves: Sequence[Transfer]) -> list[tuple[str, Place]]:
    """D-11 a worker's time on each community's rolls, from the hire through
    each transfer (a transfer's date is the first day in the new community) to
    the last day; communities of none are left out."""
    ordered = sorted(moves, key=lambda m: m.effective_on)
    out: list[tuple[str, Place]] = []
    code, start = (ordered[0].from_code if ordered else current), hired_on
    for m in ordered:
        if code is not None and m.effective_on > start:
            out.append((code, Place(start, m.effective_on - timedelta(days=1))))
        code, start = m.to_code, max(start, m.effective_on)
    if code is not None and (left_on is None or left_on >= start):
        out.append((code, Place(start, left_on)))
    return out
