"""Communities for HR tests: a worker named to a community needs it registered
(``unknown_community``) and with room on its rolls (S4-1, S4-3, D-9)."""
from __future__ import annotations

from tests.hr.helpers import GONGSHU, XIHU

ROOMY = 6000
"""Households enough for the D-9 cap (15 workers) whatever the party members."""


def register(api, code: str, district: str = GONGSHU, households: int = ROOMY, party_members: int = 0,
             effective_from: str | None = None, expect: int | None = 201) -> dict:
    """``POST /communities``; a community already there is left as it is when ``expect`` is None."""
    body = {"code": code, "name": f"{code}社区", "district": district, "households": households,
            "party_members": party_members}
    if effective_from is not None:
        body["effective_from"] = effective_from
    r = api.post("/communities", json=body)
    if expect is None:
        assert r.status_code in (201, 409), r.text
    else:
        assert r.status_code == expect, r.text
    return r.json()


def register_defaults(suite) -> None:
    """The communities ``tests.hr.helpers.hire`` and the HR tests name: GS-001, GS-002 of Gongshu, XH-001 of Xihu."""
    admin = suite.hr.as_(suite.admin_token)
    for code, district in (("GS-001", GONGSHU), ("GS-002", GONGSHU), ("XH-001", XIHU)):
        register(admin, code, district, expect=None)
