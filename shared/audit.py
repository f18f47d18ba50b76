"""The audit log (D-18): every change on every service says who made it, when,
from which address, to what, and the before and after of the fields that
changed, in the same transaction as the change. The log is append-only:
nothing in the suite updates or deletes a row of ``audit_log`` (on PostgreSQL
a trigger refuses it).

Who and where come from a context variable: the HTTP middleware sets it from
the verified principal (``scope["user"]``) and the client address; the
consumer sets ``event:<type>`` for an event's handlers and ``job:<name>`` for
a scheduled job; anything else is ``system``.

What changed comes from the session (``install`` on a service's write
sessionmaker):

- ORM writes (``session.add``, attribute changes, ``session.delete``): after
  each flush, one row per object with the diff of its column attributes;
- statements run through ``session.execute`` (bulk ``insert(Model), rows``,
  ``update``/``delete`` statements, the set-based SQL text of the runs): one
  row per parameter set of a bulk insert or a by-key bulk update (its values),
  else one row per statement with its parameters and the rows it touched.

The infrastructure tables (outbox, inbox, failed jobs, the log itself) and the
login attempt log (append-only itself) are not audited; secrets are written as ``***``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import Table, TextClause, event, inspect
from sqlalchemy.orm import LoaderCallableStatus, ORMExecuteState, Session, sessionmaker

TABLE = "audit_log"
SKIPPED = frozenset({"outbox", "inbox", "failed_job", "event_sequence", "event_stream", "parked_event", TABLE,
                     "login_attempt"})
"""Infrastructure tables: their rows are the machinery of delivery, not changes to records;
and ``login_attempt``, itself an append-only log (D-18) whose rows are events, not records."""
REDACTED = frozenset({"password_hash"})
MASK = "***"
ACTIONS = ("insert", "update", "delete")
INFO_KEY = "audit_table"


class Actor(msgspec.Struct, frozen=True):
    """Who is acting, with their role, jurisdiction, address and request."""

    name: str = "system"
    role: str | None = None
    jurisdiction: str | None = None
    address: str | None = None
    request: str | None = None


SYSTEM = Actor()
CURRENT: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)


def current() -> Actor:
    return CURRENT.get()


@contextmanager
def acting(actor: Actor | str) -> Iterator[Actor]:
    """Act as ``actor`` (an ``Actor``, or a name such as ``event:worker.hired``) inside the block."""
    who = Actor(name=actor) if isinstance(actor, str) else actor
    token = CURRENT.set(who)
    try:
        yield who
    finally:
        CURRENT.reset(token)


def actor_of_scope(scope: Mapping[str, Any]) -> Actor:
    """The actor of an HTTP request: the principal the auth middleware verified
    (``anonymous`` on the routes that need no token), its client and request line."""
    user = scope.get("user")
    client = scope.get("client")
    address = str(client[0])[:64] if client else None
    request = f"{scope.get('method', '')} {scope.get('path', '')}"[:300]
    if user is None or not hasattr(user, "sub"):
        return Actor(name="anonymous", address=address, request=request)
    role = getattr(user, "role", None)
    return Actor(name=str(user.sub), role=str(getattr(role, "value", role)) if role is not None else None,
                 jurisdiction=getattr(user, "jurisdiction", None), address=address, request=request)


class AuditContextMiddleware:
    """ASGI middleware placed after the auth middleware: the request's actor for
    everything the handler writes (the context reaches ``sync_to_thread`` handlers)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        token = CURRENT.set(actor_of_scope(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            CURRENT.reset(token)


# --- values ----------------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """A value as it goes into the JSON of ``changes``: dates and times in ISO
    8601, decimals as text, enums as their value, anything unknown as its text."""
    return msgspec.to_builtins(value, str_keys=True, enc_hook=str)


def shown(field: str, value: Any) -> Any:
    return MASK if field in REDACTED and value is not None else jsonable(value)


def audit_row(entity: str, key: Any, action: str, changes: Any, jurisdiction: str | None = None,
              actor: Actor | None = None, at: datetime | None = None) -> dict[str, Any]:
    """One row of ``audit_log``: the change's jurisdiction if it has one, else the actor's."""
    who = actor or current()
    return {
        "at": at or datetime.now(UTC), "actor": who.name[:120], "role": who.role, "address": who.address,
        "request": who.request, "entity": entity[:64], "entity_key": "" if key is None else str(key)[:200],
        "action": action, "jurisdiction": jurisdiction or who.jurisdiction, "changes": changes,
    }


# --- ORM flushes -----------------------------------------------------------------------------------


def key_of(state: Any) -> str:
    identity = state.identity or state.mapper.primary_key_from_instance(state.obj())
    return "/".join("" if v is None else str(v) for v in identity)


def table_of(state: Any) -> str:
    return str(getattr(state.mapper.local_table, "name", "") or state.mapper.persist_selectable.name)


def object_row(state: Any, action: str, at: datetime, actor: Actor) -> dict[str, Any] | None:
    """The audit row of one flushed object, or None for an update that changed no column."""
    changes: dict[str, Any] = {}
    for prop in state.mapper.column_attrs:
        attr = state.attrs[prop.key]
        if action == "insert":
            if attr.value is not None:
                changes[prop.key] = shown(prop.key, attr.value)
        elif action == "delete":
            before = attr.loaded_value
            if before is not None and before is not LoaderCallableStatus.NO_VALUE:
                changes[prop.key] = shown(prop.key, before)
        else:
            h = attr.history
            if h.added or h.deleted:
                before = h.deleted[0] if h.deleted else None
                after = h.added[0] if h.added else None
                if before != after:
                    changes[prop.key] = [shown(prop.key, before), shown(prop.key, after)]
    if action == "update" and not changes:
        return None
    obj = state.obj()
    jurisdiction = getattr(obj, "jurisdiction", None) if obj is not None else None
    return audit_row(table_of(state), key_of(state), action, changes,
                     jurisdiction if isinstance(jurisdiction, str) else None, actor, at)


def flushed_rows(session: Session) -> list[dict[str, Any]]:
    at, actor, rows = datetime.now(UTC), current(), []
    for objs, action in ((session.new, "insert"), (session.dirty, "update"), (session.deleted, "delete")):
        for obj in objs:
            state = inspect(obj)
            if table_of(state) in SKIPPED:
                continue
            row = object_row(state, action, at, actor)
            if row is not None:
                rows.append(row)
    return rows


# --- statements ------------------------------------------------------------------------------------

_DML = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I | re.S)
_ACTION = {"INSERT": "insert", "UPDATE": "update", "DELETE": "delete"}


def text_target(sql: str) -> tuple[str, str] | None:
    """(table, action) of a DML statement written as SQL text, else None."""
    m = _DML.match(sql)
    if not m:
        return None
    return m.group(2).lower(), _ACTION[m.group(1).split()[0].upper()]


def statement_target(state: ORMExecuteState) -> tuple[str, str] | None:
    stmt = state.statement
    if isinstance(stmt, TextClause):
        return text_target(stmt.text)
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = getattr(stmt, "table", None)
    name = getattr(table, "name", None) or getattr(getattr(table, "__table__", None), "name", None)
    if name is None:
        return None
    return str(name), "insert" if state.is_insert else "update" if state.is_update else "delete"


def inserted_key(result: Any) -> str | None:
    """The primary key of a one-row insert, where the driver tells it."""
    try:
        key = result.inserted_primary_key
    except Exception:  # noqa: BLE001 - not a one-row insert, or a driver that does not say
        return None
    return None if key is None or any(v is None for v in key) else "/".join(str(v) for v in key)


def statement_rows(state: ORMExecuteState, entity: str, action: str, result: Any) -> list[dict[str, Any]]:
    """Audit rows for a statement: one per parameter set of a bulk insert or a
    by-key bulk update, else one for the statement: a one-row insert's values, or
    the statement's parameters and the rows it touched."""
    params = state.parameters
    stmt = state.statement
    at, actor = datetime.now(UTC), current()
    if isinstance(params, Sequence) and params and not isinstance(stmt, TextClause) and action != "delete":
        keys = [c.key for c in getattr(getattr(stmt, "table", None), "primary_key", [])]
        out = []
        for p in params:
            key = "/".join(str(p.get(k, "")) for k in keys) if keys and all(k in p for k in keys) else None
            changes = ({f: shown(f, v) for f, v in p.items() if v is not None} if action == "insert"
                       else {f: [None, shown(f, v)] for f, v in p.items() if f not in keys})
            j = p.get("jurisdiction")
            out.append(audit_row(entity, key, action, changes, j if isinstance(j, str) else None, actor, at))
        return out
    bound: dict[str, Any] = {}
    if isinstance(params, Mapping):
        bound.update(params)
    if not isinstance(stmt, TextClause):
        try:
            bound = {**stmt.compile().params, **bound}  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a statement that will not compile alone keeps its given params
            pass
    j = bound.get("jurisdiction")
    jurisdiction = j if isinstance(j, str) else None
    key = inserted_key(result) if action == "insert" and not isinstance(stmt, TextClause) else None
    if key is not None:
        values = {k: shown(k, v) for k, v in bound.items() if v is not None}
        return [audit_row(entity, key, action, values, jurisdiction, actor, at)]
    touched = getattr(result, "rowcount", None)
    changes = {"params": {k: shown(k, v) for k, v in bound.items()},
               "statement_rows": touched if isinstance(touched, int) else None}
    if isinstance(params, Sequence) and params:
        changes["parameter_sets"] = len(params)
    return [audit_row(entity, None, action, changes, jurisdiction, actor, at)]


def install(factory: sessionmaker, table: Table) -> None:
    """Audit every write made through sessions of ``factory`` into ``table``."""
    factory.kw.setdefault("info", {})[INFO_KEY] = table

    @event.listens_for(factory, "after_flush")
    def _after_flush(session: Session, _context: Any) -> None:
        rows = flushed_rows(session)
        if rows:
            session.connection().execute(table.insert(), rows)

    @event.listens_for(factory, "do_orm_execute")
    def _on_execute(state: ORMExecuteState) -> Any:
        target = statement_target(state)
        if target is None or target[0] in SKIPPED:
            return None
        result = state.invoke_statement()
        rows = statement_rows(state, target[0], target[1], result)
        state.session.connection().execute(table.insert(), rows)
        return result
