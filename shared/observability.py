"""What an operator sees: the ids that tie a request to the events it caused
and to the handlers that applied them, carried in context variables.

``request_id`` is set per HTTP request and stored on each event published in
it (``Event.request_id``); ``event_id`` and ``event_type`` are set while a
relay sends or a handler applies an event. Log lines carry whichever are set.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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
