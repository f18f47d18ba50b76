"""Masking personal data in lists and exports (clause D-8).

A resident ID number shows its first six and last four characters
(``330106********1234``); a phone number its first three and last four
(``138****5678``); an e-mail address its first character and domain
(``z****@example.com``); a postal address its first six characters; a bank
account number its last four digits (``************7890``). One
function, ``mask``, is used by the services that show these values, so a
value is masked the same way wherever it is shown (the CLI's exports write
what the services answer). Pure: no I/O.
"""
from __future__ import annotations

from typing import Literal

Kind = Literal["id_number", "phone", "email", "address", "account_number"]

STARS = "****"


def mask_id_number(value: str) -> str:
    """``330106********1234``: the address code and the last four kept."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """``138****5678``, ``057****1234``: the first three and last four digits kept."""
    if len(value) <= 7:
        return STARS + value[-2:] if len(value) > 2 else STARS
    return value[:3] + STARS + value[-4:]


def mask_email(value: str) -> str:
    """``z****@example.com``: the first character and the domain kept."""
    local, at, domain = value.partition("@")
    if not at:
        return mask_phone(value)
    return local[:1] + STARS + "@" + domain


def mask_address(value: str) -> str:
    """The first six characters (city and district) kept, the rest hidden."""
    return value[:6] + STARS if len(value) > 6 else STARS


def mask_account_number(value: str) -> str:
    """``************7890``: a bank account number's last four digits kept (D-16)."""
    return "*" * max(len(value) - 4, 0) + value[-4:]


_MASKS = {"id_number": mask_id_number, "phone": mask_phone, "email": mask_email, "address": mask_address,
          "account_number": mask_account_number}


def mask(kind: Kind, value: str | None) -> str | None:
    """``value`` masked as a ``kind`` (None stays None): the one masking function (D-8)."""
    if value is None or value == "":
        return value
    return _MASKS[kind](value)
