"""Calendar arithmetic, written once: months and years with python-dateutil.

Adding months clips to the month's end (31 January + 1 month = 28 or 29
February); a year back from 29 February is 28 February. Months are
``YYYY-MM`` strings wherever they cross an API.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from shared.errors import Invalid, check_year

DAY = timedelta(days=1)

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clipped to the month's end."""
    return day + relativedelta(months=months)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February."""
    return day + relativedelta(years=years)


def full_years(start: date, as_of: date) -> int:
    """Whole years from ``start`` to ``as_of``: an anniversary counts on its day
    (29 February's on 1 March in other years); 0 when ``as_of`` is earlier."""
    return max(as_of.year - start.year - ((as_of.month, as_of.day) < (start.month, start.day)), 0)


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def month_bounds(month: str, field: str = "month") -> tuple[date, date]:
    """``YYYY-MM`` → (first day, last day); a malformed month is 422 naming the field."""
    if not isinstance(month, str) or not MONTH.match(month):
        raise Invalid("malformed_month", f"'{month}' is not a month (YYYY-MM).", f"“{month}”不是有效月份（YYYY-MM）。",
                      field=field)
    start = date(check_year(int(month[:4]), field), int(month[5:]), 1)
    return start, add_months(start, 1) - relativedelta(days=1)


def add_to_month(month: str, months: int) -> str:
    """``YYYY-MM`` moved by ``months``."""
    start, _ = month_bounds(month)
    return month_of(add_months(start, months))
