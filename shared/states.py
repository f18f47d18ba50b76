"""State machines: one ``StrEnum`` per machine, its allowed moves in one place.

A service declares each machine once, next to its tables::

    class SessionStatus(StrEnum):
        scheduled = "scheduled"
        closed = "closed"
        cancelled = "cancelled"

    SESSION = Machine("session", SessionStatus, name_zh="培训班次", moves={
        SessionStatus.scheduled: {SessionStatus.closed, SessionStatus.cancelled},
    })

and uses it everywhere: ``SESSION.move(row.status, SessionStatus.closed)``
refuses a move the machine does not allow with a 409 naming both states, and
``SESSION.check("status")`` is the CHECK constraint that keeps the column to
the machine's states (the migrations add it with the same expression).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy import CheckConstraint

from shared.errors import Conflict

S = TypeVar("S", bound=StrEnum)


class Machine(Generic[S]):
    """The states of one machine and the moves between them."""

    def __init__(self, name: str, states: type[S], *, moves: Mapping[S, Iterable[S]], name_zh: str | None = None,
                 clause: str | None = None):
        self.name = name
        self.name_zh = name_zh or name
        self.states = states
        self.clause = clause
        self.moves: dict[S, frozenset[S]] = {s: frozenset(moves.get(s, ())) for s in states}
        for source, targets in moves.items():
            for target in targets:
                if source not in states.__members__.values() or target not in states.__members__.values():
                    raise ValueError(f"{name}: {source!r} → {target!r} names a state outside {states.__name__}")

    def values(self) -> list[str]:
        return [s.value for s in self.states]

    def parse(self, value: str) -> S:
        """The state named ``value`` (a stored string); ValueError for an unknown one."""
        return self.states(value)

    def can(self, source: str, target: str) -> bool:
        return self.states(target) in self.moves[self.states(source)]

    def final(self, state: str) -> bool:
        return not self.moves[self.states(state)]

    def move(self, source: str, target: S, *, code: str | None = None, field: str | None = None,
             clause: str | None = None) -> S:
        """``target`` if the machine allows ``source`` → ``target``; else a 409."""
        if not self.can(source, target):
            raise Conflict(
                code or f"{self.name}_not_{target.value}".replace(" ", "_"),
                f"A {self.name} that is {source} cannot become {target.value}.",
                f"{self.name_zh}状态为 {source}，不能变为 {target.value}。",
                field=field, clause=clause or self.clause,
                extra={"machine": self.name, "from": str(source), "to": target.value},
            )
        return target

    def check_sql(self, column: str) -> str:
        quoted = ", ".join(f"'{v}'" for v in self.values())
        return f"{column} IN ({quoted})"

    def check(self, column: str = "status", name: str | None = None) -> CheckConstraint:
        """The CHECK constraint keeping ``column`` to this machine's states."""
        return CheckConstraint(self.check_sql(column), name=name or f"ck_{self.name.replace(' ', '_')}_{column}")
