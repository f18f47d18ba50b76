"""Helpers for the training tests and feature steps: a coordinator's calls
through the public HTTP API, in a few lines each."""
from __future__ import annotations

import csv
import io
import itertools
from typing import Any

from openpyxl import Workbook

CITY = "hangzhou"
GONGSHU = "hangzhou.gongshu"
XIHU = "hangzhou.xihu"

ROSTER_COLUMNS = ["worker_id", "name", "post", "jurisdiction", "community_code", "hired_on", "probation_ends_on",
                  "designations"]

_ids = itertools.count(5001)


def next_worker_id() -> int:
    return next(_ids)


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in columns})
    return buf.getvalue().encode("utf-8")


def import_roster(api, rows: list[dict]):
    return api.post("/roster/import", content=to_csv(rows, ROSTER_COLUMNS), headers={"content-type": "text/csv"})


def add_worker(api, name: str, *, post: str = "委员", jurisdiction: str = GONGSHU, worker_id: int | None = None,
               **more) -> int:
    wid = worker_id or next_worker_id()
    r = import_roster(api, [dict(worker_id=wid, name=name, post=post, jurisdiction=jurisdiction, **more)])
    assert r.status_code == 200, r.text
    return wid


PROGRAMME = dict(
    title="社区工作者继续教育培训班", tier="continuing", category="continuing", content_area="professional_knowledge",
    delivery="offline", mode="theory", location="in_city", hours="8", topics=["elder_services"], cost_fen=50000,
)


def programme(api, **over) -> dict:
    body: dict[str, Any] = {**PROGRAMME, **over}
    r = api.post("/programmes", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def schedule(api, programme_id: int, start: str = "2025-05-12T09:00:00", end: str = "2025-05-12T17:00:00",
             capacity: int = 30, **over):
    body = {"starts_at": start, "ends_at": end, "capacity": capacity, "venue": "拱墅区社会工作指导中心", **over}
    return api.post(f"/programmes/{programme_id}/sessions", json=body)


def session(api, programme_id: int, **kw) -> dict:
    r = schedule(api, programme_id, **kw)
    assert r.status_code == 201, r.text
    return r.json()


def enrol(api, session_id: int, worker_id: int | None = None):
    return api.post(f"/sessions/{session_id}/enrolments", json={} if worker_id is None else {"worker_id": worker_id})


def attend(api, session_id: int, day: str, marks: dict[int, bool]):
    return api.post(f"/sessions/{session_id}/attendance", json={
        "day": day, "records": [{"worker_id": w, "present": p} for w, p in marks.items()]})


def id_number(n: int) -> str:
    """A well-formed 18-digit resident ID number with a valid check digit."""
    body = f"330105{1985 + n % 10}0101{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


_hr_seq = itertools.count(1)


def worker_with_login(suite, coordinator, name: str, *, post: str = "委员", jurisdiction: str = GONGSHU,
                      hired_on: str = "2020-03-01", **roster) -> tuple[int, Any]:
    """A worker on HR's rolls with a login, and on training's roster under the same id."""
    hr = suite.api("hr", suite.admin_token)
    r = hr.post("/workers", json={"name": name, "id_number": id_number(next(_hr_seq)), "jurisdiction": jurisdiction,
                                   "post": post, "grade": 7 if post == "正职" else 1, "hired_on": hired_on})
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    add_worker(coordinator, name, post=post, jurisdiction=jurisdiction, worker_id=wid, hired_on=hired_on, **roster)
    token = suite.create_user(f"w{wid}-{name}", "worker", jurisdiction, worker_id=wid)
    return wid, suite.api("training", token)


def complete(api, worker_ids: list[int], programme_id: int, first_day: str, days: int = 1,
             attended: int | None = None, **session_over) -> dict:
    """Schedule a session of ``days`` consecutive days, enrol the workers, mark them
    present on the first ``attended`` days (all by default) and close it."""
    from datetime import date, timedelta

    start = date.fromisoformat(first_day)
    last = start + timedelta(days=days - 1)
    s = session(api, programme_id, start=f"{start}T09:00:00", end=f"{last}T17:00:00",
                capacity=max(len(worker_ids), 1), **session_over)
    for w in worker_ids:
        r = enrol(api, s["id"], w)
        assert r.status_code == 201, r.text
    present = days if attended is None else attended
    for i in range(days):
        if worker_ids:
            r = attend(api, s["id"], (start + timedelta(days=i)).isoformat(), {w: i < present for w in worker_ids})
            assert r.status_code == 200, r.text
    r = api.post(f"/sessions/{s['id']}/close")
    assert r.status_code == 200, r.text
    return r.json()


def xlsx(rows: list[list]) -> bytes:
    """A workbook of ``rows`` on its first sheet, as a file's bytes."""
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
