"""A delivery flow for fault tests: HR publishes hires, training publishes CPD
credits; their relays send them over a real Redis; training's and certs'
real consumers (deploy.worker.build_worker) apply them. Counting what arrived
says whether anything was lost or applied twice."""
from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import redis as redis_lib
from sqlalchemy import func, select

from deploy import topology
from deploy.services import make_service
from deploy.worker import build_worker
from shared.broker import Sender
from shared.config import Settings
from shared.events import CpdCredited, Event, WorkerHired, WorkerLeft
from shared.outbox import Relay, publish, start_relay_thread, wait_until

JURISDICTION = "hangzhou.gongshu"
HOURS = Decimal("3")


def hired(worker_id: int, community: str = "GS001") -> WorkerHired:
    return WorkerHired(worker_id=worker_id, name=f"工作者{worker_id}", post="委员", grade=1, community_code=community,
                       jurisdiction=JURISDICTION, hired_on=date(2026, 3, 1))


def left(worker_id: int) -> WorkerLeft:
    return WorkerLeft(worker_id=worker_id, jurisdiction=JURISDICTION, left_on=date(2026, 3, 2), reason="辞职")


def credited(worker_id: int) -> CpdCredited:
    return CpdCredited(worker_id=worker_id, jurisdiction=JURISDICTION, hours=HOURS, credited_on=date(2026, 3, 5))


class Flow:
    """Relays of hr and training, consumers of training and certs, in this process."""

    def __init__(self, settings: Settings, redis_url: str, *, threads: int = 4, redeliver_after: float = 600.0,
                 socket_timeout: float = 1.0, heartbeat: float = 3.0):
        self.settings = settings.with_(
            redis_url=redis_url, redis_socket_timeout_seconds=socket_timeout, heartbeat_timeout_seconds=heartbeat,
            redeliver_after_seconds=redeliver_after, max_retries=30,
        )
        self.redis_url = redis_url
        self.threads = threads
        self.publishers = {name: make_service(name, self.settings) for name in ("hr", "training")}
        self.relays: list[tuple[Relay, threading.Thread]] = []
        self.consumers: list = []
        self.others: dict = {}  # services read here that this process neither publishes for nor consumes as

    def start_relays(self) -> None:
        for svc in self.publishers.values():
            relay = Relay(svc.db, svc.infra.outbox, Sender(self.redis_url, self.settings.redis_socket_timeout_seconds),
                          subscribers=topology.subscribers(), redeliver_after=self.settings.redeliver_after_seconds)
            self.relays.append((relay, start_relay_thread(relay, 0.05)))

    def start_consumers(self) -> None:
        for name in ("training", "certs"):
            svc, broker, worker, _relay = build_worker(name, self.settings, threads=self.threads)
            worker.start()
            self.consumers.append((svc, broker, worker))

    def publish(self, service: str, *events: Event) -> None:
        svc = self.publishers[service]
        with svc.db.transaction() as s:
            for e in events:
                publish(s, svc.infra.outbox, e)

    def count(self, service: str, table: str, **where) -> int:
        svc = self.service(service)
        t = svc.infra.outbox.metadata.tables[table]
        q = select(func.count()).select_from(t)
        for column, value in where.items():
            q = q.where(t.c[column] == value)
        with svc.db.read_session() as s:
            return s.execute(q).scalar_one()

    def statuses(self, service: str, table: str) -> dict[int, str]:
        t = self.service(service).infra.outbox.metadata.tables[table]
        with self.service(service).db.read_session() as s:
            return dict(s.execute(select(t.c.worker_id, t.c.status)).all())

    def service(self, name: str):
        for svc, _b, _w in self.consumers:
            if svc.name == name:
                return svc
        if name not in self.publishers and name not in self.others:
            self.others[name] = make_service(name, self.settings)  # one engine, however often it is polled
        return self.publishers.get(name) or self.others[name]

    def unsent(self) -> int:
        return sum(Relay(s.db, s.infra.outbox, None, subscribers={}).pending() for s in self.publishers.values())

    def stranded(self) -> int:
        """Messages fetched into some consumer's unacknowledged set and still there."""
        client = redis_lib.Redis.from_url(self.redis_url)
        try:
            return sum(client.scard(k) for k in client.scan_iter("workforce.*:__acks__.*"))
        finally:
            client.close()

    def arrived(self, n_hires: int, n_credits: int, timeout: float) -> bool:
        def complete() -> bool:
            return (self.count("training", "roster_worker") >= n_hires
                    and self.count("certs", "profile") >= n_hires
                    and self.count("certs", "cpd_credit") >= n_credits)
        return wait_until(complete, timeout=timeout, step=0.2)

    def close(self) -> None:
        for relay, thread in self.relays:
            relay.stop()
            thread.join(5)
        for svc, broker, worker in self.consumers:
            worker.stop(timeout=5000)
            broker.close()
            svc.db.dispose()
        for svc in [*self.publishers.values(), *self.others.values()]:
            svc.db.dispose()
