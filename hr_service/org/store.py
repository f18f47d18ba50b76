"""Districts, streets and names by date (D-17): queries and transactions.

Every write checks first and writes after, inside the caller's
``db.transaction()``: a refusal leaves nothing behind.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.org import rules
from hr_service.org.rules import COMMUNITY, UNIT, NameVersion
from hr_service.org.tables import OrgUnit, OrgUnitName
from hr_service.recruitment.tables import Community, CommunityFigures
from hr_service.tables import Worker
from shared.auth import Level, Principal, require_jurisdiction
from shared.db import in_chunks
from shared.errors import Conflict, NotFound, Refusal
from shared.policy import jurisdiction_chain

CLAUSE = rules.CLAUSE


def refused(decided: object) -> None:
    if isinstance(decided, Refusal):
        raise decided.problem()


def name_versions(s: Session, kind: str, keys: Iterable[str]) -> dict[str, list[NameVersion]]:
    """The names of ``keys`` by date, oldest first."""
    found: dict[str, list[NameVersion]] = {}
    for chunk in in_chunks(keys):
        for key, on, name in s.execute(
            select(OrgUnitName.key, OrgUnitName.effective_from, OrgUnitName.name)
            .where(OrgUnitName.kind == kind, OrgUnitName.key.in_(chunk)).order_by(OrgUnitName.effective_from)
        ).all():
            found.setdefault(key, []).append(NameVersion(on, name))
    return found


def name_history(s: Session, kind: str, key: str) -> list[OrgUnitName]:
    return list(s.execute(select(OrgUnitName).where(OrgUnitName.kind == kind, OrgUnitName.key == key)
                          .order_by(OrgUnitName.effective_from)).scalars())


def add_name(s: Session, kind: str, key: str, name: str, effective_from: date, actor: str,
             now: datetime) -> OrgUnitName:
    row = OrgUnitName(kind=kind, key=key, effective_from=effective_from, name=name, recorded_by=actor,
                      recorded_at=now)
    s.add(row)
    s.flush()
    return row


def community_names(s: Session, codes: Iterable[str], as_of: date) -> dict[str, str]:
    """Each community's name in force on ``as_of`` (D-17), for those with dated names."""
    return {code: n for code, versions in name_versions(s, COMMUNITY, codes).items()
            if (n := rules.name_on(versions, as_of)) is not None}


# --- units -------------------------------------------------------------------------------


@dataclass
class UnitView:
    path: str
    level: Level
    parent: str
    name: str
    registered: bool
    names: list[OrgUnitName] = field(default_factory=list)
    unit: OrgUnit | None = None


def community_districts(s: Session) -> set[str]:
    """The district paths named on communities: districts whether registered or not."""
    return set(s.execute(select(Community.district).distinct()).scalars())


def sees(principal: Principal, path: str) -> bool:
    """The organisation above and below the caller: their own units and those they lie in."""
    return principal.covers(path) or path in jurisdiction_chain(principal.jurisdiction)


def list_units(s: Session, principal: Principal, *, parent: str | None, level: str | None,
               as_of: date) -> list[UnitView]:
    """Registered districts and streets, and the districts named on
    communities, that the caller sees, with their names as of ``as_of``."""
    units = {u.path: u for u in s.execute(select(OrgUnit)).scalars()}
    paths = set(units) | {d for d in community_districts(s) if d.count(".") == 1}
    paths = {p for p in paths if sees(principal, p)
             and (parent is None or p.rsplit(".", 1)[0] == parent)
             and (level is None or rules.unit_level(p).value == level)}
    versions = name_versions(s, UNIT, paths)
    return [UnitView(p, rules.unit_level(p), p.rsplit(".", 1)[0], rules.name_on(versions.get(p, []), as_of) or p,
                     p in units, unit=units.get(p)) for p in sorted(paths)]


def unit_view(s: Session, principal: Principal, path: str, as_of: date) -> UnitView:
    """A unit with its name on ``as_of`` and every name it has had; 404 unknown or unseen."""
    u = s.execute(select(OrgUnit).where(OrgUnit.path == path)).scalar_one_or_none()
    known = u is not None or (path.count(".") == 1 and path in community_districts(s))
    if not known or not sees(principal, path):
        raise NotFound("organisation unit", "组织单位", path)
    history = name_history(s, UNIT, path)
    name = rules.name_on([NameVersion(n.effective_from, n.name) for n in history], as_of) or path
    return UnitView(path, rules.unit_level(path), path.rsplit(".", 1)[0], name, u is not None, history, u)


def create_unit(s: Session, principal: Principal, *, parent: str, code: str, name: str, effective_from: date,
                today: date, now: datetime) -> UnitView:
    """Register a district under a city or a street under a district (D-17), named from ``effective_from``."""
    path = rules.unit_path(parent, code)
    refused(path)
    assert isinstance(path, str)
    require_jurisdiction(principal, path, field="parent")
    refused(rules.renaming(None, effective_from, today))
    if s.execute(select(OrgUnit.id).where(OrgUnit.path == path)).first():
        raise Conflict("unit_exists", f"'{path}' is registered.", f"“{path}”已登记。", field="code", clause=CLAUSE)
    u = OrgUnit(path=path, level=rules.unit_level(path).value, parent=parent, created_by=principal.sub,
                created_at=now)
    s.add(u)
    s.flush()
    add_name(s, UNIT, path, name, effective_from, principal.sub, now)
    return unit_view(s, principal, path, effective_from)


def rename_unit(s: Session, principal: Principal, path: str, *, name: str, effective_from: date, today: date,
                now: datetime) -> UnitView:
    """A new name for a unit from ``effective_from``; the earlier names are kept."""
    view = unit_view(s, principal, path, today)
    require_jurisdiction(principal, path, field="path")
    latest = view.names[-1].effective_from if view.names else None
    refused(rules.renaming(latest, effective_from, today))
    add_name(s, UNIT, path, name, effective_from, principal.sub, now)
    return unit_view(s, principal, path, today)


# --- communities ---------------------------------------------------------------------------


def check_street(s: Session, district: str, street: str | None) -> None:
    """422 ``unknown_street`` unless ``street`` is a registered street of ``district``."""
    if street is None:
        return
    parent = s.execute(select(OrgUnit.parent).where(OrgUnit.path == street, OrgUnit.level == Level.street.value)
                       ).scalar()
    refused(rules.street_for(district, street, parent))


def first_name_on(s: Session, c: Community) -> date:
    """When a community's first name takes effect: its first figures' date (D-11), else its registration."""
    first = s.execute(select(func.min(CommunityFigures.effective_from))
                      .where(CommunityFigures.community_code == c.code)).scalar()
    return first or c.created_at.date()


def rename_community(s: Session, c: Community, *, name: str, effective_from: date, today: date, actor: str,
                     now: datetime) -> OrgUnitName:
    """A community's new name from ``effective_from`` (D-17); the row shows the latest, the history keeps all."""
    history = name_history(s, COMMUNITY, c.code)
    if not history:  # a community registered before names were dated: its name so far is the first version
        history = [add_name(s, COMMUNITY, c.code, c.name, min(first_name_on(s, c), effective_from - timedelta(days=1)),
                            actor, now)]
    refused(rules.renaming(history[-1].effective_from, effective_from, today))
    row = add_name(s, COMMUNITY, c.code, name, effective_from, actor, now)
    c.name, c.updated_at = name, now
    return row


def recorded_workers(s: Session, code: str) -> int:
    """Workers whose record names the community (on its rolls, or left from it)."""
    return s.execute(select(func.count()).select_from(Worker).where(Worker.community_code == code)).scalar_one()


def assign_street(s: Session, principal: Principal, c: Community, street: str) -> None:
    """Put a community in a street of its district (D-17) while nobody is recorded in it (409 otherwise)."""
    check_street(s, c.district, street)
    require_jurisdiction(principal, street, field="street")
    if c.street == street:
        return
    refused(rules.street_assignable(c.code, recorded_workers(s, c.code)))
    c.street = street


def jurisdiction_for(s: Session, given: str, community_code: str | None) -> str:
    """The jurisdiction of a worker hired into ``community_code``: the
    community's (its street when it has one); 422 when ``given`` does not
    cover it. An unknown community is left to the room check."""
    if community_code is None:
        return given
    c = s.execute(select(Community).where(Community.code == community_code)).scalar_one_or_none()
    if c is None:
        return given
    placed = rules.placed_jurisdiction(given, c.code, c.jurisdiction)
    refused(placed)
    assert isinstance(placed, str)
    return placed


def jurisdictions_of(s: Session, codes: Iterable[str]) -> dict[str, str]:
    """Each registered community's jurisdiction (D-17)."""
    found: dict[str, str] = {}
    for chunk in in_chunks(codes):
        for code, district, street in s.execute(
            select(Community.code, Community.district, Community.street).where(Community.code.in_(chunk))
        ).all():
            found[code] = street or district
    return found

