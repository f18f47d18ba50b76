"""The certs service app: ``create_app(settings)``; nothing else starts here."""
from __future__ import annotations

from litestar import Litestar

from certs_service import rules
from certs_service.api import ROUTES
from certs_service.store.notice import CALENDAR
from certs_service.tables import infra
from shared.auth import Role
from shared.calendar_api import calendar_routes
from shared.config import Settings
from shared.observability import configure_logging
from shared.web import Service, build_app, open_service

NAME = "certs"
POLICY_KEYS = rules.POLICY_KEYS
SEEDS = rules.SEEDS


def deployed_settings() -> Settings:
    """The settings of the deployment this app runs in (``uvicorn --factory``),
    whose logging is then this process's (docs/operations.md); an app built
    with given settings (a test, an embedding) leaves logging alone."""
    from deploy import topology

    settings = topology.settings()
    configure_logging(f"{NAME}-api", settings.log_level)
    return settings


def make_service(settings: Settings) -> Service:
    return open_service(NAME, settings, infra, POLICY_KEYS)


def create_app(settings: Settings | None = None) -> Litestar:
    svc = make_service(settings or deployed_settings())
    return build_app(
        svc, [*ROUTES, calendar_routes(CALENDAR)],
        title="Workforce certs service",
        description="Social-work certificates, registration cycles renewed on CPD, leader-talent rounds.",
        auditors=[Role.cert_officer],
    )
