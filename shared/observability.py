"""What an operator sees: the ids that tie a request to the events it caused
and to the handlers that applied them, carried in context variables; the
structured log lines that carry them; the request middleware; readiness.

``request_id`` is set per HTTP request and stored on each event published in
it (``Event.request_id``); ``event_id`` and ``event_type`` are set while a
relay sends or a handler applies an event. Log lines carry whichever are set.
docs/operations.md describes the fields, the metrics and the health checks.
"""
from __future__ import annotations

import logging
import re
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import redis
import structlog
from sqlalchemy import make_url, text

from shared.db import Database

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
event_id_var: ContextVar[str | None] = ContextVar("event_id", default=None)
event_type_var: ContextVar[str | None] = ContextVar("event_type", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


@contextmanager
def bound_event(event_id: str, event_type: str, request_id: str | None = None) -> Iterator[None]:
    """While applying or sending one event: its ids are in every log line."""
    tokens = (event_id_var.set(event_id), event_type_var.set(event_type), request_id_var.set(request_id))
    try:
        yield
    finally:
        event_id_var.reset(tokens[0])
        event_type_var.reset(tokens[1])
        request_id_var.reset(tokens[2])


# --- log lines ------------------------------------------------------------------------------------

HANDLER_NAME = "workforce"
IDS = (("request_id", request_id_var), ("event_id", event_id_var), ("event_type", event_type_var))


def add_ids(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The request and event ids of the current context, those that are set."""
    for key, var in IDS:
        value = var.get()
        if value is not None:
            event_dict.setdefault(key, value)
    return event_dict


def drop_color_message(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    event_dict.pop("color_message", None)  # uvicorn's coloured copy of the message
    return event_dict


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when the line is written."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr


def configure_logging(process: str, level: int | str = logging.INFO, *, stream: TextIO | None = None,
                      json: bool | None = None) -> None:
    """Every log line of this process (ours, uvicorn's, dramatiq's) through
    structlog: ``timestamp``, ``level``, ``logger``, ``process``, the message
    as ``event``, any ``extra`` fields, and the ids of the context.

    JSON lines unless the stream is a terminal (``json`` forces either way).
    Calling it again replaces the previous set-up (the last process name wins).
    """
    def add_process(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        event_dict.setdefault("process", process)
        return event_dict

    chain: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.stdlib.ExtraAdder(),
        drop_color_message,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_process,
        add_ids,
    ]
    out = stream if stream is not None else sys.stderr
    as_json = json if json is not None else not out.isatty()
    renderer: Any = (structlog.processors.JSONRenderer(ensure_ascii=False) if as_json
                     else structlog.dev.ConsoleRenderer())
    tail = [structlog.processors.format_exc_info] if as_json else []
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=chain,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail, renderer],
    )
    handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # theirs go through ours
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # the request line below replaces it
    structlog.configure(
        processors=[*chain, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


# --- requests -------------------------------------------------------------------------------------

REQUEST_ID_HEADER = b"x-request-id"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
UNMATCHED = "unmatched"
QUIET_ROUTES = frozenset({"/metrics", "/health", "/health/live", "/health/ready"})
"""Probes and scrapes: their request lines are DEBUG, not INFO."""

ResponseObserver = Callable[[str, str, int, float], None]
"""Told of each answered request: method, route template, status, seconds."""

request_log = logging.getLogger("shared.request")


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's ``X-Request-ID`` if sane (at most 64 of ``[A-Za-z0-9._-]``), else a new one."""
    for name, value in headers:
        if name.lower() == REQUEST_ID_HEADER:
            given = value.decode("latin-1")
            if SAFE_REQUEST_ID.fullmatch(given):
                return given
            break
    return uuid.uuid4().hex


def route_of(scope: MutableMapping[str, Any]) -> str:
    """The matched route's path template (bounded), or ``unmatched``."""
    if scope.get("route_handler") is None:
        return UNMATCHED
    return str(scope.get("path_template") or UNMATCHED)


Asgi = Callable[[Any, Any, Any], Awaitable[None]]


class RequestContext:
    """The outermost ASGI layer: a request id for the request (its context and
    its ``X-Request-ID`` answer), one log line per request, and the observers
    told its route, status and duration."""

    def __init__(self, app: Asgi, observers: list[ResponseObserver]) -> None:
        self.app = app
        self.observers = observers

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope.get("headers") or [])
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [*(message.get("headers") or []), (REQUEST_ID_HEADER, request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.answered(scope, status, time.perf_counter() - started)
            request_id_var.reset(token)

    def answered(self, scope: MutableMapping[str, Any], status: int, seconds: float) -> None:
        method, route = str(scope.get("method", "")), route_of(scope)
        level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
        if request_log.isEnabledFor(level):  # at INFO, a probe or scrape builds no line at all
            request_log.log(level, "%s %s %s", method, scope.get("path"), status, extra={
                "method": method, "route": route, "status": status, "duration_ms": round(seconds * 1000, 2)})
        for observe in self.observers:
            observe(method, route, status, seconds)


# --- readiness ------------------------------------------------------------------------------------


class Verdict(NamedTuple):
    database: str
    broker: str

    @property
    def ready(self) -> bool:
        return self.database == "ok" and self.broker in ("ok", "not configured")


class Readiness:
    """Whether the service can serve: its database and Redis answer, through
    the pooled connections; the verdict is kept ``ttl`` seconds, so a storm of
    probes costs one check a second."""

    def __init__(self, db: Database, client: redis.Redis | None, ttl: float = 1.0) -> None:
        self.db = db
        self.client = client
        file = make_url(db.url).database if db.sqlite else None
        # a pooled connection to a deleted SQLite file would still answer
        self.file = Path(file) if file and file != ":memory:" else None
        self.ttl = ttl
        self.lock = threading.Lock()
        self.last: tuple[float, Verdict] | None = None

    def check(self) -> Verdict:
        with self.lock:
            if self.last is not None and time.monotonic() - self.last[0] < self.ttl:
                return self.last[1]
            verdict = Verdict(self.database(), self.broker())
            self.last = (time.monotonic(), verdict)
            return verdict

    def database(self) -> str:
        if self.file is not None and not self.file.exists():
            return "unreachable: database file missing"
        try:
            with self.db.read_session() as s:
                s.execute(text("SELECT 1"))
            return "ok"
        except Exception as exc:  # any driver error means "not ready"
            return f"unreachable: {exc.__class__.__name__}"

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    def broker(self) -> str:
        if self.client is None:
            return "not configured"
        try:
            self.client.ping()
            return "ok"
        except redis.RedisError as exc:
            return f"unreachable: {exc.__class__.__name__}"
