"""The training service app: ``create_app(settings)``; nothing else starts here."""
from __future__ import annotations

from litestar import Litestar

from shared.auth import Role
from shared.config import Settings
from shared.observability import configure_logging
from shared.web import Service, build_app, open_service
from training_service import rules
from training_service.api import ROUTES
from training_service.tables import infra

NAME = "training"
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
    return build_app(
        make_service(settings or deployed_settings()), ROUTES,
        title="Workforce training service",
        description="Programmes, sessions, enrolment, attendance, training hours and the CPD ledger.",
        auditors=[Role.training_coordinator],
    )
