"""What every service app has in common: the exception handler, bearer auth,
``/health``, OpenAPI docs, the database dependency and the policy endpoints.

``<svc>/app.py`` calls ``build_app``; nothing starts here but the app object.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Litestar, Request, get, post
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response

from shared.audit import AuditContextMiddleware
from shared.auth import BearerAuthMiddleware, Principal, Role, load_verifier, requires
from shared.broker import redis_client
from shared.config import Settings
from shared.db import Database, Infra
from shared.errors import declare_problems, handle_exception
from shared.input_guard import InputGuard
from shared.metrics import ServiceMetrics, metrics_endpoint
from shared.observability import Readiness, RequestContext
from shared.policy import Policies, PolicyKey, PolicyVersion

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The wall clock, read only in the API layer and jobs (docs/architecture.md: time is explicit)."""
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(LOCAL_TZ).date()


@dataclass
class Service:
    """What a service's handlers reach through dependency injection as ``svc``."""

    name: str
    settings: Settings
    db: Database
    infra: Infra
    policies: Policies
    extra: dict[str, Any] = field(default_factory=dict)


Svc = NamedDependency[Service]
"""How a handler asks for its service: ``def handler(svc: Svc, ...)``."""


class Health(msgspec.Struct):
    service: str
    status: str
    database: str
    broker: str


class Liveness(msgspec.Struct):
    service: str
    status: str


READY_RESPONSES = {503: ResponseSpec(Health, description="The database or Redis does not answer.")}


def readiness(svc: Service) -> Response[Health]:
    """Database and broker reachability (cached a second): 200 when both answer, else 503."""
    verdict = svc.extra["readiness"].check()
    body = Health(service=svc.name, status="ok" if verdict.ready else "degraded",
                  database=verdict.database, broker=verdict.broker)
    return Response(body, status_code=200 if verdict.ready else 503)


@get("/health", exclude_from_auth=True, sync_to_thread=True, tags=["health"], responses=READY_RESPONSES)
def health(svc: Svc) -> Response[Health]:
    """Readiness, as ``/health/ready`` (the launcher, the CLI and the tests ask here)."""
    return readiness(svc)


@get("/health/ready", exclude_from_auth=True, sync_to_thread=True, tags=["health"], responses=READY_RESPONSES)
def health_ready(svc: Svc) -> Response[Health]:
    """Readiness: the database and Redis answer through the pooled connections; 503 if either does not."""
    return readiness(svc)


@get("/health/live", exclude_from_auth=True, sync_to_thread=False, tags=["health"])
def health_live(svc: Svc) -> Liveness:
    """Liveness: the process answers; touches neither the database nor Redis."""
    return Liveness(service=svc.name, status="ok")


class NewPolicyVersion(msgspec.Struct, forbid_unknown_fields=True):
    jurisdiction: str
    effective_from: date
    value: Any
    note: str | None = None


class PolicyController(Controller):
    """The policy tables: list versions, see the one in force, add a new one (admin)."""

    path = "/policies"
    tags = ["policies"]
    guards = [requires(Role.hr_officer, Role.training_coordinator, Role.cert_officer)]

    @get("/", sync_to_thread=True)
    def list_versions(self, svc: Svc, key: FromQuery[str | None] = None,
                      jurisdiction: FromQuery[str | None] = None) -> list[PolicyVersion]:
        with svc.db.read_session() as s:
            return svc.policies.versions(s, key, jurisdiction)

    @get("/keys", sync_to_thread=False)
    def list_keys(self, svc: Svc) -> list[dict]:
        return [
            {"key": k.name, "clause": k.clause, "description": k.description}
            for k in svc.policies.keys.values()
        ]

    @get("/{key:str}/in-force", sync_to_thread=True)
    def in_force(self, svc: Svc, key: FromPath[str], jurisdiction: FromQuery[str],
                 as_of: FromQuery[date]) -> PolicyVersion:
        with svc.db.read_session() as s:
            svc.policies.key(key)
            return svc.policies.version_in_force(s, key, jurisdiction, as_of)

    @post("/{key:str}", sync_to_thread=True, guards=[requires(Role.admin)])
    def add_version(
        self, svc: Svc, request: Request, key: FromPath[str], data: JSONBody[NewPolicyVersion],
    ) -> PolicyVersion:
        principal: Principal = request.user
        from shared.auth import require_jurisdiction

        require_jurisdiction(principal, data.jurisdiction)
        with svc.db.transaction() as s:
            return svc.policies.add(
                s, key, data.jurisdiction, data.effective_from, data.value,
                created_by=principal.sub, now=now(), note=data.note,
            )


PUBLIC_PATHS = ["^/schema"]
"""The API documents, served without a token. A route of a service that needs
none says so itself (``exclude_from_auth=True``: the health check, login, the
worker's page)."""


def open_service(name: str, settings: Settings, infra: Infra, policy_keys: Sequence[PolicyKey]) -> Service:
    """A service's database, infra tables and policy store, ready for its app or worker."""
    return Service(
        name=name, settings=settings, db=Database(settings.database_urls[name], audit=infra.audit), infra=infra,
        policies=Policies(infra.policy_version, list(policy_keys)),
    )


def build_app(
    svc: Service,
    route_handlers: Sequence[Any],
    *,
    title: str,
    description: str = "",
    on_startup: Sequence[Any] = (),
    on_shutdown: Sequence[Any] = (),
    auditors: Sequence[Role] = (),
) -> Litestar:
    """The app of ``svc``; ``auditors``: the officers (besides administrators)
    who read its audit log, the service's own (D-18)."""
    from shared.audit_api import AuditController  # it builds on this module

    svc.extra["auditors"] = frozenset(auditors)
    # the service's one pool for probes and metrics, with one-second waits
    url = svc.settings.redis_url
    client = redis_client(url, 1.0) if url else None
    svc.extra["readiness"] = readiness_check = Readiness(svc.db, client)
    metrics = ServiceMetrics(svc.name, svc.db, svc.infra, client,
                             overdue_after=svc.settings.redeliver_after_seconds)

    verifier = load_verifier(svc.settings.jwt_public_key_file, svc.settings.jwt_issuer)
    app = Litestar(
        route_handlers=[health, health_live, health_ready, metrics_endpoint, PolicyController, AuditController,
                        *route_handlers],
        dependencies={"svc": Provide(lambda: svc, use_cache=True, sync_to_thread=False)},
        exception_handlers={Exception: handle_exception},
        # the audit context sits inside auth: it reads the verified principal (D-18)
        middleware=[DefineMiddleware(BearerAuthMiddleware, exclude=PUBLIC_PATHS), InputGuard, AuditContextMiddleware],
        openapi_config=OpenAPIConfig(
            title=title, version="0.1.0", description=description, path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        state=State({"token_verifier": verifier, "service": svc, "metrics": metrics}),
        # a page one service serves may read the others from the browser
        cors_config=CORSConfig(allow_origins=svc.settings.cors_origins,
                               allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                               expose_headers=["X-Request-ID"]),
        on_startup=list(on_startup),
        on_shutdown=[*on_shutdown, lambda: svc.db.dispose(), readiness_check.close],
        logging_config=None,  # the process's logging is configure_logging's (docs/operations.md)
        debug=False,
    )
    declare_problems(app)  # the OpenAPI names every refusal (docs/architecture.md)
    # outermost: every request, matched or not, gets its id, its log line and its count
    app.asgi_handler = RequestContext(app.asgi_handler, [metrics.observe])
    return app
