"""The suite's topology: which services it runs, and how events and jobs reach them.

The services are named here, each with its package and the port its API
listens on by default. What a service consumes and runs it declares itself,
in its ``actors.py`` beside ``event_handlers(svc)`` and ``job_handlers(svc)``:

- ``SUBSCRIBES: tuple[str, ...]``, the event types it handles;
- ``SCHEDULE: list[ScheduledJob]``, its jobs, each with its clause and when it is due.

From those this module computes where each event type goes
(``subscribers()``, for the relays) and the whole schedule (``schedule()``,
for the scheduler). What starts a process asks here for both, and for the
settings of every service.
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from shared.config import Settings

if TYPE_CHECKING:
    from shared.scheduler import ScheduledJob


@dataclass(frozen=True)
class Member:
    """A service of the suite: its name, its Python package, its API's default port."""

    name: str
    package: str
    port: int


MEMBERS: tuple[Member, ...] = (
    Member("hr", "hr_service", 8001),
    Member("training", "training_service", 8002),
    Member("certs", "certs_service", 8003),
)

SERVICES: tuple[str, ...] = tuple(m.name for m in MEMBERS)
PACKAGES: dict[str, str] = {m.name: m.package for m in MEMBERS}
DEFAULT_PORTS: dict[str, int] = {m.name: m.port for m in MEMBERS}


def module(service: str, name: str) -> ModuleType:
    """The service's module ``name`` (``app``, ``actors``, ...)."""
    return importlib.import_module(f"{PACKAGES[service]}.{name}")


def settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings of every service from ``environ`` (default: this process's)."""
    return Settings.from_env(environ, services=DEFAULT_PORTS)


def subscriptions() -> dict[str, tuple[str, ...]]:
    """Each service's ``SUBSCRIBES``: the event types it handles."""
    return {svc: tuple(module(svc, "actors").SUBSCRIBES) for svc in SERVICES}


def subscribers() -> dict[str, tuple[str, ...]]:
    """Event type → the services that handle it; a type no service handles is absent."""
    routes: dict[str, tuple[str, ...]] = {}
    for svc, types in subscriptions().items():
        for t in types:
            routes[t] = (*routes.get(t, ()), svc)
    return routes


def schedule() -> dict[str, list[ScheduledJob]]:
    """The whole schedule: each service's ``SCHEDULE`` under its name."""
    return {svc: list(module(svc, "actors").SCHEDULE) for svc in SERVICES}
