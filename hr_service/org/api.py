"""Districts and streets over HTTP (D-17): ``/org-units``.

``GET /org-units?parent=&level=&as_of=`` lists the registered districts and
streets the caller sees (their own, those under them and those they lie in),
and the districts named on communities, each with its name on ``as_of``
(default today). ``POST /org-units`` registers a street under a district (or
a district under a city): path = parent + "." + code. ``GET
/org-units/{path}`` shows a unit with every name it has had; ``POST
/org-units/{path}/names`` renames it from a date, the earlier names kept.
Administrators write; officers and community secretaries read.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service.org import store
from hr_service.org.tables import OrgUnitName
from shared.auth import Role, requires
from shared.types import Name
from shared.web import Svc, now, today

ADMIN = requires(Role.admin)
READERS = requires(Role.hr_officer, Role.training_coordinator, Role.cert_officer, Role.community_secretary)

Path = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class NewUnit(msgspec.Struct, forbid_unknown_fields=True):
    """A street under a district (or a district under a city), named from ``effective_from``."""

    parent: Path
    code: Code  # lowercase ASCII; the unit's path is parent + "." + code
    name: Name
    effective_from: date


class NewName(msgspec.Struct, forbid_unknown_fields=True):
    """A new name from ``effective_from`` (after the latest, not after today)."""

    name: Name
    effective_from: date


class NameOut(msgspec.Struct):
    effective_from: date
    name: str
    recorded_by: str
    recorded_at: datetime


class UnitOut(msgspec.Struct):
    path: str
    level: Literal["district", "street"]
    parent: str
    name: str  # the name on as_of
    as_of: date
    registered: bool  # False: a district known only from its communities
    clause: str = store.CLAUSE


class UnitDetailOut(msgspec.Struct):
    unit: UnitOut
    names: list[NameOut]


def name_out(n: OrgUnitName) -> NameOut:
    return NameOut(n.effective_from, n.name, n.recorded_by, n.recorded_at)


def unit_out(v: store.UnitView, as_of: date) -> UnitOut:
    return UnitOut(v.path, v.level.value, v.parent, v.name, as_of, v.registered)  # type: ignore[arg-type]


def detail_out(v: store.UnitView, as_of: date) -> UnitDetailOut:
    return UnitDetailOut(unit_out(v, as_of), [name_out(n) for n in v.names])


class OrgUnitController(Controller):
    """D-17: the districts and streets, and their names by date."""

    path = "/org-units"
    tags = ["organisation"]

    @get("/", sync_to_thread=True, guards=[READERS])
    def list_units(self, svc: Svc, request: Request, parent: FromQuery[str | None] = None,
                   level: FromQuery[Literal["district", "street"] | None] = None,
                   as_of: FromQuery[date | None] = None) -> list[UnitOut]:
        """The districts and streets the caller sees, with their names on ``as_of`` (default today)."""
        day = as_of or today()
        with svc.db.read_session() as s:
            return [unit_out(v, day) for v in store.list_units(s, request.user, parent=parent, level=level,
                                                                as_of=day)]

    @post("/", sync_to_thread=True, guards=[ADMIN])
    def create_unit(self, svc: Svc, request: Request, data: JSONBody[NewUnit]) -> UnitDetailOut:
        """Register a street under a district (or a district under a city); 409 when the path exists."""
        with svc.db.transaction() as s:
            v = store.create_unit(s, request.user, parent=data.parent, code=data.code, name=data.name,
                                  effective_from=data.effective_from, today=today(), now=now())
            return detail_out(v, data.effective_from)

    @get("/{path:str}", sync_to_thread=True, guards=[READERS])
    def get_unit(self, svc: Svc, request: Request, path: FromPath[str],
                 as_of: FromQuery[date | None] = None) -> UnitDetailOut:
        """A unit with its name on ``as_of`` (default today) and every name it has had."""
        day = as_of or today()
        with svc.db.read_session() as s:
            return detail_out(store.unit_view(s, request.user, path, day), day)

    @post("/{path:str}/names", sync_to_thread=True, guards=[ADMIN])
    def rename(self, svc: Svc, request: Request, path: FromPath[str], data: JSONBody[NewName]) -> UnitDetailOut:
        """Rename a unit from ``effective_from`` (after its latest name, not after today); the old names stay."""
        day = today()
        with svc.db.transaction() as s:
            return detail_out(store.rename_unit(s, request.user, path, name=data.name,
                                                effective_from=data.effective_from, today=day, now=now()), day)


ROUTES = [OrgUnitController]
