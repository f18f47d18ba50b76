"""Helpers for HR tests and feature steps: valid ID numbers, workers, assessments."""
from __future__ import annotations

import itertools
from datetime import date

from shared import idcard

_seq = itertools.count(1)

CITY = "hangzhou"
GONGSHU = "hangzhou.gongshu"
XIHU = "hangzhou.xihu"


def id_number(born: date = date(1990, 5, 17)) -> str:
    """A fresh valid resident ID number (Hangzhou Gongshu address code)."""
    return idcard.make("330105", born, next(_seq))


def hire(api, *, name="王芳", jurisdiction=GONGSHU, post="委员", hired_on="2020-03-01", grade=None,
         community_code="GS-001", expect=201, **extra) -> dict:
    body = {"name": name, "id_number": id_number(), "jurisdiction": jurisdiction, "post": post,
            "hired_on": hired_on, "community_code": community_code, **extra}
    if grade is not None:
        body["grade"] = grade
    r = api.post("/workers", json=body)
    assert r.status_code == expect, r.text
    return r.json()


def assess(api, worker_id: int, year: int, grade: str = "合格", score: float = 80, visits=None, expect=201, **extra):
    r = api.post(f"/workers/{worker_id}/assessments", json={
        "year": year, "grade": grade, "visits": visits or [25] * 12, "performance_score": score, **extra,
    })
    assert r.status_code == expect, r.text
    return r.json()


def service(suite):
    """The HR service object behind the test client (its database and policies)."""
    return suite.hr.client.app.state.service


def outbox_types(suite) -> list[str]:
    from sqlalchemy import select

    svc = service(suite)
    with svc.db.read_session() as s:
        return list(s.execute(select(svc.infra.outbox.c.event_type).order_by(svc.infra.outbox.c.id)).scalars())


class StatementCounter:
    """Counts the SQL statements run on an engine inside a ``with`` block."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _on(self, *args, **kw):
        self.count += 1

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._on)
