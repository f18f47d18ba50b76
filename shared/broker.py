"""Dramatiq on Redis: one namespace per service, a few retries, failed jobs kept.

Each service's worker consumes two queues in its own namespace
(``workforce.<service>``): ``events`` (from other services' relays) and
``jobs`` (from the scheduler). A message that exhausts its retries is stored
in that service's ``failed_job`` table; ``workforce jobs redrive`` sends it
again.
"""
from __future__ import annotations

import logging
import threading
import time
import traceback
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import MAINTENANCE_COMMAND_BLACKLIST, RedisBroker, _RedisConsumer
from dramatiq.common import current_millis
from dramatiq.errors import ConnectionClosed
from dramatiq.message import Message
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Table, insert, select, update

from shared.db import Database

log = logging.getLogger(__name__)

EVENTS_QUEUE = "events"
JOBS_QUEUE = "jobs"
EVENT_ACTOR = "handle_event"
JOB_ACTOR = "run_job"


def namespace(service: str) -> str:
    return f"workforce.{service}"


class FailedJobs(dramatiq.Middleware):
    """Stores a message in ``failed_job`` once Retries has given up on it."""

    def __init__(self, db: Database, table: Table):
        self.db = db
        self.table = table

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is None or not message.failed:
            return
        error = "".join(traceback.format_exception_only(type(exception), exception)).strip()
        with self.db.transaction() as s:
            s.execute(
                insert(self.table).values(
                    message_id=message.message_id,
                    queue_name=message.queue_name,
                    actor_name=message.actor_name,
                    message=_json_safe(message.asdict()),
                    error=error[:4000],
                    failed_at=datetime.now(UTC),
                )
            )
        log.error("message %s failed for good: %s", message.message_id, error)
        if message.actor_name == EVENT_ACTOR:  # settled: kept here for redrive, so the relay need not send it again
            confirm(broker.client, broker.namespace, message.message_id)


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}


def confirmed_key(broker_namespace: str) -> str:
    """The sorted set where a service's worker confirms the events it has settled."""
    return f"{broker_namespace}:confirmed"


def confirm(client: redis.Redis, broker_namespace: str, event_id: str) -> None:
    """Confirm ``event_id`` to its publisher's relay (docs/events.md, "Nothing
    lost"). A failure only logs: the relay sends the event again later, the
    inbox skips the repeat, and that delivery confirms it."""
    try:
        client.zadd(confirmed_key(broker_namespace), {event_id: time.time()})
    except redis.RedisError as exc:
        log.warning("could not confirm event %s: %s", event_id, exc)


class ReliableRedisBroker(RedisBroker):
    """Dramatiq's Redis broker, made whole when Redis stalls or drops a connection.

    Dramatiq's fetch moves messages from the queue into this process's
    unacknowledged set in Redis and returns them in its reply. If the reply is
    lost (the socket timed out while Redis was paused, the connection
    dropped), the messages stay in that set while the process's heartbeat
    stays fresh, so nothing gives them back until the process dies; redis-py's
    silent retry of the fetch hides the loss. Here the client never retries on
    its own; every consumer dramatiq starts (it starts a new one after each
    connection error) first gives back the messages of its unacknowledged set
    that no worker thread holds; and dead processes' messages are requeued
    every few seconds rather than by chance. The heartbeat needs no help: the
    delay queues' consumers fetch at least once a worker timeout (a second)
    however busy the worker threads are, and every command beats for the
    whole process.
    """

    def __init__(self, *, maintenance_every: float = 5.0, **kwargs):
        super().__init__(**kwargs)
        self.maintenance_every = maintenance_every
        self.held: dict[str, set[str]] = defaultdict(set)  # queue -> Redis ids handed to worker threads
        self.held_lock = threading.Lock()
        self._next_maintenance: dict[str, float] = {}

    @property
    def consumer_class(self):
        return ReconcilingConsumer

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000):
        if queue_name.endswith(".DQ"):
            # a delayed message is held only in its consumer thread's delay queue, which
            # dramatiq requeues or drops whenever it restarts the consumer: none is held now
            with self.held_lock:
                self.held[queue_name].clear()
        return super().consume(queue_name, prefetch, timeout)

    def unacked_key(self, queue_name: str) -> str:
        return f"{self.namespace}:__acks__.{self.broker_id}.{queue_name}"

    def _maintenance_due(self, command: str, queue_name: str) -> int:
        """Every ``maintenance_every`` seconds per queue (dramatiq's own is by chance)."""
        if command in MAINTENANCE_COMMAND_BLACKLIST:
            return 0
        now = time.monotonic()
        if now < self._next_maintenance.get(queue_name, 0.0):
            return 0
        self._next_maintenance[queue_name] = now + self.maintenance_every
        return 1

    def _dispatch(self, command):
        # dramatiq's dispatch, with maintenance decided per queue by time
        script, keys = self.scripts["dispatch"], [self.namespace]

        def do_dispatch(queue_name, *args):
            return script(keys=keys, args=[
                command, current_millis(), queue_name, self.broker_id, self.heartbeat_timeout, self.dead_message_ttl,
                self._maintenance_due(command, queue_name), self._max_unpack_size(), *args,
            ])

        return do_dispatch


class ReconcilingConsumer(_RedisConsumer):
    """A consumer that gives back what a lost reply left behind (``ReliableRedisBroker``)."""

    def __init__(self, broker: ReliableRedisBroker, queue_name, prefetch, timeout):
        super().__init__(broker, queue_name, prefetch, timeout)
        self.reconciled = False

    def __next__(self):
        broker: ReliableRedisBroker = self.broker
        try:
            if not self.reconciled:
                self.give_back_orphans()
                self.reconciled = True
            message = super().__next__()
        except redis.RedisError as exc:  # a timeout too, which dramatiq does not treat as a lost connection
            raise ConnectionClosed(exc) from None
        if message is not None:
            with broker.held_lock:
                broker.held[self.queue_name].add(message.options["redis_message_id"])
        return message

    def give_back_orphans(self) -> None:
        broker: ReliableRedisBroker = self.broker
        members = {m.decode() for m in broker.client.smembers(broker.unacked_key(self.queue_name))}
        with broker.held_lock:
            orphans = sorted(members - broker.held[self.queue_name])
        if orphans:
            log.warning("queue %s: %d message(s) fetched but never received (a lost reply) given back",
                        self.queue_name, len(orphans))
            broker.do_requeue(self.queue_name, *orphans)

    def _release(self, messages) -> None:
        broker: ReliableRedisBroker = self.broker
        with broker.held_lock:
            for m in messages:
                broker.held[self.queue_name].discard(m.options["redis_message_id"])

    def ack(self, message):
        try:
            super().ack(message)
        except redis.RedisError as exc:
            raise ConnectionClosed(exc) from None
        self._release([message])  # only once acknowledged: until then it is held, not an orphan

    def nack(self, message):
        try:
            super().nack(message)
        except redis.RedisError as exc:
            raise ConnectionClosed(exc) from None
        self._release([message])

    def requeue(self, messages):
        messages = list(messages)
        try:
            super().requeue(messages)
        except redis.RedisError as exc:
            raise ConnectionClosed(exc) from None
        self._release(messages)


def redis_client(url: str, socket_timeout: float = 5.0, *, retry: bool = True) -> redis.Redis:
    """A client with bounded waits: a hung Redis never holds a caller for ever.
    ``retry=False``: an error surfaces at once instead of a silent second try."""
    return redis.Redis.from_url(
        url, socket_timeout=socket_timeout, socket_connect_timeout=min(socket_timeout, 5.0),
        socket_keepalive=True, **({} if retry else {"retry": Retry(NoBackoff(), 0)}),
    )


def make_broker(
    redis_url: str,
    service: str,
    *,
    max_retries: int = 3,
    failed_jobs: FailedJobs | None = None,
    min_backoff_ms: int = 500,
    socket_timeout: float = 5.0,
    heartbeat_timeout: float = 30.0,
) -> RedisBroker:
    """A Redis broker in the service's namespace, with small retries; see
    ``ReliableRedisBroker`` for what it does when Redis stalls."""
    # "after" hooks run in reverse order: FailedJobs sits before Retries so
    # that it sees the message after Retries has decided to give up.
    middleware: list[dramatiq.Middleware] = [] if failed_jobs is None else [failed_jobs]
    middleware += [
        AgeLimit(),
        TimeLimit(time_limit=10 * 60 * 1000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(max_retries=max_retries, min_backoff=min_backoff_ms, max_backoff=60_000),
    ]
    return ReliableRedisBroker(
        client=redis_client(redis_url, socket_timeout, retry=False), namespace=namespace(service),
        middleware=middleware, heartbeat_timeout=int(heartbeat_timeout * 1000),
        maintenance_every=max(1.0, heartbeat_timeout / 6),
    )


class Sender:
    """Sends event and job messages into each target service's namespace, and
    reads back which events each has confirmed."""

    def __init__(self, redis_url: str, socket_timeout: float = 5.0):
        self.redis_url = redis_url
        self.socket_timeout = socket_timeout
        self._brokers: dict[str, RedisBroker] = {}
        self._lock = threading.Lock()

    def broker(self, service: str) -> RedisBroker:
        with self._lock:
            if service not in self._brokers:
                client = redis_client(self.redis_url, self.socket_timeout)  # a repeat send is harmless
                self._brokers[service] = RedisBroker(client=client, namespace=namespace(service), middleware=[])
            return self._brokers[service]

    def send(self, service: str, queue: str, actor: str, payload: dict, message_id: str) -> None:
        msg = Message(queue_name=queue, actor_name=actor, args=(payload,), kwargs={}, options={}, message_id=message_id)
        self.broker(service).enqueue(msg)

    def confirmed(self, service: str, event_ids: list[str]) -> set[str]:
        """Those of ``event_ids`` that ``service`` has confirmed."""
        if not event_ids:
            return set()
        scores = self.broker(service).client.zmscore(confirmed_key(namespace(service)), event_ids)
        return {e for e, score in zip(event_ids, scores, strict=True) if score is not None}

    def backlog(self, service: str) -> int:
        """Events waiting in ``service``'s queue, not yet fetched by any worker."""
        return int(self.broker(service).client.llen(f"{namespace(service)}:{EVENTS_QUEUE}"))

    def forget(self, service: str, event_ids: list[str], older_than: float) -> None:
        """Drop confirmations the relay has recorded, and any older than ``older_than`` (epoch seconds)."""
        client, key = self.broker(service).client, confirmed_key(namespace(service))
        pipe = client.pipeline(transaction=False)
        if event_ids:
            pipe.zrem(key, *event_ids)
        pipe.zremrangebyscore(key, 0, older_than)
        pipe.execute()

    def close(self) -> None:
        for b in self._brokers.values():
            b.close()
            b.client.close()


def redrive(db: Database, table: Table, sender: Sender, service: str, ids: list[int] | None = None) -> int:
    """Send stored failed messages again (all not yet re-driven, or those ``ids``)."""
    with db.transaction() as s:
        q = select(table).where(table.c.redriven_at.is_(None)).order_by(table.c.id)
        if ids:
            q = q.where(table.c.id.in_(ids))
        rows = s.execute(q).mappings().all()
        for row in rows:
            m = row["message"]
            sender.send(service, m["queue_name"], m["actor_name"], m["args"][0], m["message_id"])
        if rows:
            s.execute(
                update(table)
                .where(table.c.id.in_([r["id"] for r in rows]))
                .values(redriven_at=datetime.now(UTC))
            )
    return len(rows)
