"""What every controller shares: the coordinator guard, the caller, and the
clock's zone (a time without an offset is read as Hangzhou time)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from litestar import Request

from shared.auth import Principal, Role, requires
from shared.errors import Invalid, ends_before_start
from shared.web import LOCAL_TZ

COORDINATOR = requires(Role.training_coordinator)
ENROLLERS = requires(Role.worker, Role.training_coordinator)  # who takes or gives up a place (D-8)


def who(request: Request) -> Principal:
    return request.user


def local(dt: datetime) -> datetime:
    """An incoming time as Hangzhou wall-clock time without a zone (how it is stored)."""
    return dt.astimezone(LOCAL_TZ).replace(tzinfo=None) if dt.tzinfo else dt


def zoned(dt: datetime) -> datetime:
    return dt.replace(tzinfo=LOCAL_TZ)


def iso_date(raw: str | None, name: str) -> date | None:
    """``from`` is a Python keyword, so that query parameter is parsed here, and named right when wrong."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid("invalid_date", f"'{name}' must be a date as YYYY-MM-DD.",
                      f"“{name}”须为 YYYY-MM-DD 格式的日期。", field=name) from None


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[first 00:00, the day after last 00:00): every session running on a day of the range."""
    if first and last and last < first:
        raise ends_before_start("to", last, first)
    return (datetime.combine(first, time.min) if first else None,
            datetime.combine(last + timedelta(days=1), time.min) if last else None)
