"""Streets, communities in them and tokens of each level, for the D-17 tests."""
from __future__ import annotations

from datetime import UTC, datetime

from shared.auth import Principal, Role

DISTRICT = "hangzhou.gongshu"
EAST = "hangzhou.gongshu.east"
WEST = "hangzhou.gongshu.west"


def issue(suite, principal: Principal) -> str:
    """A token from HR's issuer, as a login gives."""
    svc = suite.hr.client.app.state["service"]
    token, _ = svc.extra["token_issuer"].issue(principal, datetime.now(UTC))
    return token


def secretary_token(suite, community: str, jurisdiction: str) -> str:
    """A community secretary of ``community`` (which lies in ``jurisdiction``), D-17."""
    return issue(suite, Principal(sub=f"sec-{community}", role=Role.community_secretary,
                                  jurisdiction=jurisdiction, community=community))


def street(suite, parent: str, code: str, name: str, effective_from: str = "2020-01-01") -> dict:
    r = suite.hr.as_(suite.admin_token).post("/org-units", json={
        "parent": parent, "code": code, "name": name, "effective_from": effective_from})
    assert r.status_code == 201, r.text
    return r.json()


def community(suite, code: str, street_path: str | None, district: str = DISTRICT, households: int = 6000,
              effective_from: str = "2020-01-01") -> dict:
    body = {"code": code, "name": f"{code}社区", "district": district, "households": households,
            "effective_from": effective_from}
    if street_path:
        body["street"] = street_path
    r = suite.hr.as_(suite.admin_token).post("/communities", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def id_number(n: int) -> str:
    """A well-formed 18-digit resident ID number with a valid check digit."""
    body = f"330106{1980 + n % 15}0202{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def deliver_hr_events(suite) -> int:
    """HR's unsent outbox rows consumed by training and certs through their
    inboxes, as their workers would, then marked sent. Returns how many."""
    from sqlalchemy import select, update

    from deploy.topology import module
    from shared.inbox import consume

    hr = suite.hr.client.app.state["service"]
    out = hr.infra.outbox
    with hr.db.read_session() as s:
        rows = s.execute(select(out.c.id, out.c.payload).where(out.c.sent_at.is_(None)).order_by(out.c.id)).all()
    for name in ("training", "certs"):
        svc = getattr(suite, name).client.app.state["service"]
        handlers = module(name, "actors").event_handlers(svc)
        for row in rows:
            consume(svc.db, svc.infra.inbox, row.payload, handlers)
    with hr.db.transaction() as s:
        s.execute(update(out).where(out.c.id.in_([r.id for r in rows])).values(sent_at=datetime.now(UTC)))
    return len(rows)
