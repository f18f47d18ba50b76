"""Money is integer fen (分) everywhere: 1 yuan = 100 fen.

Rates are given in basis points (1 bp = 0.01%) or as exact fractions so that
no float ever touches an amount. Rounding is half-up to the fen.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Fen = int

FEN_PER_YUAN = 100
BP = 10_000  # basis points in 1


def yuan(amount: int | str) -> Fen:
    """Whole or decimal yuan as fen: ``yuan(850) == 85000``, ``yuan("12.34") == 1234``."""
    return round_half_up(Fraction(str(amount)) * FEN_PER_YUAN)


def round_half_up(value: Fraction) -> Fen:
    if value >= 0:
        return int(value + Fraction(1, 2))
    return -int(-value + Fraction(1, 2))


def apply_bp(amount: Fen, basis_points: int) -> Fen:
    """``amount × basis_points / 10000``, rounded half-up: ``apply_bp(10000, 3000) == 3000``."""
    return round_half_up(Fraction(amount * basis_points, BP))


def share(amount: Fen, numerator: int, denominator: int) -> Fen:
    return round_half_up(Fraction(amount * numerator, denominator))


def split_exact(amount: Fen, weights: list[int]) -> list[Fen]:
    """Split ``amount`` by ``weights`` so the parts add up exactly (largest remainder)."""
    total = sum(weights)
    if total <= 0:
        return [0 for _ in weights]
    exact = [Fraction(amount * w, total) for w in weights]
    parts = [int(x) for x in exact]
    rest = amount - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[:rest]:
        parts[i] += 1
    return parts


def format_yuan(amount: Fen) -> str:
    sign = "-" if amount < 0 else ""
    a = abs(amount)
    return f"{sign}{a // 100}.{a % 100:02d}"


def as_yuan(amount: Fen) -> Decimal:
    """Fen as exact yuan with two decimals, for spreadsheets and files: ``as_yuan(1234) == Decimal("12.34")``."""
    return Decimal(amount).scaleb(-2)
