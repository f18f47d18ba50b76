"""The organisation's levels as data (D-17): pure decisions over districts,
streets and the names of units and communities by date.

D-17: "Organisation levels: city → district → street (街道) → community.
Officers act within their level; a community secretary reads their own
community." A jurisdiction is a dotted path and its depth is its level
(``shared.auth.level_of``); a community lies in its street once assigned, else
in its district, and its workers have that path as their jurisdiction.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import msgspec

from shared.auth import Level, district_in, level_of
from shared.errors import Refusal, in_future

CLAUSE = "D-17"
CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
"""A unit's code: the last segment of its path, lowercase ASCII (``beishan``)."""

UNIT = "unit"
COMMUNITY = "community"
"""The kinds of ``org_unit_name`` rows: a district's or street's path, a community's code."""


class NameVersion(msgspec.Struct, frozen=True):
    effective_from: date
    name: str


def unit_path(parent: str, code: str) -> str | Refusal:
    """The path of a new unit under ``parent`` (D-17): a district under a city,
    a street under a district; the code lowercase ASCII. Anything deeper is a
    community, registered as one."""
    if not CODE.match(code):
        return Refusal("invalid_unit_code", f"code must be lowercase ASCII letters, digits or '_' "
                       f"starting with a letter; '{code}' is not.",
                       f"代码须为小写英文字母、数字或下划线，以字母开头（“{code}”不符）。", "code", CLAUSE)
    if not parent or any(not CODE.match(p) for p in parent.split(".")) or parent.count(".") > 1:
        return Refusal("invalid_parent", f"parent must be a city or a district path; '{parent}' is not.",
                       f"上级须为市或区的路径（“{parent}”不是）。", "parent", CLAUSE)
    return f"{parent}.{code}"


def unit_level(path: str) -> Level:
    """A registered unit is a district (``hangzhou.xihu``) or a street (``hangzhou.xihu.beishan``)."""
    return level_of(path)


def name_on(versions: Sequence[NameVersion], as_of: date) -> str | None:
    """The name in force on ``as_of``: the latest version effective on or
    before it; before the first, the first (as the dated figures of D-11)."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda v: v.effective_from)
    found = [v for v in ordered if v.effective_from <= as_of]
    return (found[-1] if found else ordered[0]).name


def renaming(latest_from: date | None, effective_from: date, today: date) -> Refusal | None:
    """A new name takes effect after the latest (the past is not rewritten, so
    a report for an earlier date keeps the name then) and not after today."""
    if effective_from > today:
        return Refusal.of(in_future("effective_from", effective_from, today, clause=CLAUSE))
    if latest_from is not None and effective_from <= latest_from:
        return Refusal("name_dating", f"A name effective {latest_from} is recorded; a new name must take effect "
                       f"after it.", f"已有 {latest_from} 起生效的名称，新名称须晚于该日期生效。", "effective_from",
                       CLAUSE, 409)
    return None


def street_for(district: str, street: str, registered_parent: str | None) -> Refusal | None:
    """A community's street is a registered street under the community's district."""
    if registered_parent is None or registered_parent != district:
        return Refusal("unknown_street", f"'{street}' is not a registered street of district '{district}'.",
                       f"“{street}”不是“{district}”已登记的街道。", "street", CLAUSE)
    return None


def street_assignable(code: str, on_rolls: int) -> Refusal | None:
    """A community is put in a street while nobody is recorded in it: its
    workers' jurisdiction is where it lies, so it does not move under them."""
    if on_rolls:
        return Refusal("community_has_workers",
                       f"Community '{code}' has {on_rolls} worker(s) recorded; its street is set before anyone "
                       f"is hired into it, or its workers are transferred to a community of the street.",
                       f"社区“{code}”已有 {on_rolls} 名社区工作者，须在录用前指定街道，或将其调往该街道的社区。",
                       "street", CLAUSE, 409, extra={"workers": on_rolls})
    return None


def placed_jurisdiction(given: str, community_code: str, community_jurisdiction: str) -> str | Refusal:
    """A worker hired into a community has the community's jurisdiction (its
    street when it has one); a given jurisdiction must cover it."""
    if district_in(given, community_jurisdiction):
        return community_jurisdiction
    return Refusal("jurisdiction_mismatch",
                   f"Community '{community_code}' lies in {community_jurisdiction}; jurisdiction {given} does "
                   f"not cover it.", f"社区“{community_code}”属于 {community_jurisdiction}，所填管辖范围 {given} "
                   f"不包含该社区。", "jurisdiction", CLAUSE,
                   extra={"community_jurisdiction": community_jurisdiction})
