"""The backstop for what a type cannot say: every request's values checked
once, before its handler runs (docs/architecture.md, "Inputs and the OpenAPI").

A JSON body, a query value or a path value is refused, naming the field as a
JSON path (``items[3].hired_on``), when it holds

- an integer outside signed 64 bits (what a database column holds): 400
  ``integer_out_of_range``;
- a date or date-time (a string that is one) outside the years
  ``shared.errors.YEARS``: 422 ``invalid_year``, the catalogue's;
- a character no text may hold (``shared.text.text_fault``): 422
  ``text_invalid``, as the table imports refuse it.

A body that is not UTF-8 JSON is 400 ``malformed_json``; a body sent to a
route that takes JSON under another Content-Type is 415. Routes that take
their own media types (CSV and XLSX imports) are left to their readers.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import anyio.to_thread
import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, HTTPDisconnectEvent, HTTPRequestEvent, Receive, Scope, Send

from shared.errors import YEARS, Problem, invalid_year
from shared.text import text_fault
from shared.types import INT64_MAX, INT64_MIN

_DATE = re.compile(r"([+-]?\d{4,})-\d\d-\d\d(?:[Tt ]|$)")
_DIGITS = re.compile(r"[+-]?\d{19,}")  # a query value this long may not fit 64 bits
_JSON = re.compile(r"application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)
INLINE_BODY = 16 * 1024
"""A body up to this size is checked on the event loop (under a millisecond); a
larger one in a worker thread (an 8 MB import takes ~0.4 s, which would stall
every other request)."""


def value_problem(value: Any, field: str) -> Problem | None:
    """The refusal for one scalar value, or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        if INT64_MIN <= value <= INT64_MAX:
            return None
        return Problem("integer_out_of_range", f"Field '{field}': the integer is outside signed 64 bits.",
                       f"字段 '{field}'：整数超出 64 位范围。", field=field, status=400)
    if not isinstance(value, str):
        return None
    fault = text_fault(value)
    if fault is not None:
        return Problem("text_invalid", f"Field '{field}' {fault[0]}.", f"字段 '{field}' {fault[1]}。",
                       field=field, status=422)
    date = _DATE.match(value)
    if date and not YEARS[0] <= int(date.group(1)) <= YEARS[1]:
        return invalid_year(date.group(1), field)
    return None


def body_problem(body: Any) -> Problem | None:
    """The first value in a decoded JSON body that no request may hold."""
    stack: list[tuple[Any, str]] = [(body, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k)) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
        elif (problem := value_problem(value, path or "body")) is not None:
            return problem
    return None


def parameters_problem(scope: Scope) -> Problem | None:
    """The first path or query value that no request may hold."""
    for name, value in (scope.get("path_params") or {}).items():
        if (problem := value_problem(value, name)) is not None:
            return problem
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
        if _DIGITS.fullmatch(value):
            problem = value_problem(int(value), name)
        else:
            problem = value_problem(value, name)
        if problem is not None:
            return problem
    return None


def takes_json(handler: Any) -> bool:
    """Whether a route handler's ``data`` is a JSON body (not CSV, XLSX or a form)."""
    data = getattr(handler, "parsed_data_field", None)
    if data is None:
        return False
    media_type = getattr(data.kwarg_definition, "media_type", None)
    return media_type is None or "json" in str(getattr(media_type, "value", media_type))


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


async def read_body(receive: Receive, limit: int | None) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise Problem("too_large", "The request body is too large.", "请求内容过大。", field="body", status=413)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def check_json_body(scope: Scope, body: bytes) -> None:
    if not _JSON.match(header(scope, b"content-type")):
        raise Problem("unsupported_media_type", "Send the body as application/json.",
                      "请以 application/json 发送请求体。", field="content-type", status=415)
    try:
        decoded = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise Problem("malformed_json", f"The request body is not valid UTF-8 JSON: {exc}.",
                      "请求体不是合法的 UTF-8 JSON。", field="body", status=400) from None
    if (problem := body_problem(decoded)) is not None:
        raise problem


class InputGuard:
    """ASGI middleware: the checks above on every HTTP request, then the body
    handed on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (problem := parameters_problem(scope)) is not None:
            raise problem
        handler = scope.get("route_handler")
        if scope.get("method") in ("GET", "HEAD", "OPTIONS") or not isinstance(handler, HTTPRouteHandler) \
                or not takes_json(handler):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive, handler.resolve_request_max_body_size())
        if len(body) > INLINE_BODY:  # a large import: checked off the event loop, which serves everyone else
            await anyio.to_thread.run_sync(check_json_body, scope, body)
        elif body:
            check_json_body(scope, body)
        replayed = False

        async def replay() -> HTTPRequestEvent | HTTPDisconnectEvent:
            nonlocal replayed
            if replayed:
                return await receive()  # type: ignore[return-value]  # after the body: the disconnect
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
