"""``/metrics`` of a service, in the Prometheus text format (prometheus-client).

Each app has its own registry: the request count and latency by route
template and status (told by ``shared.observability.RequestContext``), and,
read from the service's database at scrape time, how far delivery is behind
(outbox, failed jobs, parked events, inbox); from Redis, who holds the
scheduler's lease. The database and Redis figures are read at most once every
``cache_seconds``, so a storm of scrapes costs nothing more.
docs/operations.md lists every metric with its meaning and an alert.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import redis
from litestar import Request, get
from litestar.response import Response
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import Database, Infra, as_utc
from shared.scheduler import LOCK_KEY

log = logging.getLogger(__name__)
disable_created_metrics()  # no ``*_created`` series beside each counter and histogram

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
NOT_COUNTED = frozenset({"/metrics"})


class ServiceMetrics:
    """One service's metrics and the registry ``/metrics`` renders."""

    def __init__(self, service: str, db: Database, infra: Infra, client: redis.Redis | None, *,
                 cache_seconds: float = 5.0, overdue_after: float = 60.0) -> None:
        self.service = service
        self.overdue_after = overdue_after  # WORKFORCE_REDELIVER_AFTER: an unconfirmed event older is overdue
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "workforce_http_requests", "HTTP requests answered, by route template and status.",
            ["service", "method", "route", "status"], registry=self.registry,
        )
        self.duration = Histogram(
            "workforce_http_request_duration_seconds", "Time to answer an HTTP request, by route template.",
            ["service", "method", "route"], registry=self.registry,
        )
        self.delivery = DeliveryCollector(self, db, infra, client, cache_seconds)
        self.registry.register(self.delivery)
        # after the collector that counts into it, so a scrape shows its own errors
        self.errors = Counter(
            "workforce_metrics_errors", "Reads of a source (database, redis) that failed at scrape time.",
            ["service", "source"], registry=self.registry,
        )
        ProcessCollector(registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """A request answered (``shared.observability.ResponseObserver``); ``/metrics`` itself is not counted."""
        if route in NOT_COUNTED:
            return
        method = method if method in METHODS else "other"  # bounded labels
        self.requests.labels(self.service, method, route, str(status)).inc()
        self.duration.labels(self.service, method, route).observe(seconds)

    def render(self, accept: str = "") -> tuple[bytes, str]:
        """The exposition and its content type, as the scraper asked (``Accept``)."""
        encoder, content_type = choose_encoder(accept)
        return encoder(self.registry), content_type


def gauge(name: str, doc: str, service: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=["service"])
    family.add_metric([service], value)
    return family


def age_seconds(oldest: datetime | None, now: datetime) -> float:
    return 0.0 if oldest is None else max(0.0, (now - as_utc(oldest)).total_seconds())


def delivery_figures(session: Session, infra: Infra, service: str, overdue_after: float) -> list[Metric]:
    """What the service's database says of delivery. The outbox figures read
    the unsent and unconfirmed rows by their indexes; the inbox counts scan
    the inbox's event-type index."""
    o, f, p, i = infra.outbox, infra.failed_job, infra.parked_event, infra.inbox
    now = datetime.now(UTC)
    pending, oldest = session.execute(select(func.count(), func.min(o.c.created_at)).where(o.c.sent_at.is_(None))).one()
    unconfirmed, overdue, redeliveries = session.execute(select(
        func.count(),
        func.count().filter(o.c.sent_at <= now - timedelta(seconds=overdue_after)),
        func.coalesce(func.sum(o.c.redeliveries), 0),
    ).where(o.c.confirmed_at.is_(None), o.c.sent_at.is_not(None))).one()
    failed = session.execute(select(func.count()).where(f.c.redriven_at.is_(None))).scalar_one()
    parked, oldest_parked = session.execute(select(func.count(), func.min(p.c.parked_at))).one()
    handled = session.execute(select(i.c.event_type, func.count()).group_by(i.c.event_type)).all()
    inbox = GaugeMetricFamily("workforce_inbox_handled", "Events handled here (inbox rows), by event type; "
                              "event_type=\"job\" counts scheduled jobs run.", labels=["service", "event_type"])
    for event_type, count in handled:
        inbox.add_metric([service, event_type or "job"], count)
    return [
        gauge("workforce_outbox_pending", "Events written but not yet sent by the relay.", service, pending),
        gauge("workforce_outbox_oldest_pending_age_seconds", "Age of the oldest unsent event (0 when none).",
              service, age_seconds(oldest, now)),
        gauge("workforce_outbox_unconfirmed", "Events sent whose confirmation by every subscriber is not yet "
              "recorded (the relay records it after WORKFORCE_REDELIVER_AFTER).", service, unconfirmed),
        gauge("workforce_outbox_unconfirmed_overdue", "Unconfirmed events sent longer ago than "
              "WORKFORCE_REDELIVER_AFTER: a subscriber has not settled them.", service, overdue),
        gauge("workforce_outbox_redeliveries", "Times the relay has sent again the events still unconfirmed.",
              service, redeliveries),
        gauge("workforce_failed_jobs", "Messages that exhausted their retries and are not yet re-driven.",
              service, failed),
        gauge("workforce_parked_events", "Events that came before their predecessors and wait for them.",
              service, parked),
        gauge("workforce_parked_oldest_age_seconds", "Age of the oldest parked event (0 when none).",
              service, age_seconds(oldest_parked, now)),
        inbox,
    ]


def lease_figure(client: redis.Redis) -> Metric:
    """Who holds the scheduler's lease: one series of value 1, or none when nobody does."""
    family = GaugeMetricFamily("workforce_scheduler_lease", "The scheduler instance holding the lease.",
                               labels=["holder"])
    holder = client.get(LOCK_KEY)
    if holder is not None:
        family.add_metric([holder.decode() if isinstance(holder, bytes) else str(holder)], 1)
    return family


class DeliveryCollector(Collector):
    """The figures read at scrape time, kept ``cache_seconds``. A source that
    fails leaves its figures out and counts ``workforce_metrics_errors_total``."""

    def __init__(self, metrics: ServiceMetrics, db: Database, infra: Infra, client: redis.Redis | None,
                 cache_seconds: float) -> None:
        self.metrics, self.db, self.infra, self.client = metrics, db, infra, client
        self.cache_seconds = cache_seconds
        self.lock = threading.Lock()
        self.last: tuple[float, list[Metric]] | None = None

    def describe(self) -> Iterable[Metric]:
        return []  # read only at scrape time

    def collect(self) -> Iterable[Metric]:
        with self.lock:
            if self.last is None or time.monotonic() - self.last[0] >= self.cache_seconds:
                self.last = (time.monotonic(), self.read())
            return list(self.last[1])

    def read(self) -> list[Metric]:
        figures: list[Metric] = []
        try:
            with self.db.read_session() as s:
                figures += delivery_figures(s, self.infra, self.metrics.service, self.metrics.overdue_after)
        except Exception as exc:  # any driver error: those figures are absent this time
            log.warning("metrics: database unreadable: %s", exc.__class__.__name__)
            self.metrics.errors.labels(self.metrics.service, "database").inc()
        if self.client is not None:
            try:
                figures.append(lease_figure(self.client))
            except redis.RedisError as exc:
                log.warning("metrics: redis unreadable: %s", exc.__class__.__name__)
                self.metrics.errors.labels(self.metrics.service, "redis").inc()
        return figures


@get("/metrics", exclude_from_auth=True, sync_to_thread=True, include_in_schema=False)
def metrics_endpoint(request: Request) -> Response[bytes]:
    """The service's metrics in the Prometheus text format (no token, like /health)."""
    metrics: ServiceMetrics = request.app.state.metrics
    body, content_type = metrics.render(request.headers.get("accept", ""))
    return Response(body, headers={"content-type": content_type})
