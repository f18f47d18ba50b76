"""The scale-out topology of docs/events.md ("Scaling out"), run for real.

PostgreSQL (one database per service) and Redis as their own processes; per
service two API processes and two workers (each a consumer and a relay); two
schedulers on one lease. A flow of hires, transfers and completed sessions
goes through both API processes of each service while one training worker,
one HR worker and the scheduler holding the lease are killed with SIGKILL.
Afterwards every effect is found exactly once and each scheduled job ran once
for its period.

Run it with ``bin/test -m scaleout``.
"""
from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import redis
from sqlalchemy import create_engine, func, select, text

from deploy import topology
from deploy.redis_server import RedisServer, free_port
from deploy.services import app_factory, prepare
from deploy.topology import SERVICES
from shared.broker import EVENTS_QUEUE, JOBS_QUEUE, namespace
from shared.scheduler import LOCK_KEY
from shared.web import today
from tests.e2e.steps_world import GONGSHU, World, ok, years_before
from tests.hr_recruitment.helpers import id_number_for
from tests.support.api import Api, login
from tests.support.servers import create_database

pytestmark = [pytest.mark.scaleout, pytest.mark.postgres]

ADMIN_PASSWORD = "admin-pass-1"
HEARTBEAT_TIMEOUT = 5  # WORKFORCE_HEARTBEAT_TIMEOUT: a killed consumer's messages go to another after this
REDELIVER_AFTER = 10  # WORKFORCE_REDELIVER_AFTER: a relay sends again what no subscriber confirmed
STARTUP = 120.0  # seconds for sixteen processes to answer on two cores
RECOVERY = 75.0  # seconds after the kills within which every effect must be there
LEASE_TAKEOVER = 45.0  # the lease (30 s) expires, then the standby's next tick (10 s) takes it
HIRES_PER_WAVE = 5
CPD_HOURS = "6"
FIRST_COMMUNITY, SECOND_COMMUNITY = "GS-SO-1", "GS-SO-2"


@dataclass
class Child:
    name: str
    proc: subprocess.Popen
    log: Path


@dataclass
class Topology:
    """The processes of the scale-out, each logging to its own file."""

    env: dict[str, str]
    logs: Path
    children: dict[str, Child] = field(default_factory=dict)
    killed: set[str] = field(default_factory=set)
    api_ports: dict[str, list[int]] = field(default_factory=dict)

    def spawn(self, name: str, args: list[str]) -> None:
        log = self.logs / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, *args], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.children[name] = Child(name, proc, log)

    def start_apis(self) -> None:
        for svc in SERVICES:
            self.api_ports[svc] = [free_port(), free_port()]
            for n, port in enumerate(self.api_ports[svc], 1):
                self.spawn(f"{svc}-api-{n}", ["-m", "uvicorn", "--factory", app_factory(svc), "--host", "127.0.0.1",
                                              "--port", str(port), "--no-access-log"])

    def start_worker(self, svc: str, n: int) -> None:
        self.spawn(f"{svc}-worker-{n}", ["-m", "deploy.worker", svc])

    def start_scheduler(self, n: int) -> None:
        self.spawn(f"scheduler-{n}", ["-m", "deploy.scheduler"])

    def urls(self, svc: str) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.api_ports[svc]]

    def wait_healthy(self, timeout: float = STARTUP) -> None:
        pending = {url for svc in SERVICES for url in self.urls(svc)}
        end = time.monotonic() + timeout
        while pending:
            self.check_alive()
            for url in list(pending):
                try:
                    if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                        pending.discard(url)
                except httpx.HTTPError:
                    pass
            if time.monotonic() > end:
                raise AssertionError(f"not healthy within {timeout:.0f}s: {sorted(pending)}\n{self.tails()}")
            time.sleep(0.5)

    def check_alive(self) -> None:
        """Every process the test has not killed still runs."""
        dead = {c.name: c.proc.returncode for c in self.children.values()
                if c.name not in self.killed and c.proc.poll() is not None}
        assert not dead, f"processes exited: {dead}\n{self.tails()}"

    def kill(self, name: str) -> None:
        """SIGKILL: no handler runs, nothing is acknowledged or released."""
        proc = self.children[name].proc
        proc.send_signal(signal.SIGKILL)
        self.killed.add(name)
        assert proc.wait(10) == -signal.SIGKILL

    def pause(self, name: str) -> None:
        self.children[name].proc.send_signal(signal.SIGSTOP)

    def resume(self, name: str) -> None:
        self.children[name].proc.send_signal(signal.SIGCONT)

    def log_of(self, name: str) -> str:
        return self.children[name].log.read_text(errors="replace")

    def tails(self, lines: int = 15) -> str:
        return "\n".join(f"--- {c.name} ---\n" + "\n".join(self.log_of(c.name).splitlines()[-lines:])
                         for c in self.children.values())

    def stop(self) -> None:
        live = [c.proc for c in self.children.values() if c.proc.poll() is None]
        for p in live:
            p.send_signal(signal.SIGCONT)
            p.send_signal(signal.SIGTERM)
        for p in live:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


class RoundRobin:
    """The API processes of one service behind one client: each request goes
    to the next process, and each process's share is counted."""

    def __init__(self, urls: list[str]):
        self.clients = [httpx.Client(base_url=u, timeout=30) for u in urls]
        self.turn = itertools.count()
        self.served = [0] * len(urls)

    def request(self, method: str, path: str, **kw) -> httpx.Response:
        n = next(self.turn) % len(self.clients)
        self.served[n] += 1
        return self.clients[n].request(method, path, **kw)

    def get(self, path: str, **kw) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> httpx.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw) -> httpx.Response:
        return self.request("PUT", path, **kw)

    def close(self) -> None:
        for c in self.clients:
            c.close()


@dataclass
class Live:
    """What tests/e2e/steps_world.World drives: here, both API processes of each service."""

    settings: Any
    clients: dict[str, RoundRobin]
    admin_token: str

    def api(self, service: str, token: str | None) -> Api:
        return Api(self.clients[service], token)


@dataclass
class Run:
    """The running topology, the actors driving it, and what the test knows of its processes."""

    topo: Topology
    world: World
    first_lease: bytes  # the lease value of scheduler-1
    training_1: str  # the broker id of training-worker-1


@pytest.fixture
def scaleout(tmp_path, pg_server_url):
    databases = {f"WORKFORCE_{svc.upper()}_DB_URL": create_database(pg_server_url, svc) for svc in SERVICES}
    redis_server = RedisServer(tmp_path / "redis", appendonly=False).start()
    env = {
        **os.environ, **databases, "WORKFORCE_DATA_DIR": str(tmp_path / "data"), "REDIS_URL": redis_server.url,
        "WORKFORCE_ADMIN_PASSWORD": ADMIN_PASSWORD, "WORKFORCE_FAST_PASSWORD_HASHING": "1",
        "WORKFORCE_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT), "WORKFORCE_REDELIVER_AFTER": str(REDELIVER_AFTER),
    }
    settings = topology.settings(env)
    (tmp_path / "logs").mkdir()
    topo = Topology(env, tmp_path / "logs")
    clients: dict[str, RoundRobin] = {}
    probe = redis.Redis.from_url(redis_server.url)
    try:
        prepare(settings)  # keys, migrations, seeds and the admin, as `workforce migrate`
        # the first scheduler and the first training worker alone, so that the test knows
        # which scheduler holds the lease and which broker id is that worker's
        topo.start_scheduler(1)
        topo.start_worker("training", 1)
        first_lease = within(STARTUP, "the first scheduler holds the lease", lambda: lease_holder(probe), topo)
        [training_1] = within(STARTUP, "the first training worker beats", lambda: consumers(probe, "training"), topo)
        topo.start_apis()
        for svc, n in itertools.product(SERVICES, (1, 2)):
            if (svc, n) != ("training", 1):
                topo.start_worker(svc, n)
        topo.start_scheduler(2)
        topo.wait_healthy()
        clients = {svc: RoundRobin(topo.urls(svc)) for svc in SERVICES}
        world = World(Live(settings, clients, login(clients["hr"], "admin", ADMIN_PASSWORD)))
        yield Run(topo, world, first_lease, training_1)
        world.close()
    finally:
        probe.close()
        for c in clients.values():
            c.close()
        topo.stop()
        redis_server.stop()


def within(seconds: float, what: str, check: Callable[[], Any], topo: Topology) -> Any:
    """Poll ``check()`` until it returns a truthy value; fail naming ``what`` and the processes' last lines."""
    end = time.monotonic() + seconds
    while True:
        topo.check_alive()
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"not within {seconds:.0f}s: {what}\n{topo.tails()}")
        time.sleep(0.25)


def count_rows(world: World, service: str, table: str, *where) -> int:
    db, infra = world.db(service)
    with db.read_session() as s:
        return s.execute(select(func.count()).select_from(getattr(infra, table)).where(*where)).scalar_one()


def lease_holder(client: redis.Redis) -> bytes | None:
    value = client.get(LOCK_KEY)
    assert value is None or isinstance(value, bytes)
    return value


def consumers(client: redis.Redis, service: str) -> list[str]:
    """The broker ids of the service's live consumers (Dramatiq's heartbeats)."""
    members = cast(list[bytes], client.zrange(f"{namespace(service)}:__heartbeats__", 0, -1))
    return [m.decode() for m in members]


def unacknowledged(client: redis.Redis, service: str, broker_id: str, queue: str) -> int:
    """How many messages of ``queue`` the consumer ``broker_id`` has fetched and not yet acknowledged."""
    return client.scard(f"{namespace(service)}:__acks__.{broker_id}.{queue}")


@contextmanager
def roster_rows_locked(url: str, worker_ids: list[int]):
    """A transaction of the test's own holding training's roster rows of ``worker_ids``:
    a handler writing one of them waits until it ends."""
    engine = create_engine(url)
    try:
        with engine.begin() as c:
            c.execute(text("SELECT worker_id FROM roster_worker WHERE worker_id = ANY(:ids) FOR UPDATE"),
                      {"ids": worker_ids})
            yield
    finally:
        engine.dispose()


def hire(world: World, name: str, community: str) -> str:
    """A worker put on HR's rolls in ``community`` (HR publishes worker.hired)."""
    idn = id_number_for("1985-06-01")
    w = ok(world.hr.api.post("/workers", json={
        "name": name, "id_number": idn, "jurisdiction": GONGSHU, "community_code": community, "post": "委员",
        "grade": 1, "hired_on": years_before(world.today, 6).isoformat()}))
    world.workers[name], world.id_numbers[name] = w["id"], idn
    return name


def transfer(world: World, name: str, community: str) -> None:
    ok(world.hr.api.post(f"/workers/{world.workers[name]}/transfers", json={
        "community_code": community, "effective_on": world.day(-1).isoformat(), "reason": "街道调整"}))


def hire_while_relay_dies(run: Run) -> tuple[list[str], list[str]]:
    """Two waves of hires. The first with hr-worker-2 paused, so hr-worker-1's relay alone
    sends them; it is killed as the last hire returns, and so is the scheduler holding the lease."""
    topo, world = run.topo, run.world
    for code in (FIRST_COMMUNITY, SECOND_COMMUNITY):
        world.hr.ok(world.hr.community(code, 4000))
    topo.pause("hr-worker-2")
    first = [hire(world, f"扩展甲{i}", FIRST_COMMUNITY) for i in range(HIRES_PER_WAVE)]
    topo.kill("hr-worker-1")
    topo.resume("hr-worker-2")
    topo.kill("scheduler-1")
    second = [hire(world, f"扩展乙{i}", FIRST_COMMUNITY) for i in range(HIRES_PER_WAVE)]
    return first, second


def seat_and_attend(run: Run, hired: list[str]) -> dict:
    """A past accredited session of training, every hire seated once training knows them, all present."""
    world = run.world
    programme = world.programme(title="社区工作者继续教育（扩展）", hours="8", cpd_accredited=True, cpd_hours=CPD_HOURS)
    session = world.session(programme["id"], world.day(-3))
    within(RECOVERY, "every hire on training's roster", lambda: all(world.roster_entry(n) for n in hired), run.topo)
    for name in hired:
        assert ok(world.training.post(f"/sessions/{session['id']}/enrolments",
                                      json={"worker_id": world.workers[name]}))["status"] == "enrolled"
    ok(world.training.post(f"/sessions/{session['id']}/attendance", json={
        "day": session["days"][0], "records": [{"worker_id": world.workers[n], "present": True} for n in hired]}))
    return session


def transfer_while_consumer_dies(run: Run, movers: list[str]) -> int:
    """The movers go to the second community while training's rows for them are locked and
    training-worker-2 is paused: training-worker-1 fetches every worker.changed, its threads
    wait on the locks, and it is killed holding them. Returns how many it held."""
    topo, world = run.topo, run.world
    with roster_rows_locked(world.live.settings.database_urls["training"], [world.workers[n] for n in movers]):
        topo.pause("training-worker-2")
        for name in movers:
            transfer(world, name, SECOND_COMMUNITY)
        held = within(RECOVERY, "training-worker-1 holds every transfer", lambda: (
            n if (n := unacknowledged(world.redis, "training", run.training_1, EVENTS_QUEUE)) >= len(movers) else 0),
            topo)
        topo.kill("training-worker-1")
    topo.resume("training-worker-2")
    return held


def assert_every_effect_once(run: Run, first: list[str], second: list[str]) -> None:
    topo, world, hired = run.topo, run.world, first + second
    community = {n: SECOND_COMMUNITY if n in first else FIRST_COMMUNITY for n in hired}
    within(RECOVERY, "every hire in certs' profiles, the transfers applied", lambda: all(
        (p := world.profile(n)) and p["community_code"] == community[n] for n in hired), topo)
    within(RECOVERY, "every hire on training's roster, the transfers applied", lambda: all(
        (e := world.roster_entry(n)) and e["community_code"] == community[n] for n in hired), topo)
    within(RECOVERY, "each completion's CPD hours in certs", lambda: all(world.cpd_ledger(n) for n in hired), topo)
    within(RECOVERY, "every outbox row sent", lambda: sum(
        count_rows(world, s, "outbox", world.db(s)[1].outbox.c.sent_at.is_(None)) for s in SERVICES) == 0, topo)

    roster = ok(world.training.get("/roster/", params={"jurisdiction": GONGSHU, "limit": 1}))
    profiles = ok(world.certs.get("/profiles/", params={"jurisdiction": GONGSHU, "limit": 1}))
    assert (roster["total"], profiles["total"]) == (len(hired), len(hired))
    for name in hired:
        [credit] = world.cpd_ledger(name)
        assert Decimal(credit["hours"]) == Decimal(CPD_HOURS), credit
        ledger = ok(world.training.get(f"/workers/{world.workers[name]}/ledger"))
        assert Decimal(ledger["total_cpd_hours"]) == Decimal(CPD_HOURS), ledger
    inbox = {s: world.db(s)[1].inbox for s in SERVICES}
    hires = world.outbox("hr", "worker.hired")
    changes = world.outbox("hr", "worker.changed")
    credits = world.outbox("training", "cpd.credited")
    assert (len(hires), len(changes), len(credits)) == (len(hired), len(first), len(hired))
    for svc, events in (("training", hires + changes), ("certs", hires + changes + credits)):
        for event_id, _ in events:
            assert count_rows(world, svc, "inbox", inbox[svc].c.event_id == event_id) == 1, (svc, event_id)
    for svc in SERVICES:
        assert count_rows(world, svc, "failed_job") == 0, f"{svc} stored failed jobs"


def assert_job_ran_once(run: Run, job_key: str) -> None:
    """The standby took the lease and, in that same tick, sent the day's job again: it ran once."""
    topo, world = run.topo, run.world
    within(LEASE_TAKEOVER, "the standby scheduler holds the lease",
           lambda: (h := lease_holder(world.redis)) is not None and h != run.first_lease, topo)
    within(RECOVERY, "certs took the day's job off its queue",
           lambda: not world.pending("certs", JOBS_QUEUE, job_key), topo)
    inbox = world.db("certs")[1].inbox
    assert count_rows(world, "certs", "inbox", inbox.c.event_id == job_key) == 1


def test_the_scaleout_topology_loses_nothing_and_counts_nothing_twice(scaleout):
    run, started = scaleout, time.monotonic()
    job_key = f"job:registration_check:{today().isoformat()}"

    first, second = hire_while_relay_dies(run)
    session = seat_and_attend(run, first + second)
    held = transfer_while_consumer_dies(run, first)
    killed_at = time.monotonic()
    closed = ok(run.world.training.post(f"/sessions/{session['id']}/close"))
    assert (closed["completed"], closed["not_completed"]) == (len(first + second), 0), closed

    assert_every_effect_once(run, first, second)
    recovered = time.monotonic() - killed_at
    assert_job_ran_once(run, job_key)

    # both API processes of each service served the flow; only the killed processes are gone
    for svc, client in run.world.live.clients.items():
        assert min(client.served) > 0, (svc, client.served)
    assert run.topo.killed == {"hr-worker-1", "training-worker-1", "scheduler-1"}
    run.topo.check_alive()
    print(f"\nscale-out: {time.monotonic() - started:.0f}s of flow and checks; the killed training worker held "
          f"{held} messages; every effect there {recovered:.0f}s after it died")
