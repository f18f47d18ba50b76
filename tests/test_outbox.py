"""The outbox, relay, broker and inbox together, on a real Redis server and on
SQLite and PostgreSQL: nothing lost, nothing counted twice."""
from __future__ import annotations

import threading
from datetime import date

import pytest
import redis as redis_lib
from dramatiq import Worker
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from deploy import topology
from deploy.redis_server import RedisServer
from deploy.services import make_service
from shared.broker import FailedJobs, Sender, make_broker, namespace, redrive
from shared.consumer import declare_actors
from shared.events import WorkerHired, to_message
from shared.inbox import consume
from shared.outbox import Relay, publish, wait_until

probe_meta = MetaData()
effect = Table(
    "probe_effect", probe_meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def cfg(request):
    return request.getfixturevalue("settings" if request.param == "sqlite" else "pg_settings")


def hired(n: int) -> WorkerHired:
    return WorkerHired(worker_id=n, name=f"w{n}", post="委员", grade=1, community_code="C1",
                       jurisdiction="hangzhou.gongshu", hired_on=date(2026, 3, 1))


class Pipeline:
    """HR publishes; the training service consumes with a probe handler that
    writes one row per event it handles."""

    def __init__(self, settings, redis_url: str | None = None):
        self.redis_url = redis_url or settings.redis_url
        self.hr = make_service("hr", settings)
        self.training = make_service("training", settings)
        probe_meta.create_all(self.training.db.engine)
        self.sender = Sender(self.redis_url)
        self.worker: Worker | None = None
        self.fail_times = 0

    def relay(self, **kw) -> Relay:
        return Relay(self.hr.db, self.hr.infra.outbox, self.sender, subscribers=topology.subscribers(), **kw)

    def publish(self, event, *, then_fail: bool = False) -> None:
        with self.hr.db.transaction() as s:
            publish(s, self.hr.infra.outbox, event)
            if then_fail:
                raise RuntimeError("the change failed after publishing")

    def start_consumer(self) -> None:
        self.broker = make_broker(
            self.redis_url, "training", max_retries=1, min_backoff_ms=10,
            failed_jobs=FailedJobs(self.training.db, self.training.infra.failed_job),
        )

        def probe(session, event):
            if self.fail_times:
                self.fail_times -= 1
                raise RuntimeError("handler failed")
            session.execute(insert(effect).values(event_id=event.event_id))

        declare_actors(self.broker, self.training.db, self.training.infra.inbox, {"worker.hired": [probe]}, {})
        self.worker = Worker(self.broker, worker_threads=2, worker_timeout=100)
        self.worker.start()

    def effects(self, event_id: str | None = None) -> int:
        q = select(func.count()).select_from(effect)
        if event_id:
            q = q.where(effect.c.event_id == event_id)
        with self.training.db.read_session() as s:
            return s.execute(q).scalar_one()

    def unsent(self) -> int:
        o = self.hr.infra.outbox
        with self.hr.db.read_session() as s:
            return s.execute(select(func.count()).select_from(o).where(o.c.sent_at.is_(None))).scalar_one()

    def idle(self) -> None:
        self.broker.join("events", timeout=10_000)
        self.worker.join()

    def close(self) -> None:
        if self.worker:
            self.worker.stop(timeout=5000)
            self.broker.close()
        self.sender.close()
        self.hr.db.dispose()
        self.training.db.dispose()


@pytest.fixture
def pipeline(cfg):
    p = Pipeline(cfg)
    yield p
    p.close()


def test_event_in_rolled_back_transaction_is_never_delivered(pipeline):
    lost, kept = hired(1), hired(2)
    with pytest.raises(RuntimeError):
        pipeline.publish(lost, then_fail=True)
    pipeline.publish(kept)
    pipeline.start_consumer()
    assert pipeline.relay().drain() == 1
    assert wait_until(lambda: pipeline.effects(kept.event_id) == 1)
    pipeline.idle()
    assert pipeline.effects(lost.event_id) == 0
    assert pipeline.effects() == 1


def test_committed_event_delivered_twice_has_its_effect_once(pipeline):
    event = hired(3)
    pipeline.publish(event)
    pipeline.start_consumer()
    assert pipeline.relay().drain() == 1
    assert wait_until(lambda: pipeline.effects(event.event_id) == 1)
    # the same message again, as a broker redelivery would bring it
    pipeline.sender.send("training", "events", "handle_event", to_message(event), event.event_id)
    pipeline.idle()
    assert pipeline.effects(event.event_id) == 1
    inbox = pipeline.training.infra.inbox
    with pipeline.training.db.read_session() as s:
        assert s.execute(select(func.count()).select_from(inbox)).scalar_one() == 1


def test_relay_killed_between_send_and_mark_still_one_effect(pipeline):
    event = hired(4)
    pipeline.publish(event)

    class Killed(BaseException):
        pass

    def die(_ids):
        raise Killed()

    with pytest.raises(Killed):
        pipeline.relay(after_send=die).run_once()
    assert pipeline.unsent() == 1  # sent, but never marked
    pipeline.start_consumer()
    assert pipeline.relay().drain() == 1  # a fresh relay sends it again
    assert wait_until(lambda: pipeline.effects(event.event_id) >= 1)
    pipeline.idle()
    assert pipeline.effects(event.event_id) == 1
    assert pipeline.unsent() == 0


def test_inbox_skips_a_repeat_in_process(pipeline):
    event = hired(5)
    calls = []
    handlers = {"worker.hired": [lambda s, e: calls.append(e.event_id)]}
    db, inbox = pipeline.training.db, pipeline.training.infra.inbox
    assert consume(db, inbox, to_message(event), handlers) == 1
    assert consume(db, inbox, to_message(event), handlers) == 0
    assert calls == [event.event_id]


def test_failed_message_is_stored_and_redriven(pipeline):
    event = hired(6)
    pipeline.fail_times = 2  # the first try and its one retry fail
    pipeline.publish(event)
    pipeline.start_consumer()
    pipeline.relay().drain()
    failed = pipeline.training.infra.failed_job

    def stored() -> int:
        with pipeline.training.db.read_session() as s:
            return s.execute(select(func.count()).select_from(failed)).scalar_one()

    assert wait_until(lambda: stored() == 1, 15)
    assert pipeline.effects(event.event_id) == 0
    assert redrive(pipeline.training.db, failed, pipeline.sender, "training") == 1
    assert wait_until(lambda: pipeline.effects(event.event_id) == 1)
    assert redrive(pipeline.training.db, failed, pipeline.sender, "training") == 0  # already re-driven


def test_redis_down_events_wait_in_outbox_and_arrive_after(cfg, tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    p = Pipeline(cfg, redis_url=server.url)
    relay = p.relay()
    thread = threading.Thread(target=relay.run_forever, args=(0.05,), daemon=True)
    try:
        server.stop()
        thread.start()
        events = [hired(100 + i) for i in range(5)]
        for e in events:  # the service keeps writing while Redis is away
            p.publish(e)
        assert not wait_until(lambda: p.unsent() == 0, timeout=1.0)
        assert p.unsent() == 5
        o = p.hr.infra.outbox
        with p.hr.db.read_session() as s:
            assert s.execute(select(func.max(o.c.attempts))).scalar_one() >= 1
        server.start()  # same port, same data dir
        assert wait_until(lambda: p.unsent() == 0, timeout=15)
        p.start_consumer()
        assert wait_until(lambda: p.effects() == 5, timeout=15)
        assert all(p.effects(e.event_id) == 1 for e in events)
    finally:
        relay.stop()
        thread.join(5)
        p.close()
        server.stop()


def test_namespaces_are_per_service(settings):
    assert namespace("hr") != namespace("certs")
    client = redis_lib.Redis.from_url(settings.redis_url)
    sender = Sender(settings.redis_url)
    sender.send("certs", "events", "handle_event", to_message(hired(7)), "m-1")
    keys = {k.decode() for k in client.keys("*")}
    assert any(k.startswith("workforce.certs") for k in keys)
    assert not any(k.startswith("workforce.training") for k in keys)
    sender.close()
    client.close()
