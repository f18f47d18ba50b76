"""Chinese resident identity numbers (居民身份证号码, GB 11643-1999).

Eighteen characters: a six-digit address code (the first two digits a province
code), the birth date ``YYYYMMDD``, a three-digit sequence (odd for men, even
for women) and a check character computed by ISO 7064 MOD 11-2 over the first
seventeen (``0``-``9`` or ``X``). ``parse`` checks all of that and returns the
parts; it reads no clock (pass ``as_of`` to refuse birth dates after it).
"""
from __future__ import annotations

import re
from datetime import date

import msgspec

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# GB/T 2260 province-level codes (81/82: Hong Kong and Macao residents' permits,
# 83: Taiwan residents' permits, which use the same number format).
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})

_SHAPE = re.compile(r"^\d{17}[\dX]$")


class IdNumber(msgspec.Struct, frozen=True):
    number: str  # normalised: upper-case X
    address_code: str
    birth_date: date
    sex: str  # "M" or "F" (odd or even sequence)


class InvalidIdNumber(ValueError):
    """Why a number is not a valid resident ID: ``code`` is stable, ``reason`` is English, ``reason_zh`` Chinese."""

    def __init__(self, code: str, reason: str, reason_zh: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.reason_zh = reason_zh


def check_char(first17: str) -> str:
    """The GB 11643 check character of the first seventeen digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=False)) % 11]


def parse(number: str, *, as_of: date | None = None) -> IdNumber:
    """Validate ``number`` (format, province, birth date, check character) and
    return its parts; raises ``InvalidIdNumber`` saying which part is wrong."""
    n = number.strip().upper()
    if not _SHAPE.match(n):
        raise InvalidIdNumber("id_number_format", "An ID number is 17 digits and a digit or X.",
                              "身份证号码应为17位数字加1位数字或X。")
    if n[:2] not in PROVINCES:
        raise InvalidIdNumber("id_number_region", f"'{n[:2]}' is not a province code.",
                              f"“{n[:2]}”不是有效的省级行政区划代码。")
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise InvalidIdNumber("id_number_birth_date", f"'{n[6:14]}' is not a date of birth.",
                              f"“{n[6:14]}”不是有效的出生日期。") from None
    if born.year < 1900 or (as_of is not None and born > as_of):
        raise InvalidIdNumber("id_number_birth_date", f"Date of birth {born} is not plausible.",
                              f"出生日期 {born} 不合理。")
    expected = check_char(n[:17])
    if n[17] != expected:
        raise InvalidIdNumber("id_number_check_digit", "The check character does not match (GB 11643).",
                              "校验码不符（GB 11643）。")
    return IdNumber(n, n[:6], born, "M" if int(n[16]) % 2 else "F")


def is_valid(number: str, *, as_of: date | None = None) -> bool:
    try:
        parse(number, as_of=as_of)
        return True
    except InvalidIdNumber:
        return False


def make(address_code: str, birth_date: date, sequence: int) -> str:
    """A valid number from its parts (for tests, fixtures and data generators)."""
    body = f"{address_code}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return body + check_char(body)
