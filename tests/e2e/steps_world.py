"""The officers, workers and calls the end-to-end flows make against the live
suite (tests/e2e/conftest.py ``live``): every write goes through a service's
public HTTP API, every cross-service effect is waited for by polling another
service's public API. Reading a service's own ``outbox``/``inbox`` tables is
reserved for the checks on delivery itself (re-driving an event, the
scheduler's job keys)."""
from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import redis
from sqlalchemy import select

from shared.broker import EVENT_ACTOR, EVENTS_QUEUE, JOB_ACTOR, JOBS_QUEUE, Sender, namespace
from shared.db import Database, add_infra_tables, new_metadata
from shared.web import today
from tests.hr_recruitment.helpers import Hr, id_number_for

CITY = "hangzhou"
GONGSHU = "hangzhou.gongshu"
ASSISTANT = "助理社会工作师"
TIMEOUT = 20.0  # seconds an asynchronous effect may take to show

_seq = itertools.count(1)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def eventually(probe: Callable[[], Any], check: Callable[[Any], bool], what: str, timeout: float = TIMEOUT) -> Any:
    """Poll ``probe()`` until ``check`` holds on its value; fail with the last value seen."""
    end = time.monotonic() + timeout
    while True:
        value = probe()
        if check(value):
            return value
        if time.monotonic() > end:
            raise AssertionError(f"not within {timeout:.0f}s: {what}; last seen: {value!r}")
        time.sleep(0.1)


def ok(r, status: tuple[int, ...] = (200, 201)) -> Any:
    assert r.status_code in status, f"{r.request.method} {r.request.url} -> {r.status_code}: {r.text}"
    return r.json()


class World:
    """One live suite's actors: an HR officer, a training coordinator, cert
    officers of the district and the city, and the workers by name."""

    def __init__(self, live):
        self.live = live
        self.today = today()
        self.hr = Hr(live.api("hr", self.user("hr_officer", GONGSHU)))
        self.training = live.api("training", self.user("training_coordinator", GONGSHU))
        self.certs = live.api("certs", self.user("cert_officer", GONGSHU))
        self.certs_city = live.api("certs", self.user("cert_officer", CITY))
        self.workers: dict[str, int] = {}
        self.id_numbers: dict[str, str] = {}
        self.certificates: dict[str, int] = {}
        self.sender = Sender(live.settings.redis_url)
        self.redis = redis.Redis.from_url(live.settings.redis_url)
        self._dbs: dict[str, tuple[Database, Any]] = {}

    def user(self, role: str, jurisdiction: str, worker_id: int | None = None) -> str:
        name = f"e2e-{role}-{next(_seq)}"
        admin = self.live.api("hr", self.live.admin_token)
        ok(admin.post("/users", json={"username": name, "password": "password-123", "role": role,
                                      "jurisdiction": jurisdiction, "worker_id": worker_id}))
        r = self.live.clients["hr"].post("/auth/login", json={"username": name, "password": "password-123"})
        return ok(r)["access_token"]

    def close(self) -> None:
        self.sender.close()
        self.redis.close()
        for db, _ in self._dbs.values():
            db.dispose()

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    # --- HR ---------------------------------------------------------------------

    def hire_directly(self, name: str, years_ago: int, jurisdiction: str = GONGSHU) -> int:
        """A worker put on HR's rolls (HR publishes worker.hired)."""
        idn = id_number_for("1985-06-01")
        w = ok(self.hr.api.post("/workers", json={
            "name": name, "id_number": idn, "jurisdiction": jurisdiction, "post": "委员", "grade": 1,
            "hired_on": years_before(self.today, years_ago).isoformat()}))
        self.workers[name], self.id_numbers[name] = w["id"], idn
        return w["id"]

    def payslip(self, name: str, month: str) -> dict:
        return ok(self.hr.api.get(f"/workers/{self.workers[name]}/payslips/{month}"))

    def next_month(self) -> str:
        first = self.today.replace(day=1) + timedelta(days=32)
        return f"{first:%Y-%m}"

    # --- training ---------------------------------------------------------------

    def roster_entry(self, name: str) -> dict | None:
        r = self.training.get(f"/roster/{self.workers[name]}")
        return r.json() if r.status_code == 200 else None

    def programme(self, **fields) -> dict:
        body = dict(title="社区工作者培训", tier="continuing", category="continuing",
                    content_area="professional_knowledge", delivery="offline", mode="theory", location="in_city",
                    hours="8", topics=[])
        body.update(fields)
        return ok(self.training.post("/programmes", json=body))

    def session(self, programme_id: int, first: date, days: int = 1, capacity: int = 50) -> dict:
        last = first + timedelta(days=days - 1)
        return ok(self.training.post(f"/programmes/{programme_id}/sessions", json={
            "starts_at": f"{first}T09:00:00", "ends_at": f"{last}T17:00:00", "capacity": capacity,
            "venue": "拱墅区社会工作指导中心"}))

    def enrolments(self, name: str) -> list[dict]:
        return ok(self.training.get(f"/workers/{self.workers[name]}/enrolments"))

    def place_in(self, name: str, session_id: int) -> dict | None:
        return next((e for e in self.enrolments(name) if e["session_id"] == session_id), None)

    # --- certs ------------------------------------------------------------------

    def profile(self, name: str) -> dict | None:
        r = self.certs.get(f"/profiles/{self.workers[name]}")
        return r.json() if r.status_code == 200 else None

    def known_everywhere(self, name: str) -> None:
        """Wait for worker.hired to reach training's roster and certs' profiles."""
        eventually(lambda: self.roster_entry(name), bool, f"{name} on training's roster")
        eventually(lambda: self.profile(name), bool, f"a certs profile for {name}")

    def certify(self, name: str, level: str, passed_on: date) -> int:
        ok(self.certs.post(f"/profiles/{self.workers[name]}/real-name", json={
            "name": name, "id_number": self.id_numbers[name]}))
        c = ok(self.certs.post("/certificates", json={
            "worker_id": self.workers[name], "level": level, "number": f"E2E{next(_seq):08d}",
            "exam_year": passed_on.year, "passed_on": passed_on.isoformat()}))
        self.certificates[name] = c["id"]
        return c["id"]

    def register(self, name: str, on: date):
        return self.certs.post(f"/certificates/{self.certificates[name]}/registrations",
                               json={"registered_on": on.isoformat()})

    def registrations(self, name: str) -> list[dict]:
        return ok(self.certs.get(f"/certificates/{self.certificates[name]}/registrations"))

    def certificate_status(self, name: str) -> dict:
        return ok(self.certs.get(f"/certificates/{self.certificates[name]}"))["registration"]

    def cpd_ledger(self, name: str) -> list[dict]:
        return ok(self.certs.get(f"/profiles/{self.workers[name]}/cpd"))

    # --- delivery: outbox, inbox, Redis -------------------------------------------

    def db(self, service: str) -> tuple[Database, Any]:
        if service not in self._dbs:
            self._dbs[service] = (Database(self.live.settings.database_urls[service]), add_infra_tables(new_metadata()))
        return self._dbs[service]

    def outbox(self, service: str, event_type: str) -> list[tuple[str, dict]]:
        """(event id, payload) of every event of ``event_type`` the service has published."""
        db, infra = self.db(service)
        o = infra.outbox
        with db.read_session() as s:
            rows = s.execute(select(o.c.event_id, o.c.payload).where(o.c.event_type == event_type).order_by(o.c.id))
            return [(r.event_id, dict(r.payload)) for r in rows]

    def inbox(self, service: str, key: str) -> list[str]:
        """The handlers recorded in the service's inbox under ``key`` (an event id or a job key)."""
        db, infra = self.db(service)
        i = infra.inbox
        with db.read_session() as s:
            return list(s.execute(select(i.c.handler).where(i.c.event_id == key)).scalars())

    def pending(self, service: str, queue: str, message_id: str) -> bool:
        """Whether the message is still waiting in (or being processed from) the queue or its retries.

        Dramatiq's Redis broker keeps each message, under an id of its own, in
        ``<namespace>:<queue>.msgs`` until the worker acknowledges it."""
        ns = namespace(service)
        return any(json.loads(data)["message_id"] == message_id
                   for q in (queue, f"{queue}.DQ") for data in self.redis.hvals(f"{ns}:{q}.msgs"))

    def send_event(self, service: str, payload: dict, event_id: str) -> None:
        """Deliver an event to ``service`` again, as a relay would, and wait until it is consumed."""
        self.sender.send(service, EVENTS_QUEUE, EVENT_ACTOR, payload, event_id)
        eventually(lambda: self.pending(service, EVENTS_QUEUE, event_id), lambda p: not p,
                   f"{service} consumed event {event_id}")

    def send_job(self, service: str, job: str, period: str) -> None:
        """Send a job as the scheduler does, and wait until the worker has taken it off the queue."""
        key = f"job:{job}:{period}"
        self.sender.send(service, JOBS_QUEUE, JOB_ACTOR, {"job": job, "period": period}, key)
        eventually(lambda: self.pending(service, JOBS_QUEUE, key), lambda p: not p, f"{service} consumed {key}")
