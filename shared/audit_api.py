"""``GET /audit``: the audit log of the service answering (D-18), the same on
every service (``shared.web.build_app`` mounts it). Filtered by entity (and
its key), actor, action and a period; newest first, a page at a time.

Administrators see every row within their jurisdiction (and the rows of no
jurisdiction, written by the system); officers the rows of the jurisdictions
they cover (D-8); workers and community secretaries are refused (403).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromQuery, QueryParameter
from sqlalchemy import Select, or_, select

from shared.audit import ACTIONS
from shared.auth import Principal, Role, requires
from shared.dates import DAY
from shared.db import as_utc, in_jurisdiction
from shared.errors import Forbidden, Problem, ends_before_start
from shared.paging import Page, check_paging, fetch_page
from shared.web import LOCAL_TZ, Service, Svc


class AuditEntry(msgspec.Struct, frozen=True):
    """One change: who (actor, role), when, from where (address, request), what
    (entity, entity_key, action), in which jurisdiction, and the fields changed
    (``{field: [before, after]}`` for an update, ``{field: after}`` for an insert,
    ``{field: before}`` for a delete; a set-based statement's parameters and rows)."""

    id: int
    at: datetime
    actor: str
    role: str | None
    address: str | None
    request: str | None
    entity: str
    entity_key: str
    action: str
    jurisdiction: str | None
    changes: Any


def moment(value: str | None, field: str, *, end: bool = False) -> datetime | None:
    """A ``from``/``to`` bound in UTC, as stored: a date is the whole day in local
    time, a datetime is local if naive. ``end``: the first instant past the bound
    (the next day, the next microsecond), so that ``to`` includes what it names."""
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            at, step = datetime.combine(date.fromisoformat(value), time(), LOCAL_TZ), DAY
        else:
            at, step = datetime.fromisoformat(value), timedelta(microseconds=1)
    except ValueError:
        raise Problem("invalid_moment", f"{field} must be a date (YYYY-MM-DD) or a date and time (ISO 8601); "
                      f"'{value}' is not.", f"{field} 须为日期（YYYY-MM-DD）或 ISO 8601 时间（“{value}”不是）。",
                      field=field) from None
    at = at if at.tzinfo else at.replace(tzinfo=LOCAL_TZ)
    return (at + step if end else at).astimezone(UTC)


def visible(query: Select, table: Any, principal: Principal) -> Select:
    """D-8: the rows of the caller's jurisdiction and below (an administrator also the system's)."""
    mine = in_jurisdiction(table.c.jurisdiction, principal.jurisdiction)
    if principal.role is Role.admin:
        return query.where(or_(mine, table.c.jurisdiction.is_(None)))
    return query.where(mine)


def own_officers(svc: Service, principal: Principal) -> None:
    """D-18: administrators and the service's own officers read its log."""
    if principal.role is not Role.admin and principal.role not in svc.extra.get("auditors", ()):
        raise Forbidden("not_this_services_officer",
                        f"The audit log of the {svc.name} service is for its own officers; "
                        f"role '{principal.role.value}' is not one.",
                        f"{svc.name} 服务的审计日志仅供本服务的管理人员查阅，角色“{principal.role.value}”无权查阅。",
                        clause="D-18")


def check_action(action: str | None) -> None:
    if action is not None and action not in ACTIONS:
        raise Problem("invalid_action", f"action must be one of {', '.join(ACTIONS)}; '{action}' is not.",
                      f"action 须为 {'、'.join(ACTIONS)} 之一。", field="action")


class AuditController(Controller):
    """D-18: every change on this service, who made it, when, from where, before and after."""

    path = "/audit"
    tags = ["audit"]
    guards = [requires(Role.hr_officer, Role.training_coordinator, Role.cert_officer)]
    """Administrators, and the officers of this service (``build_app(auditors=…)``):
    a service's log holds its records in full (ID numbers, contacts), which
    only its own officers see elsewhere (D-8)."""

    @get("/", sync_to_thread=True)
    def entries(
        self, svc: Svc, request: Request,
        entity: FromQuery[str | None] = None, entity_key: FromQuery[str | None] = None,
        actor: FromQuery[str | None] = None, action: FromQuery[str | None] = None,
        since: Annotated[str | None, QueryParameter(name="from", description="a date or an ISO datetime")] = None,
        until: Annotated[str | None, QueryParameter(name="to", description="a date (inclusive) or an ISO datetime")]
        = None,
        limit: FromQuery[int] = 100, offset: FromQuery[int] = 0,
    ) -> Page[AuditEntry]:
        """The audit log, newest first: filter by ``entity`` (a table, e.g. ``worker``) and
        ``entity_key``, ``actor`` (a username, ``event:<type>``, ``job:<name>``), ``action``
        (insert, update, delete) and ``from``/``to``."""
        own_officers(svc, request.user)
        check_paging(limit, offset)
        check_action(action)
        start, end = moment(since, "from"), moment(until, "to", end=True)
        if start and end and end <= start:
            raise ends_before_start("to", until, since)
        t = svc.infra.audit
        q = visible(select(t), t, request.user)
        for column, value in ((t.c.entity, entity), (t.c.entity_key, entity_key), (t.c.actor, actor),
                              (t.c.action, action)):
            if value is not None:
                q = q.where(column == value)
        if start is not None:
            q = q.where(t.c.at >= start)
        if end is not None:
            q = q.where(t.c.at < end)
        with svc.db.read_session() as s:
            rows, total = fetch_page(s, q, [t.c.at.desc(), t.c.id.desc()], limit, offset)
            items = [AuditEntry(r.id, as_utc(r.at), r.actor, r.role,
                                r.address, r.request, r.entity, r.entity_key, r.action, r.jurisdiction, r.changes)
                     for r in rows]
        return Page(items, total, limit, offset)
