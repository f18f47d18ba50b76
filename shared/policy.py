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


def pick(versions: list[PolicyVersion], jurisdiction: str, as_of: date, *,
         or_first: bool = False) -> PolicyVersion | None:
    """The one resolution rule: of one key's versions, the latest taking effect
    on or before ``as_of`` in the most specific scope of ``jurisdiction`` that has
    one (a district falls back to its city, S3-5). With ``or_first``, a date
    before every version (a worker hired before the tables begin) takes the
    versions in force when the first of them took effect."""
    chain = jurisdiction_chain(jurisdiction)
    mine = [v for v in versions if v.jurisdiction in chain]
    for scope in chain:
        found = [v for v in mine if v.jurisdiction == scope and v.effective_from <= as_of]
        if found:
            return max(found, key=lambda v: v.effective_from)
    if or_first and mine:
        return pick(mine, jurisdiction, min(v.effective_from for v in mine))
    return None


def not_in_force(name: str, jurisdiction: str, as_of: date) -> NotFound:
    return NotFound(f"'{name}' policy in force on {as_of} for", "政策", jurisdiction, field="as_of")


class Policies:
    """The policy store of one service: its table and the keys it knows."""

    def __init__(self, table: Table, keys: list[PolicyKey]):
        self.table = table
        self.keys = {k.name: k for k in keys}

    def key(self, name: str) -> PolicyKey:
        if name not in self.keys:
            raise NotFound("policy key", "政策项", name, field="key")
        return self.keys[name]

    def version_in_force(self, session: Session, name: str, jurisdiction: str, as_of: date, *,
                         or_first: bool = False) -> PolicyVersion:
        """The version of ``name`` in force on ``as_of`` for ``jurisdiction``
        (see ``pick``); 404 when there is none."""
        t = self.table
        q = select(t).where(t.c.key == name, t.c.jurisdiction.in_(jurisdiction_chain(jurisdiction)))
        if not or_first:
            q = q.where(t.c.effective_from <= as_of.isoformat())
        found = pick([_row(r) for r in session.execute(q).all()], jurisdiction, as_of, or_first=or_first)
        if found is None:
            raise not_in_force(name, jurisdiction, as_of)
        return found

    def in_force(self, session: Session, name: str, jurisdiction: str, as_of: date, *, or_first: bool = False) -> Any:
        """The typed value of ``version_in_force``."""
        return self.typed(self.version_in_force(session, name, jurisdiction, as_of, or_first=or_first))

    def typed(self, version: PolicyVersion) -> Any:
        return msgspec.convert(version.value, self.key(version.key).value_type)

    def book(self, session: Session, names: tuple[str, ...]) -> PolicyBook:
        """The versions of ``names`` read once, to resolve many dates in memory."""
        return PolicyBook(self, {n: self.versions(session, n) for n in names})

    def versions(
        self, session: Session, name: str | None = None, jurisdiction: str | None = None,
    ) -> list[PolicyVersion]:
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
        have = {(r.key, r.jurisdiction, r.effective_from)
                for r in session.execute(select(t.c.key, t.c.jurisdiction, t.c.effective_from))}
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


class PolicyBook:
    """Some keys' versions read once, resolved in memory by the same ``pick``:
    for bulk work, where a thousand rows share a few versions."""

    def __init__(self, policies: Policies, versions: dict[str, list[PolicyVersion]]):
        self.policies = policies
        self.versions = versions
        self._typed: dict[int, Any] = {}

    def version_in_force(self, name: str, jurisdiction: str, as_of: date, *, or_first: bool = False) -> PolicyVersion:
        found = pick(self.versions[name], jurisdiction, as_of, or_first=or_first)
        if found is None:
            raise not_in_force(name, jurisdiction, as_of)
        return found

    def in_force(self, name: str, jurisdiction: str, as_of: date, *, or_first: bool = False) -> Any:
        v = self.version_in_force(name, jurisdiction, as_of, or_first=or_first)
        if v.id not in self._typed:
            self._typed[v.id] = self.policies.typed(v)
        return self._typed[v.id]
