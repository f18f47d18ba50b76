"""Effective-dated policy tables, per jurisdiction.

Every policy figure (the 400 households of S4-1, the 30% of S4-12, the pay
table of D-2...) is a *version*: a key, a jurisdiction, the date it takes
effect, a value and the clause it comes from. Versions are only ever added,
never edited: a new figure is a new version from a later date, so the past
reads as it was.

A lookup for a district falls back to its city (``hangzhou.gongshu`` →
``hangzhou``) when the district has no version of its own (S3-5).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

import msgspec
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, Invalid, NotFound

V = TypeVar("V")


class PolicyKey(msgspec.Struct, Generic[V], frozen=True):
    """A kind of policy figure: its name, value shape and source clause."""

    name: str
    value_type: Any
    clause: str
    description: str = ""


class PolicyVersion(msgspec.Struct, frozen=True):
    id: int
    key: str
    jurisdiction: str
    effective_from: date
    value: Any
    clause: str
    note: str | None
    created_by: str
    created_at: datetime


class PolicySeed(msgspec.Struct, frozen=True):
    key: str
    jurisdiction: str
    effective_from: date
    value: Any
    clause: str
    note: str | None = None


def jurisdiction_chain(jurisdiction: str) -> list[str]:
    """``hangzhou.gongshu`` → ``["hangzhou.gongshu", "hangzhou"]``."""
    parts = jurisdiction.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _row(r) -> PolicyVersion:
    return PolicyVersion(
        id=r.id,
        key=r.key,
        jurisdiction=r.jurisdiction,
        effective_from=date.fromisoformat(r.effective_from),
        value=r.value,
        clause=r.clause,
        note=r.note,
        created_by=r.created_by,
        created_at=r.created_at,
    )


class Policies:
    """The policy store of one service: its table and the keys it knows."""

    def __init__(self, table: Table, keys: list[PolicyKey]):
        self.table = table
        self.keys = {k.name: k for k in keys}

    def key(self, name: str) -> PolicyKey:
        if name not in self.keys:
            raise NotFound("policy key", "政策项", name, field="key")
        return self.keys[name]

    def version_in_force(self, session: Session, name: str, jurisdiction: str, as_of: date) -> PolicyVersion:
        t = self.table
        chain = jurisdiction_chain(jurisdiction)
        rows = session.execute(
            select(t)
            .where(t.c.key == name, t.c.jurisdiction.in_(chain), t.c.effective_from <= as_of.isoformat())
            .order_by(t.c.effective_from.desc())
        ).all()
        for scope in chain:  # the most specific jurisdiction that has a version wins
            for r in rows:
                if r.jurisdiction == scope:
                    return _row(r)
        raise NotFound(f"'{name}' policy in force on {as_of} for", "政策", jurisdiction, field="as_of")

    def in_force(self, session: Session, name: str, jurisdiction: str, as_of: date) -> Any:
        """The typed value of ``name`` in force on ``as_of`` for ``jurisdiction``."""
        v = self.version_in_force(session, name, jurisdiction, as_of)
        return msgspec.convert(v.value, self.key(name).value_type)

    def versions(self, session: Session, name: str | None = None, jurisdiction: str | None = None) -> list[PolicyVersion]:
        t = self.table
        q = select(t).order_by(t.c.key, t.c.jurisdiction, t.c.effective_from)
        if name:
            q = q.where(t.c.key == name)
        if jurisdiction:
            q = q.where(t.c.jurisdiction == jurisdiction)
        return [_row(r) for r in session.execute(q).all()]

    def add(
        self,
        session: Session,
        name: str,
        jurisdiction: str,
        effective_from: date,
        value: Any,
        *,
        created_by: str,
        now: datetime,
        note: str | None = None,
        clause: str | None = None,
    ) -> PolicyVersion:
        """Add a version. It must take effect after every existing version of
        the same key in the same jurisdiction: the past is never rewritten."""
        key = self.key(name)
        try:
            typed = msgspec.convert(value, key.value_type)
        except msgspec.ValidationError as exc:
            raise Invalid("invalid_policy_value", f"Policy '{name}': {exc}.", f"政策“{name}”的取值无效：{exc}。",
                          field="value", clause=key.clause) from exc
        t = self.table
        latest = session.execute(
            select(t.c.effective_from)
            .where(t.c.key == name, t.c.jurisdiction == jurisdiction)
            .order_by(t.c.effective_from.desc())
            .limit(1)
        ).scalar()
        if latest is not None and effective_from.isoformat() <= latest:
            raise Conflict(
                "policy_rewrites_past",
                f"A version of '{name}' for {jurisdiction} already takes effect on {latest}; "
                f"a new version must take effect later.",
                f"“{name}”已有 {latest} 生效的版本，新版本的生效日期须晚于它。",
                field="effective_from",
                clause=key.clause,
            )
        result = session.execute(
            insert(t).values(
                key=name,
                jurisdiction=jurisdiction,
                effective_from=effective_from.isoformat(),
                value=msgspec.to_builtins(typed),
                clause=clause or key.clause,
                note=note,
                created_by=created_by,
                created_at=now,
            )
        )
        return _row(session.execute(select(t).where(t.c.id == result.inserted_primary_key[0])).one())

    def seed(self, session: Session, seeds: list[PolicySeed], now: datetime) -> int:
        """Insert the seeded defaults that are not there yet. Idempotent."""
        t = self.table
        have = {(r.key, r.jurisdiction, r.effective_from) for r in session.execute(select(t.c.key, t.c.jurisdiction, t.c.effective_from))}
        added = 0
        for s in seeds:
            if (s.key, s.jurisdiction, s.effective_from.isoformat()) in have:
                continue
            value = msgspec.to_builtins(msgspec.convert(s.value, self.key(s.key).value_type))
            session.execute(
                insert(t).values(
                    key=s.key, jurisdiction=s.jurisdiction, effective_from=s.effective_from.isoformat(),
                    value=value, clause=s.clause, note=s.note, created_by="seed", created_at=now,
                )
            )
            added += 1
        return added
