"""Publishing many events of one kind from a query, in one statement.

``shared.outbox.publish_many`` builds each event in Python, which at a
million workers costs far more than the change it reports. Here the outbox
rows are written by one ``INSERT INTO outbox … SELECT`` whose JSON payload is
built by the database from the event Struct's own field list, so it is the
same document ``shared.events.to_message`` would write (the tests decode
every payload with ``shared.events.from_message``). Event ids are random
UUIDs made by the database.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from hr_service.sqlbits import dialect, statement
from shared.events import Event

_UUID_SQLITE = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)"
    " || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-'"
    " || lower(hex(randomblob(6)))"
)


def publish_select(
    session: Session, outbox_table: str, cls: type[Event], source_sql: str, fields: dict[str, str],
    params: dict[str, Any], now: datetime,
) -> int:
    """Write one ``cls`` event per row of ``source_sql`` (a ``FROM … WHERE …``
    clause). ``fields`` maps each of the event's own fields to a SQL expression
    over that source; the envelope (event id, time, version) is filled in here.
    Returns the number of events written."""
    own = [f for f in cls.__struct_fields__ if f not in ("event_id", "occurred_at", "version")]
    missing = set(own) - set(fields)
    if missing:
        raise ValueError(f"no SQL for {cls.__name__} fields {sorted(missing)}")
    d = dialect(session)
    p = dict(params)
    p.update(ev_type=cls.__struct_config__.tag,
             ev_at=msgspec.to_builtins(now), ev_now=now)
    uuid = "CAST(gen_random_uuid() AS VARCHAR(36))" if d == "postgresql" else _UUID_SQLITE
    build = "json_build_object" if d == "postgresql" else "json_object"
    cols = ", ".join(f"{expr} AS f_{name}" for name, expr in fields.items())
    pairs = ", ".join([
        "'event', CAST(:ev_type AS VARCHAR(64))", "'event_id', src.eid", "'occurred_at', CAST(:ev_at AS VARCHAR(40))",
        "'version', 1", *[f"'{name}', src.f_{name}" for name in own],
    ])
    sql = (
        f"WITH src AS MATERIALIZED (SELECT {uuid} AS eid, {cols} {source_sql}) "
        f"INSERT INTO {outbox_table} (event_id, event_type, payload, created_at, attempts) "
        f"SELECT src.eid, :ev_type, {build}({pairs}), :ev_now, 0 FROM src"
    )
    return session.execute(statement(sql, p), p).rowcount
