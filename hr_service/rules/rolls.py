"""A worker's time on the rolls, as the pay run and the step increment count it."""
from __future__ import annotations

from datetime import date

from shared.dates import full_years


def on_rolls_during(hired_on: date, left_on: date | None, first: date, last: date) -> bool:
    """On the rolls at some time from ``first`` to ``last``: hired by ``last``
    and not left before ``first`` (``left_on`` is the last day on them). The
    pay run covers the workers on the rolls during the month; the step
    increment those on the rolls on its effective date (``first == last``)."""
    return hired_on <= last and (left_on is None or left_on >= first)


def service_years(before_hire: int, hired_on: date, as_of: date) -> int:
    """D-3, D-2: years of service on ``as_of``: the years before the hire plus
    the whole years since it (an anniversary counts on its day; 29 February's
    on 1 March)."""
    return before_hire + full_years(hired_on, as_of)
