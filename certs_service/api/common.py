"""What every controller of the certs API shares: the officer guard, the caller, the day asked about, the
state a list is filtered by."""
from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from litestar import Request

from shared.auth import Principal, Role, requires
from shared.errors import Invalid
from shared.states import Machine
from shared.web import today

S = TypeVar("S", bound=StrEnum)

officer = requires(Role.cert_officer)


def caller(request: Request) -> Principal:
    return request.user


def day_asked(as_of: date | None) -> date:
    """The ``as_of`` a read asks about; today by default."""
    return as_of or today()


def state_asked(machine: Machine[S], state: str | None) -> S | None:
    """The ``state`` filter of a list: one of ``machine``'s states (422 otherwise)."""
    if state is None:
        return None
    try:
        return machine.parse(state)
    except ValueError:
        states = machine.values()
        raise Invalid("unknown_state", f"Unknown {machine.name} state '{state}'; one of: {', '.join(states)}.",
                      f"{machine.name_zh}状态“{state}”无效，应为：{'、'.join(states)}。", field="state",
                      clause=machine.clause) from None
