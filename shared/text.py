"""Free text a person typed: what no stored value may hold, whatever the field.

Control characters (NUL and the other C0/C1 codes, except tab, line feed and
carriage return) break exports and some databases; bidirectional overrides
make a name read differently from what is stored. ``text_fault`` says what is
wrong with a value, or None; the JSON input guard and every import use it,
so a value refused on one path is refused on all.
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def text_fault(value: str) -> tuple[str, str] | None:
    """(reason in English, in Chinese) if ``value`` holds a character no text may hold."""
    if _CONTROL.search(value):
        return "contains a control character", "含有控制字符"
    if _BIDI.search(value):
        return "contains a bidirectional override character", "含有文字方向控制字符"
    return None


def blank(value: str) -> bool:
    """Only spaces (of any kind), or nothing: not a name."""
    return not value.strip()
