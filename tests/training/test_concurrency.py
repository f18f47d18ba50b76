"""Nobody is overbooked under concurrent requests, on SQLite and on PostgreSQL.

Many threads ask for the last seat at once through the HTTP API. On SQLite
every write transaction begins IMMEDIATE, so they queue; on PostgreSQL the
session row is taken FOR UPDATE (and the worker's roster row before it), so
the seat count each one reads is the count after the previous one committed.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.training.helpers import GONGSHU, enrol, import_roster, programme, session

THREADS = 16


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_suite(request):
    return request.getfixturevalue("suite" if request.param == "sqlite" else "pg_suite")


@pytest.fixture
def coord(any_suite):
    return any_suite.api("training", any_suite.create_user("tc", "training_coordinator", GONGSHU))


def roster(coord, n: int, start: int = 9001) -> list[int]:
    ids = list(range(start, start + n))
    r = import_roster(coord, [{"worker_id": i, "name": f"工{i}", "post": "委员", "jurisdiction": GONGSHU} for i in ids])
    assert r.status_code == 200, r.text
    return ids


def all_at_once(calls):
    """Run the calls in parallel threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_the_last_seat_goes_to_exactly_one(coord):
    p = programme(coord)
    s = session(coord, p["id"], capacity=3)
    first, *racers = roster(coord, THREADS + 2)
    for w in (first, racers.pop()):
        assert enrol(coord, s["id"], w).json()["status"] == "enrolled"  # one seat left
    results = all_at_once([lambda w=w: enrol(coord, s["id"], w) for w in racers])
    assert all(r.status_code == 201 for r in results), [r.text for r in results if r.status_code != 201]
    statuses = [r.json()["status"] for r in results]
    assert statuses.count("enrolled") == 1 and statuses.count("waitlisted") == len(racers) - 1
    positions = sorted(r.json()["waitlist_position"] for r in results if r.json()["status"] == "waitlisted")
    assert positions == list(range(1, len(racers)))
    view = coord.get(f"/sessions/{s['id']}").json()
    assert (view["enrolled"], view["waitlisted"], view["seats_left"]) == (3, len(racers) - 1, 0)


def test_concurrent_cancellations_seat_the_waitlist_in_order_without_overbooking(coord):
    p = programme(coord)
    s = session(coord, p["id"], capacity=6)
    workers = roster(coord, 12)
    places = [enrol(coord, s["id"], w).json() for w in workers]
    seated, waiting = places[:6], places[6:]
    results = all_at_once([lambda e=e: coord.post(f"/enrolments/{e['id']}/cancel", json={}) for e in seated])
    assert all(r.status_code == 200 for r in results), [r.text for r in results]
    promoted = sorted(x["worker_id"] for r in results for x in r.json()["promoted"])
    assert promoted == sorted(e["worker_id"] for e in waiting)
    view = coord.get(f"/sessions/{s['id']}").json()
    assert (view["enrolled"], view["waitlisted"]) == (6, 0)


def test_one_worker_racing_for_overlapping_sessions_holds_one(coord):
    p = programme(coord)
    sessions = [session(coord, p["id"], start=f"2025-05-12T0{9}:00:00", end="2025-05-12T17:00:00") for _ in range(6)]
    (w,) = roster(coord, 1)
    results = all_at_once([lambda x=x: enrol(coord, x["id"], w) for x in sessions])
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * (len(sessions) - 1), [r.text for r in results]
    assert len([e for e in coord.get(f"/workers/{w}/enrolments").json() if e["status"] == "enrolled"]) == 1


def test_many_workers_many_seats(coord):
    p = programme(coord)
    s = session(coord, p["id"], capacity=5)
    workers = roster(coord, THREADS)
    results = all_at_once([lambda w=w: enrol(coord, s["id"], w) for w in workers])
    statuses = [r.json()["status"] for r in results]
    assert statuses.count("enrolled") == 5 and statuses.count("waitlisted") == THREADS - 5
    # the waitlist is in the order the requests committed, with no gaps
    listing = coord.get(f"/sessions/{s['id']}/enrolments", params={"status": "waitlisted"}).json()
    assert [e["waitlist_position"] for e in listing] == list(range(1, THREADS - 4))
