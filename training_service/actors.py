"""Dramatiq consumers of this service: event handlers (through the inbox) and
scheduled jobs. Each handler takes the session of its own transaction."""
from __future__ import annotations

from shared.consumer import JobHandler
from shared.inbox import Handler
from shared.web import Service


def event_handlers(svc: Service) -> dict[str, list[Handler]]:
    return {}


def job_handlers(svc: Service) -> dict[str, JobHandler]:
    return {}
