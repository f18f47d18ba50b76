"""The parts of delivery one at a time, on a real Redis and SQLite (and
PostgreSQL where marked): events numbered per entity, applied in order or kept
until their turn, confirmed and sent again when unconfirmed, and a fetch whose
reply was lost given back by the broker (docs/events.md, "Nothing lost",
"Order per entity")."""
from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import dramatiq
import pytest
import redis as redis_lib
from dramatiq import Worker
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import func, select, update

from deploy import topology
from deploy.services import make_service
from shared.broker import EVENT_ACTOR, EVENTS_QUEUE, Sender, confirm, make_broker, namespace
from shared.events import StepRunCompleted, to_message
from shared.inbox import consume
from shared.observability import request_id_var
from shared.outbox import Relay, publish, publish_many, wait_until
from tests.support.delivery import hired, left
from training_service.actors import event_handlers


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def cfg(request):
    return request.getfixturevalue("settings" if request.param == "sqlite" else "pg_settings")


def outbox_payloads(svc) -> list[dict]:
    o = svc.infra.outbox
    with svc.db.read_session() as s:
        return [r.payload for r in s.execute(select(o.c.payload).order_by(o.c.id))]


def test_publish_numbers_each_entity_s_events_and_stamps_the_request(cfg):
    hr = make_service("hr", cfg)
    token = request_id_var.set("req-42")
    try:
        with hr.db.transaction() as s:
            publish_many(s, hr.infra.outbox, [hired(1), hired(2), left(1)])
        with hr.db.transaction() as s:
            publish(s, hr.infra.outbox, left(2))
    finally:
        request_id_var.reset(token)
    with hr.db.transaction() as s:  # outside a request, and an event of no stream
        publish(s, hr.infra.outbox, StepRunCompleted(run_id=1, jurisdiction="hangzhou", effective_on=hired(1).hired_on,
                                                     assessment_year=2025, supplementary=False, counts={}))
    got = [(p["event"], p.get("worker_id"), p["seq"], p["request_id"]) for p in outbox_payloads(hr)]
    assert got == [("worker.hired", 1, 1, "req-42"), ("worker.hired", 2, 1, "req-42"), ("worker.left", 1, 2, "req-42"),
                   ("worker.left", 2, 2, "req-42"), ("step.run.completed", None, None, None)]
    hr.db.dispose()


@pytest.fixture
def training(cfg):
    svc = make_service("training", cfg)
    handlers = event_handlers(svc)
    yield svc, (lambda event: consume(svc.db, svc.infra.inbox, to_message(event), handlers))
    svc.db.dispose()


def numbered(event, seq: int):
    from msgspec.structs import replace
    return replace(event, seq=seq)


def rows(svc, table: str) -> int:
    t = svc.infra.outbox.metadata.tables[table]
    with svc.db.read_session() as s:
        return s.execute(select(func.count()).select_from(t)).scalar_one()


def status(svc, worker_id: int) -> str | None:
    t = svc.infra.outbox.metadata.tables["roster_worker"]
    with svc.db.read_session() as s:
        return s.execute(select(t.c.status).where(t.c.worker_id == worker_id)).scalar()


def test_a_leave_that_comes_before_its_hire_waits_and_then_applies(training):
    svc, deliver = training
    assert deliver(numbered(left(5), 2)) == 0  # #2 before #1: kept
    assert rows(svc, "parked_event") == 1 and status(svc, 5) is None
    assert deliver(numbered(hired(5), 1)) == 2  # #1, then the kept #2
    assert status(svc, 5) == "left" and rows(svc, "parked_event") == 0
    assert deliver(numbered(hired(5), 1)) == 0  # a late repeat of #1 changes nothing
    assert deliver(numbered(left(5), 2)) == 0
    assert status(svc, 5) == "left"


def test_a_repeat_of_a_kept_event_is_kept_once(training):
    svc, deliver = training
    early = numbered(left(6), 2)
    deliver(early)
    deliver(early)
    assert rows(svc, "parked_event") == 1
    deliver(numbered(hired(6), 1))
    assert status(svc, 6) == "left" and rows(svc, "parked_event") == 0


def test_an_event_without_a_number_is_applied_as_it_comes(training):
    svc, deliver = training
    assert deliver(hired(7)) == 1  # published before events were numbered
    assert rows(svc, "event_stream") == 0 and status(svc, 7) == "active"


# -- confirmation and redelivery ---------------------------------------------------------------

@pytest.fixture
def relay_rig(settings):
    hr = make_service("hr", settings)
    sender = Sender(settings.redis_url)
    relay = Relay(hr.db, hr.infra.outbox, sender, subscribers=topology.subscribers(), redeliver_after=10)
    client = redis_lib.Redis.from_url(settings.redis_url)
    yield hr, relay, client
    client.close()
    sender.close()
    hr.db.dispose()


def queued(client, service: str) -> int:
    return client.llen(f"{namespace(service)}:{EVENTS_QUEUE}")


def outbox_row(hr):
    o = hr.infra.outbox
    with hr.db.read_session() as s:
        return s.execute(select(o.c.sent_at, o.c.confirmed_at, o.c.redeliveries)).one()


def test_an_unconfirmed_event_is_sent_again_to_whoever_has_not_confirmed(relay_rig):
    hr, relay, client = relay_rig
    event = hired(11)
    with hr.db.transaction() as s:
        publish(s, hr.infra.outbox, event)
    assert relay.run_once() == 1
    assert (queued(client, "training"), queued(client, "certs")) == (1, 1)
    sent_at = outbox_row(hr).sent_at
    assert relay.redelivery.run_once(now=datetime.now(UTC)) == (0, 0)  # within the bound: nothing to do
    later = datetime.now(UTC) + timedelta(seconds=11)
    assert relay.redelivery.run_once(now=later) == (0, 0)  # still queued: the consumers are behind, not missing it
    for service in ("training", "certs"):  # both take it; training applies and confirms, certs loses it
        client.delete(f"{namespace(service)}:{EVENTS_QUEUE}")
    confirm(client, namespace("training"), event.event_id)
    assert relay.redelivery.run_once(now=later + timedelta(seconds=5)) == (0, 0)  # asked again one bound later
    again = later + timedelta(seconds=11)
    assert relay.redelivery.run_once(now=again) == (0, 1)
    assert (queued(client, "training"), queued(client, "certs")) == (0, 1)  # sent again to certs only
    client.delete(f"{namespace('certs')}:{EVENTS_QUEUE}")
    row = outbox_row(hr)
    assert row.redeliveries == 1 and row.confirmed_at is None and row.sent_at != sent_at
    assert relay.redelivery.run_once(now=again + timedelta(seconds=11)) == (0, 0)  # the wait has doubled
    confirm(client, namespace("certs"), event.event_id)
    assert relay.redelivery.run_once(now=again + timedelta(seconds=21)) == (1, 0)
    assert outbox_row(hr).confirmed_at is not None
    assert client.zcard(f"{namespace('training')}:confirmed") == 0  # recorded, so forgotten in Redis


def test_an_event_no_one_consumes_is_confirmed_when_sent(relay_rig):
    hr, relay, client = relay_rig
    with hr.db.transaction() as s:
        publish(s, hr.infra.outbox, StepRunCompleted(run_id=1, jurisdiction="hangzhou", effective_on=hired(1).hired_on,
                                                     assessment_year=2025, supplementary=False, counts={}))
    relay.run_once()
    assert outbox_row(hr).confirmed_at is not None


def test_a_consumer_confirms_what_it_applied_skipped_and_kept(settings):
    training = make_service("training", settings)
    handlers = event_handlers(training)
    broker = make_broker(settings.redis_url, "training", max_retries=0)
    from shared.consumer import declare_actors

    declare_actors(broker, training.db, training.infra.inbox, handlers, {})
    applied, repeat, early = hired(12), hired(13), numbered(left(14), 2)
    consume(training.db, training.infra.inbox, to_message(repeat), handlers)  # applied before: the worker skips it
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    sender = Sender(settings.redis_url)
    try:
        ids = [e.event_id for e in (applied, repeat, early)]
        assert sender.confirmed("training", ids) == set()
        for e in (applied, repeat, early):
            sender.send("training", EVENTS_QUEUE, EVENT_ACTOR, to_message(e), e.event_id)
        assert wait_until(lambda: sender.confirmed("training", ids) == set(ids))
        assert status(training, 12) == "active" and rows(training, "parked_event") == 1  # #2 of worker 14 kept
    finally:
        worker.stop(timeout=5000)
        broker.close()
        sender.close()
        training.db.dispose()


# -- a fetch whose reply was lost ---------------------------------------------------------------

def _strand(broker, n: int) -> None:
    """What a lost reply leaves: messages moved into this process's unacknowledged set, never received."""
    got = broker.do_fetch(EVENTS_QUEUE, n)
    assert len(got) == n


@pytest.mark.parametrize("reliable", [True, False], ids=["ours", "dramatiq's"])
def test_messages_of_a_lost_fetch_reply_are_given_back(settings, reliable):
    training = make_service("training", settings)
    if reliable:
        broker = make_broker(settings.redis_url, "training", max_retries=0)
    else:
        broker = RedisBroker(url=settings.redis_url, namespace=namespace("training"), middleware=[])
    from shared.consumer import declare_actors

    declare_actors(broker, training.db, training.infra.inbox, event_handlers(training), {})
    broker.declare_queue(EVENTS_QUEUE)
    sender = Sender(settings.redis_url)
    events = [hired(20 + i) for i in range(3)]
    for e in events:
        sender.send("training", EVENTS_QUEUE, EVENT_ACTOR, to_message(e), e.event_id)
    _strand(broker, 3)
    worker = Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        # dramatiq's own broker leaves them until this process dies (its heartbeat stays fresh)
        arrived = wait_until(lambda: rows(training, "roster_worker") == 3, timeout=5 if reliable else 2)
        assert arrived is reliable
    finally:
        worker.stop(timeout=5000)
        broker.close()
        sender.close()
        training.db.dispose()


def test_a_worker_whose_threads_are_all_busy_keeps_its_heartbeat(settings):
    """Maintenance elsewhere requeues a worker's messages once its heartbeat is
    older than the timeout: busy is not dead (docs/events.md, "Nothing lost")."""
    broker = make_broker(settings.redis_url, "training", max_retries=0, heartbeat_timeout=2.0)
    release = threading.Event()

    @dramatiq.actor(broker=broker, queue_name=EVENTS_QUEUE, actor_name="busy")
    def busy() -> None:
        release.wait(10)

    for _ in range(4):  # more than the one thread and its prefetch
        busy.send()
    worker = Worker(broker, worker_threads=1)  # the deployed worker's timeout
    worker.start()
    client = redis_lib.Redis.from_url(settings.redis_url)
    try:
        ages = []
        end = time.monotonic() + 3.0
        while time.monotonic() < end:
            beat = client.zscore(f"{namespace('training')}:__heartbeats__", broker.broker_id)
            ages.append(time.time() * 1000 - beat if beat else float("inf"))
            time.sleep(0.1)
        assert max(ages) < 2000, f"heartbeat went stale while busy: {max(ages):.0f} ms"
    finally:
        release.set()
        worker.stop(timeout=5000)
        broker.close()
        client.close()


def test_the_cli_lists_kept_events_with_their_stream_position(settings):
    from click.testing import CliRunner

    from deploy.cli import main

    svc = make_service("training", settings)
    handlers = event_handlers(svc)

    def deliver(event):
        return consume(svc.db, svc.infra.inbox, to_message(event), handlers)

    early = numbered(left(8), 3)
    deliver(numbered(hired(8), 1))
    deliver(early)
    env = {"WORKFORCE_DATA_DIR": str(settings.data_dir)}
    out = CliRunner().invoke(main, ["jobs", "parked", "--service", "training"], env=env)
    assert out.exit_code == 0, out.output
    assert f"training\tworker:8\t#3 (applied up to #1)\t{early.event_id}\tkept since" in out.output
    svc.db.dispose()


def test_a_backlog_of_due_rows_is_checked_batch_after_batch(relay_rig):
    hr, relay, client = relay_rig
    relay.redelivery.batch_size = 4
    events = [hired(300 + i) for i in range(10)]
    with hr.db.transaction() as s:
        for e in events:
            publish(s, hr.infra.outbox, e)
    relay.drain()
    for e in events:
        for service in ("training", "certs"):
            confirm(client, namespace(service), e.event_id)
    o = hr.infra.outbox
    with hr.db.transaction() as s:  # as if sent a bound ago
        s.execute(update(o).values(due_at=datetime.now(UTC) - timedelta(seconds=1)))
    relay.redelivery.run_until_done()
    with hr.db.read_session() as s:
        assert s.execute(select(func.count()).where(o.c.confirmed_at.is_(None))).scalar_one() == 0
