"""The certs service app: ``create_app(settings)``; nothing else starts here."""
from __future__ import annotations

from litestar import Litestar

from certs_service import rules
from certs_service.api import ROUTES
from certs_service.tables import infra, work_calendar
from shared.calendar import Calendars
from shared.calendar_api import calendar_routes, seed_on_start
from shared.config import Settings
from shared.web import Service, build_app, open_service

NAME = "certs"
POLICY_KEYS = rules.POLICY_KEYS
SEEDS = rules.SEEDS


def deployed_settings() -> Settings:
    """The settings of the deployment this app runs in (``uvicorn --factory``)."""
    from deploy import topology

    return topology.settings()


def make_service(settings: Settings) -> Service:
    return open_service(NAME, settings, infra, POLICY_KEYS)


def create_app(settings: Settings | None = None) -> Litestar:
    svc = make_service(settings or deployed_settings())
    calendars = Calendars(work_calendar)  # D-10, for the talent round's 公示
    return build_app(
        svc, [*ROUTES, calendar_routes(calendars)],
        title="Workforce certs service",
        description="Social-work certificates, registration cycles renewed on CPD, leader-talent rounds.",
        on_startup=[seed_on_start(svc, calendars)],
    )
