"""Steps for features/e2e/worker_changes.feature: HR's worker.changed reaching
training's roster and certs' profile through the live suite (D-11)."""
from __future__ import annotations

from pytest_bdd import parsers, then, when

from tests.e2e.steps_world import eventually


def _wid(world, name) -> int:
    return world.workers[name]


@when(parsers.parse('HR transfers "{name}" to "{code}" from yesterday'))
def transfers(world, name, code):
    r = world.hr.api.post(f"/workers/{_wid(world, name)}/transfers", json={
        "community_code": code, "effective_on": world.day(-1).isoformat(), "reason": "街道调整"})
    assert r.status_code == 201, r.text


@when(parsers.parse('HR moves "{name}" to the post "{post}" from yesterday'))
def moves_post(world, name, post):
    r = world.hr.api.post(f"/workers/{_wid(world, name)}/post-changes", json={
        "post": post, "effective_on": world.day(-1).isoformat(), "reason": "当选主任"})
    assert r.status_code == 201, r.text


@then(parsers.parse('training\'s roster shows "{name}" in "{code}" of "{district}"'))
def roster_in(world, name, code, district):
    eventually(lambda: world.roster_entry(name),
               lambda e: e is not None and (e["community_code"], e["jurisdiction"]) == (code, district),
               f"{name} in {code} on training's roster")


@then(parsers.parse('certs\' profile of "{name}" shows "{code}" of "{district}"'))
def profile_in(world, name, code, district):
    eventually(lambda: world.profile(name),
               lambda p: p is not None and (p["community_code"], p["jurisdiction"]) == (code, district),
               f"{name}'s certs profile in {code}")


@then(parsers.parse('training\'s roster shows "{name}" as "{post}"'))
def roster_post(world, name, post):
    eventually(lambda: world.roster_entry(name), lambda e: e is not None and e["post"] == post,
               f"{name} as {post} on training's roster")


@then(parsers.parse('training says "{name}" owes "{kind}" this year'))
def owes(world, name, kind):
    r = world.training.get(f"/workers/{_wid(world, name)}/obligations",
                           params={"year": world.today.year, "as_of": world.today.isoformat()})
    assert r.status_code == 200, r.text
    assert kind in [o["kind"] for o in r.json()["obligations"]], r.json()
