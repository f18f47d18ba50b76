"""Hours are exact. The API speaks ``Decimal`` hours (at most two decimals); the
tables store them as integer hundredths of an hour (``*_ch`` columns,
"centi-hours"): 7.5 h is 750. Sums and comparisons never touch a float."""
from __future__ import annotations

from decimal import Decimal

CH = 100  # hundredths of an hour in an hour


def to_ch(hours: Decimal) -> int:
    """Decimal hours to integer hundredths. The caller checks ``hours_problem`` first."""
    return int(hours * CH)


def from_ch(ch: int) -> Decimal:
    return Decimal(int(ch)).scaleb(-2)


def hours_problem(hours: Decimal) -> str | None:
    """Why ``hours`` cannot be stored exactly, or None."""
    if not hours.is_finite():
        return "must be a number"
    if hours < 0:
        return "must not be negative"
    if hours != hours.quantize(Decimal("0.01")):
        return "has more than two decimals"
    if hours > 100_000:
        return "is implausibly large"
    return None
