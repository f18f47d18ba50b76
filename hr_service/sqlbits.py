"""Small pieces of portable SQL for the set-based runs (step increment, pay run).

The runs are written as plain SQL text with bound parameters so that one
statement reads like the rule it applies and runs unchanged on SQLite (3.33+:
window functions, ``UPDATE … FROM``) and PostgreSQL. The few spots where the
two differ are here.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, TextClause, bindparam, text
from sqlalchemy.orm import Session


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def no_jit(session: Session) -> None:
    """On PostgreSQL, no JIT for the rest of the transaction: compiling a run's
    statement costs more than it saves."""
    if dialect(session) == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def ymd(expr: str, dialect_name: str) -> str:
    """A date column as the integer YYYYMMDD (whole years between two such
    numbers are their difference // 10000)."""
    if dialect_name == "sqlite":
        return f"CAST(strftime('%Y%m%d', {expr}) AS INTEGER)"
    return f"CAST(to_char({expr}, 'YYYYMMDD') AS INTEGER)"


def ymd_of(day: date) -> int:
    return int(f"{day:%Y%m%d}")


def in_scope(alias: str, params: dict[str, Any], scope: str) -> str:
    """Workers whose jurisdiction is ``scope`` or one of its districts (D-8)."""
    like = scope.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%"
    params["scope"] = scope
    params["scope_like"] = like
    return f"({alias}.jurisdiction = :scope OR {alias}.jurisdiction LIKE :scope_like ESCAPE '\\')"


def worker_jurisdictions(session: Session, params: dict[str, Any], scope_sql: str) -> list[str]:
    """The jurisdictions of the workers of ``scope_sql`` (over ``worker w``), sorted:
    a run resolves its policy figures once for each."""
    rows = session.execute(statement(f"SELECT DISTINCT w.jurisdiction FROM worker w WHERE {scope_sql}", params),
                           params)
    return sorted(r[0] for r in rows)


def literal(value: Any, kind: str) -> str:
    """A value written into SQL: integers as ``CAST(n AS BIGINT)`` (so that
    products of fen and basis points never overflow on PostgreSQL), text
    quoted the standard way. Used for the small policy tables of a run, which
    bound one by one would cost more to prepare than the run itself."""
    if kind == "int":
        return f"CAST({int(value)} AS BIGINT)"
    return "'" + str(value).replace("'", "''") + "'"


def values_cte(name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> str:
    """``name(col, …) AS (VALUES (…), …)``; ``columns`` are (name, "int" | "str")."""
    cols = ", ".join(c for c, _ in columns)
    if not rows:
        nulls = ", ".join("CAST(NULL AS BIGINT)" if t == "int" else "CAST(NULL AS VARCHAR(64))" for _, t in columns)
        return f"{name}({cols}) AS (SELECT {nulls} WHERE 1 = 0)"
    out = ("(" + ", ".join(literal(v, kind) for (_, kind), v in zip(columns, row, strict=True)) + ")" for row in rows)
    return f"{name}({cols}) AS (VALUES " + ", ".join(out) + ")"


def statement(sql: str, params: dict[str, Any]) -> TextClause:
    """``text(sql)`` with date and datetime parameters typed, so that SQLite
    gets its ISO strings and PostgreSQL real dates (also in a select list)."""
    typed = [bindparam(k, type_=DateTime(timezone=True) if isinstance(v, datetime) else Date)
             for k, v in params.items() if isinstance(v, date) and re.search(rf":{k}\b", sql)]
    stmt = text(sql)
    return stmt.bindparams(*typed) if typed else stmt
