"""What an operator sees (docs/operations.md): request ids, structured log
lines, ``/metrics`` in the Prometheus text format, liveness and readiness,
against the real apps, SQLite files and a real Redis server."""
from __future__ import annotations

import io
import json
import logging
import re
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis as redis_lib
from dramatiq.broker import MessageProxy
from dramatiq.message import Message
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import event, insert, select, update

from deploy import topology
from shared.broker import JOB_ACTOR, JOBS_QUEUE, FailedJobs, Sender, redrive
from shared.inbox import consume
from shared.observability import bound_event, configure_logging
from shared.outbox import Relay
from shared.scheduler import Scheduler
from tests.hr.helpers import GONGSHU, id_number

# --- helpers ---------------------------------------------------------------------------------------


def scrape(api, accept: str | None = None) -> dict[tuple[str, frozenset], float]:
    """Every sample of ``/metrics``, parsed by prometheus-client's own parser."""
    r = api.client.get("/metrics", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


def value(samples, name: str, **labels) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def fresh_metrics(api) -> None:
    """The database figures are cached a few seconds; the tests read them at once."""
    api.client.app.state.metrics.delivery.cache_seconds = 0


def service(api):
    return api.client.app.state.service


def hire(suite, request_id: str | None = None) -> dict:
    headers = {"X-Request-ID": request_id} if request_id else {}
    r = suite.hr.as_(suite.admin_token).post("/workers", headers=headers, json={
        "name": "王芳", "id_number": id_number(), "jurisdiction": GONGSHU, "post": "委员",
        "hired_on": "2024-03-01"})
    assert r.status_code == 201, r.text
    return r.json()


def outbox_payloads(api, event_type: str) -> list[dict]:
    svc = service(api)
    o = svc.infra.outbox
    with svc.db.read_session() as s:
        return list(s.execute(select(o.c.payload).where(o.c.event_type == event_type).order_by(o.c.id)).scalars())


def closed_port() -> int:
    """A local port nobody listens on: connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LogLines:
    """This process's log lines as JSON, captured from the handler configure_logging installs."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        configure_logging("tests", stream=self.buffer, json=True)

    def __call__(self) -> list[dict]:
        return [json.loads(line) for line in self.buffer.getvalue().splitlines() if line.strip()]


@pytest.fixture
def logs(suite):
    """After the apps are built (each configures logging), capture the lines."""
    yield LogLines()
    configure_logging("tests")


# --- request ids -----------------------------------------------------------------------------------


def test_a_request_without_an_id_is_given_one_and_told_it(suite):
    first = suite.hr.client.get("/health/live")
    second = suite.hr.client.get("/health/live")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


def test_a_sane_request_id_is_kept(suite):
    given = "checkout-7.A_b-" + "x" * 49  # 64 characters
    r = suite.training.client.get("/health/live", headers={"X-Request-ID": given})
    assert r.headers["x-request-id"] == given
    r = suite.training.client.get("/no/such/page", headers={"X-Request-ID": "abc"})
    assert r.status_code == 404 and r.headers["x-request-id"] == "abc"


@pytest.mark.parametrize("unsafe", ["has space", "x" * 65, "semi;colon", "new\tline", "quote\"", ""])
def test_an_unsafe_request_id_is_replaced(suite, unsafe):
    r = suite.certs.client.get("/health/live", headers={"X-Request-ID": unsafe})
    assert r.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])


# --- log lines -------------------------------------------------------------------------------------


def test_a_request_log_line_is_json_with_its_request_id(suite, logs):
    r = suite.hr.as_(suite.admin_token).get("/workers", headers={"X-Request-ID": "req-42"})
    assert r.status_code == 200
    line = next(rec for rec in logs() if rec.get("request_id") == "req-42")
    assert line["logger"] == "shared.request" and line["level"] == "info" and line["process"] == "tests"
    assert line["method"] == "GET" and line["route"] == "/workers" and line["status"] == 200
    assert line["duration_ms"] >= 0
    assert datetime.fromisoformat(line["timestamp"]).tzinfo is not None
    assert "event_id" not in line  # only the ids that are set


def test_probe_and_scrape_lines_are_debug(suite, logs):
    for path in ("/health/live", "/health/ready", "/metrics"):
        assert suite.hr.client.get(path, headers={"X-Request-ID": "probe-1"}).status_code == 200
    assert not [rec for rec in logs() if rec.get("request_id") == "probe-1"]  # at INFO, none is written
    logging.getLogger().setLevel(logging.DEBUG)
    suite.hr.client.get("/health/live", headers={"X-Request-ID": "probe-2"})
    [line] = [rec for rec in logs() if rec.get("request_id") == "probe-2" and rec["logger"] == "shared.request"]
    assert (line["level"], line["route"], line["status"]) == ("debug", "/health/live", 200)


def test_every_stdlib_line_carries_the_ids_of_its_context():
    out = io.StringIO()
    configure_logging("scheduler", stream=out, json=True)
    try:
        logging.getLogger("dramatiq.worker").warning("outside")
        with bound_event("e-1", "worker.hired", "r-1"):
            logging.getLogger("shared.inbox").info("applying %s", "it")
    finally:
        configure_logging("tests")
    outside, inside = (json.loads(line) for line in out.getvalue().splitlines())
    assert outside["event"] == "outside" and outside["logger"] == "dramatiq.worker" and outside["level"] == "warning"
    assert outside["process"] == "scheduler" and not {"request_id", "event_id", "event_type"} & outside.keys()
    assert inside["event"] == "applying it"
    assert (inside["event_id"], inside["event_type"], inside["request_id"]) == ("e-1", "worker.hired", "r-1")


def test_a_terminal_gets_readable_lines_not_json():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    configure_logging("hr-api", stream=out)
    try:
        logging.getLogger("shared.request").info("GET /workers 200")
    finally:
        configure_logging("tests")
    text = out.getvalue()
    assert "GET /workers 200" in text and "process" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_a_hire_request_id_reaches_the_training_consumers_lines(suite, logs):
    """Request → outbox → relay → consumer: the lines written while HR's relay
    sends the ``worker.hired`` of a hire and while training applies it (and
    skips its repeat delivery) carry the hire's request id."""
    worker = hire(suite, request_id="hire-req-1")
    payload = next(p for p in outbox_payloads(suite.hr, "worker.hired") if p["worker_id"] == worker["id"])
    assert payload.get("request_id") == "hire-req-1"
    hr, sender = service(suite.hr), Sender(suite.settings.redis_url)
    try:
        Relay(hr.db, hr.infra.outbox, sender, subscribers=topology.subscribers()).drain()
    finally:
        sender.close()
    training = service(suite.training)
    handlers = topology.module("training", "actors").event_handlers(training)
    assert consume(training.db, training.infra.inbox, payload, handlers) == 1
    assert consume(training.db, training.infra.inbox, payload, handlers) == 0  # a repeat delivery
    lines = [rec for rec in logs() if rec.get("event_id") == payload["event_id"]]
    assert any(rec["logger"] == "shared.inbox" for rec in lines), lines
    assert all(rec["request_id"] == "hire-req-1" and rec["event_type"] == "worker.hired" for rec in lines)
    assert any(rec.get("request_id") == "hire-req-1" and rec.get("route") == "/workers" for rec in logs())


# --- metrics ---------------------------------------------------------------------------------------


def test_requests_are_counted_under_their_route_template(suite):
    api = suite.hr.as_(suite.admin_token)
    for _ in range(2):
        assert api.get("/workers/987654").status_code == 404
    assert suite.hr.client.get("/no/such/page").status_code == 404
    samples = scrape(suite.hr)
    assert value(samples, "workforce_http_requests_total", service="hr", method="GET",
                 route="/workers/{worker_id}", status="404") == 2
    assert value(samples, "workforce_http_requests_total", service="hr", method="GET",
                 route="unmatched", status="404") == 1
    assert value(samples, "workforce_http_request_duration_seconds_count", service="hr", method="GET",
                 route="/workers/{worker_id}") == 2
    routes = {dict(labels).get("route") for _, labels in samples}
    assert "/workers/987654" not in routes and "/metrics" not in routes  # bounded labels; scrapes not counted


def test_outbox_pending_rises_on_a_publish_and_falls_when_the_relay_sends(suite):
    fresh_metrics(suite.hr)
    before = scrape(suite.hr)
    assert value(before, "workforce_outbox_pending", service="hr") == 0
    assert value(before, "workforce_outbox_oldest_pending_age_seconds", service="hr") == 0
    hire(suite)
    time.sleep(0.05)
    waiting = scrape(suite.hr)
    assert value(waiting, "workforce_outbox_pending", service="hr") >= 1
    assert value(waiting, "workforce_outbox_oldest_pending_age_seconds", service="hr") > 0
    svc = service(suite.hr)
    sender = Sender(suite.settings.redis_url)
    try:
        assert Relay(svc.db, svc.infra.outbox, sender, subscribers=topology.subscribers()).drain() >= 1
    finally:
        sender.close()
    after = scrape(suite.hr)
    assert value(after, "workforce_outbox_pending", service="hr") == 0
    assert value(after, "workforce_outbox_oldest_pending_age_seconds", service="hr") == 0
    # sent to training and certs, confirmed by neither yet: no consumer runs here
    assert value(after, "workforce_outbox_unconfirmed", service="hr") >= 1
    assert value(after, "workforce_outbox_unconfirmed_overdue", service="hr") == 0  # only just sent
    o = svc.infra.outbox
    with svc.db.transaction() as s:  # as if sent longer ago than WORKFORCE_REDELIVER_AFTER
        s.execute(update(o).where(o.c.confirmed_at.is_(None)).values(
            sent_at=datetime.now(UTC) - timedelta(seconds=suite.settings.redeliver_after_seconds + 5)))
    fresh_metrics(suite.hr)
    assert value(scrape(suite.hr), "workforce_outbox_unconfirmed_overdue", service="hr") >= 1


def test_a_failed_job_is_counted_until_it_is_redriven(suite):
    fresh_metrics(suite.training)
    svc = service(suite.training)
    assert value(scrape(suite.training), "workforce_failed_jobs", service="training") == 0
    message = MessageProxy(Message(queue_name=JOBS_QUEUE, actor_name=JOB_ACTOR, kwargs={}, options={},
                                   args=({"job": "cpd_reminders", "period": "2026-01"},), message_id="m-1"))
    message.fail()  # as Retries does once it gives up
    FailedJobs(svc.db, svc.infra.failed_job).after_process_message(None, message, exception=RuntimeError("boom"))
    assert value(scrape(suite.training), "workforce_failed_jobs", service="training") == 1
    sender = Sender(suite.settings.redis_url)
    try:
        assert redrive(svc.db, svc.infra.failed_job, sender, "training") == 1
    finally:
        sender.close()
    assert value(scrape(suite.training), "workforce_failed_jobs", service="training") == 0


def test_parked_events_and_inbox_by_event_type(suite):
    fresh_metrics(suite.certs)
    svc = service(suite.certs)
    with svc.db.transaction() as s:
        s.execute(insert(svc.infra.parked_event).values(
            stream="worker:999999", seq=2, event_id="e-2", payload={},
            parked_at=datetime.now(UTC) - timedelta(seconds=90)))
    samples = scrape(suite.certs)
    assert value(samples, "workforce_parked_events", service="certs") == 1
    assert value(samples, "workforce_parked_oldest_age_seconds", service="certs") >= 90
    worker = hire(suite)
    payload = next(p for p in outbox_payloads(suite.hr, "worker.hired") if p["worker_id"] == worker["id"])
    handlers = topology.module("certs", "actors").event_handlers(svc)
    assert consume(svc.db, svc.infra.inbox, payload, handlers) >= 1
    assert value(scrape(suite.certs), "workforce_inbox_handled", service="certs", event_type="worker.hired") >= 1


def test_the_database_figures_are_cached_between_scrapes(suite):
    """A storm of scrapes reads the database once per cache period."""
    statements: list[str] = []
    engine = service(suite.training).db.engine
    on_execute = lambda *args, **kw: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        scrape(suite.training)
        once = len(statements)
        for _ in range(4):
            scrape(suite.training)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert once > 0 and any("failed_job" in s for s in statements)
    assert len(statements) == once


def test_the_lease_holder_is_shown_and_gone_when_released(suite):
    fresh_metrics(suite.hr)
    scheduler = Scheduler(suite.settings.redis_url, lambda: datetime.now(UTC).date(), schedule={})
    assert not [k for k in scrape(suite.hr) if k[0] == "workforce_scheduler_lease"]
    assert scheduler.hold_lease()
    assert value(scrape(suite.hr), "workforce_scheduler_lease", holder=scheduler.identity) == 1
    scheduler.release()
    assert not [k for k in scrape(suite.hr) if k[0] == "workforce_scheduler_lease"]


# --- liveness and readiness ------------------------------------------------------------------------


def test_live_while_the_database_file_is_gone_but_not_ready(suite):
    for path in suite.settings.data_dir.glob("training.sqlite3*"):
        path.unlink()
    live = suite.training.client.get("/health/live")
    assert live.status_code == 200 and live.json() == {"service": "training", "status": "ok"}
    for path in ("/health/ready", "/health"):
        r = suite.training.client.get(path)
        assert r.status_code == 503, path
        assert r.json()["database"].startswith("unreachable") and r.json()["broker"] == "ok"


def test_live_while_redis_is_unreachable_but_not_ready(settings):
    app = topology.module("training", "app").create_app(
        settings.with_(redis_url=f"redis://127.0.0.1:{closed_port()}/0"))
    with TestClient(app) as client:
        assert client.get("/health/live").status_code == 200
        r = client.get("/health/ready")
        assert r.status_code == 503
        assert r.json()["database"] == "ok" and r.json()["broker"].startswith("unreachable")
        samples = {(s.name, frozenset(s.labels.items())): s.value
                   for f in text_string_to_metric_families(client.get("/metrics").text) for s in f.samples}
    assert not [k for k in samples if k[0] == "workforce_scheduler_lease"]
    assert value(samples, "workforce_metrics_errors_total", service="training", source="redis") == 1
    assert value(samples, "workforce_outbox_pending", service="training") == 0  # the database still answers


def test_readiness_is_cached_for_a_second(suite):
    selects: list[str] = []
    engine = service(suite.certs).db.engine
    on_execute = lambda *args, **kw: selects.append(args[2]) if args[2] == "SELECT 1" else None  # noqa: E731
    pings = redis_lib.Redis.from_url(suite.settings.redis_url)

    def ping_calls() -> int:
        return int(pings.info("commandstats").get("cmdstat_ping", {}).get("calls", 0))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        pinged = ping_calls()
        assert suite.certs.client.get("/health/ready").status_code == 200
        assert suite.certs.client.get("/health").status_code == 200
        assert len(selects) == 1 and ping_calls() - pinged == 1
        time.sleep(1.1)
        assert suite.certs.client.get("/health/ready").status_code == 200
        assert len(selects) == 2 and ping_calls() - pinged == 2
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        pings.close()


def test_openapi_documents_the_health_endpoints(suite):
    paths = suite.hr.client.get("/schema/openapi.json").json()["paths"]
    for path in ("/health", "/health/live", "/health/ready"):
        assert paths[path]["get"]["tags"] == ["health"]
    assert "503" in paths["/health/ready"]["get"]["responses"]
    assert "/metrics" not in paths
