"""What every controller of the certs API shares: the officer guard, the caller, the day asked about."""
from __future__ import annotations

from datetime import date

from litestar import Request

from shared.auth import Principal, Role, requires
from shared.web import today

officer = requires(Role.cert_officer)


def caller(request: Request) -> Principal:
    return request.user


def day_asked(as_of: date | None) -> date:
    """The ``as_of`` a read asks about; today by default."""
    return as_of or today()
