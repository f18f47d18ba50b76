"""Steps for features/certs/worker_changes.feature (D-11, D-6): HR's
worker.hired and worker.changed delivered to training and to certs as their
workers receive them (through each service's inbox), and what each then
shows through its HTTP API."""
from __future__ import annotations

import itertools
from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from deploy.services import make_service
from deploy.topology import module
from shared.events import Event, WorkerChanged, WorkerHired, to_message
from shared.inbox import consume

scenarios("certs/worker_changes.feature")

_worker_ids = itertools.count(9101)


class World:
    """HR as the publisher of one scenario: its workers as they stand, and
    each service's worker process run in-line."""

    def __init__(self, suite):
        self.suite = suite
        self.services = {name: make_service(name, suite.settings) for name in ("training", "certs")}
        self.workers: dict[str, dict] = {}
        self.change_ids = itertools.count(100)  # HR's worker_change ids, increasing
        self.last_change_id = 0
        self.pending: WorkerChanged | None = None
        self.failures: list[Exception] = []
        self.apis: dict[tuple[str, str, str], object] = {}

    def deliver(self, event: Event) -> None:
        """To each consumer; a failing handler is kept, as the broker would retry it."""
        self.failures = []
        for name, svc in self.services.items():
            handlers = module(name, "actors").event_handlers(svc)
            try:
                consume(svc.db, svc.infra.inbox, to_message(event), handlers)
            except LookupError as exc:
                self.failures.append(exc)

    def change(self, name: str, kind: str, effective_on: str, **now) -> WorkerChanged:
        """The change HR publishes, the worker as they stand after it."""
        before = self.workers[name]
        after = {**before, **now}
        self.last_change_id = next(self.change_ids)
        event = WorkerChanged(
            worker_id=before["worker_id"], change_id=self.last_change_id, kind=kind,
            effective_on=date.fromisoformat(effective_on), jurisdiction=after["jurisdiction"],
            community_code=after["community_code"], post=after["post"], grade=1, status=after["status"],
            from_jurisdiction=before["jurisdiction"], from_community_code=before["community_code"],
            from_post=before["post"], from_status=before["status"],
        )
        self.workers[name] = after
        return event

    def api(self, service: str, role: str, jurisdiction: str):
        key = (service, role, jurisdiction)
        if key not in self.apis:
            user = f"{role}-{jurisdiction}-{len(self.apis)}"
            self.apis[key] = self.suite.api(service, self.suite.create_user(user, role, jurisdiction))
        return self.apis[key]

    def close(self) -> None:
        for svc in self.services.values():
            svc.db.dispose()


@pytest.fixture
def world(suite):
    w = World(suite)
    yield w
    w.close()


def city_view(world, service: str):
    return world.api(service, "training_coordinator" if service == "training" else "cert_officer", "hangzhou")


# --- HR's events -------------------------------------------------------------------


@given(parsers.parse('HR has hired "{name}" as "{post}" into "{community}" of "{jurisdiction}" on {day}'))
@when(parsers.parse('HR has hired "{name}" as "{post}" into "{community}" of "{jurisdiction}" on {day}'))
def hr_hired(world, name, post, community, jurisdiction, day):
    wid = world.workers.get(name, {}).get("worker_id") or next(_worker_ids)
    world.workers[name] = dict(worker_id=wid, post=post, community_code=community, jurisdiction=jurisdiction,
                               status="active")
    world.deliver(WorkerHired(worker_id=wid, name=name, post=post, grade=1, community_code=community,
                              jurisdiction=jurisdiction, hired_on=date.fromisoformat(day)))
    assert world.failures == []


@when(parsers.parse('HR transfers "{name}" to "{community}" of "{jurisdiction}" from {day}'))
def hr_transfers(world, name, community, jurisdiction, day):
    world.deliver(world.change(name, "transfer", day, community_code=community, jurisdiction=jurisdiction))


@when(parsers.parse('HR changes the post of "{name}" to "{post}" from {day}'))
def hr_changes_post(world, name, post, day):
    world.deliver(world.change(name, "post_change", day, post=post))


@when(parsers.parse('an older change moving "{name}" to "{post}" arrives late'))
def older_change(world, name, post):
    """A change HR made before the last one, delivered after it."""
    w = world.workers[name]
    world.deliver(WorkerChanged(
        worker_id=w["worker_id"], change_id=world.last_change_id - 1, kind="post_change",
        effective_on=date(2026, 2, 1), jurisdiction=w["jurisdiction"], community_code=w["community_code"],
        post=post, grade=1, status=w["status"]))


@when(parsers.parse('a change moving "{name}" to "{community}" of "{jurisdiction}" arrives before her hire'))
def change_before_hire(world, name, community, jurisdiction):
    wid = next(_worker_ids)
    world.workers[name] = dict(worker_id=wid, post="委员", community_code="GS002", jurisdiction="hangzhou.gongshu",
                               status="active")
    world.pending = world.change(name, "transfer", "2026-03-01", community_code=community, jurisdiction=jurisdiction)
    world.deliver(world.pending)


@then("the change fails in training and in certs, and nothing is recorded")
def change_failed(world):
    assert len(world.failures) == 2
    wid = world.pending.worker_id
    assert city_view(world, "training").get(f"/roster/{wid}").status_code == 404
    assert city_view(world, "certs").get(f"/profiles/{wid}").status_code == 404


@when("the change is delivered again")
def delivered_again(world):
    world.deliver(world.pending)
    assert world.failures == []


@when(parsers.parse('HR ends the employment of "{name}" in probation on {day}'))
def hr_ends_in_probation(world, name, day):
    world.deliver(world.change(name, "probation_ended", day, status="left"))


@when(parsers.parse('HR reinstates "{name}" from {day}'))
def hr_reinstates(world, name, day):
    world.deliver(world.change(name, "reinstated", day, status="active"))


# --- what training and certs show -----------------------------------------------------


def roster_entry(world, name) -> dict:
    r = city_view(world, "training").get(f"/roster/{world.workers[name]['worker_id']}")
    assert r.status_code == 200, r.text
    return r.json()


def certs_profile(world, name) -> dict:
    r = city_view(world, "certs").get(f"/profiles/{world.workers[name]['worker_id']}")
    assert r.status_code == 200, r.text
    return r.json()


@then(parsers.parse('training\'s roster has "{name}" in "{community}" of "{jurisdiction}"'))
def roster_in(world, name, community, jurisdiction):
    e = roster_entry(world, name)
    assert (e["community_code"], e["jurisdiction"]) == (community, jurisdiction)


@then(parsers.parse('the certs profile of "{name}" is in "{community}" of "{jurisdiction}"'))
def profile_in(world, name, community, jurisdiction):
    p = certs_profile(world, name)
    assert (p["community_code"], p["jurisdiction"]) == (community, jurisdiction)


@then(parsers.parse('a training coordinator of "{jurisdiction}" finds "{name}" on the roster'))
def coordinator_finds(world, jurisdiction, name):
    api = world.api("training", "training_coordinator", jurisdiction)
    assert world.workers[name]["worker_id"] in [w["worker_id"] for w in api.get("/roster").json()["items"]]


@then(parsers.parse('a training coordinator of "{jurisdiction}" no longer finds "{name}"'))
def coordinator_does_not_find(world, jurisdiction, name):
    api = world.api("training", "training_coordinator", jurisdiction)
    assert api.get(f"/roster/{world.workers[name]['worker_id']}").status_code == 404


@then(parsers.parse('in {year:d} "{name}" owes "{owed}" and not "{other}"'))
def owes(world, year, name, owed, other):
    r = city_view(world, "training").get(f"/workers/{world.workers[name]['worker_id']}/obligations",
                                         params={"year": year, "as_of": f"{year}-07-01"})
    kinds = [o["kind"] for o in r.json()["obligations"]]
    assert owed in kinds and other not in kinds, kinds


@then(parsers.parse('training\'s roster has "{name}" as "{post}"'))
def roster_post(world, name, post):
    assert roster_entry(world, name)["post"] == post


@then(parsers.parse('training\'s roster has "{name}" "{status}" since {day}'))
def roster_left(world, name, status, day):
    e = roster_entry(world, name)
    assert (e["status"], e["left_on"]) == (status, day)


@then(parsers.parse('the certs profile of "{name}" is "{status}" since {day}'))
def profile_left(world, name, status, day):
    p = certs_profile(world, name)
    assert (p["status"], p["left_on"]) == (status, day)


@then(parsers.parse('training\'s roster has "{name}" "{status}"'))
def roster_status(world, name, status):
    e = roster_entry(world, name)
    assert (e["status"], e["left_on"]) == (status, None)


@then(parsers.parse('the certs profile of "{name}" is "{status}"'))
def profile_status(world, name, status):
    p = certs_profile(world, name)
    assert (p["status"], p["left_on"]) == (status, None)
