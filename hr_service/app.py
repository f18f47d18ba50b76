"""The HR service app: ``create_app(settings)``; nothing else starts here."""
from __future__ import annotations

import logging

from litestar import Litestar

from hr_service import api, rules
from hr_service.accounts import admin as accounts_admin
from hr_service.accounts import rules as account_rules
from hr_service.org import api as org_api
from hr_service.ratings import api as ratings_api
from hr_service.ratings import rules as rating_rules
from hr_service.recruitment import api as recruitment_api
from hr_service.recruitment import rules as recruitment_rules
from hr_service.rewards import api as rewards_api
from hr_service.rewards import rules as reward_rules
from hr_service.selfservice import api as selfservice_api
from hr_service.store.policies import CALENDAR
from hr_service.tables import infra
from shared.auth import Role, TokenIssuer
from shared.calendar_api import calendar_routes
from shared.config import Settings
from shared.errors import Problem
from shared.observability import configure_logging
from shared.revocation import for_app
from shared.web import Service, build_app, open_service

NAME = "hr"
POLICY_KEYS = (rules.POLICY_KEYS + recruitment_rules.POLICY_KEYS + reward_rules.POLICY_KEYS + rating_rules.POLICY_KEYS
               + account_rules.POLICY_KEYS)
SEEDS = rules.SEEDS + recruitment_rules.SEEDS + reward_rules.SEEDS + rating_rules.SEEDS + account_rules.SEEDS
ROUTES = [*api.ROUTES, *recruitment_api.ROUTES, *selfservice_api.ROUTES, *rewards_api.ROUTES,
          *org_api.ROUTES, *ratings_api.ROUTES]
"""HR's controllers, each area's own: the records, recruitment (D-4), the self-service page, rewards (S4-13),
the organisation's streets and names (D-17)."""


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


def republish_token_versions(app: Litestar) -> None:
    """At start, raise Redis's token versions to the database's (D-18), so a
    Redis that lost its data does not revive revoked tokens; Redis down → a warning."""
    svc: Service = app.state.service
    try:
        with svc.db.read_session() as s:
            accounts_admin.republish_versions(s, for_app(app.state, svc.settings.redis_url))
    except Problem as exc:
        logging.getLogger(__name__).warning("token versions not republished: %s", exc.detail)


def create_app(settings: Settings | None = None) -> Litestar:
    svc = make_service(settings or deployed_settings())
    svc.extra["token_issuer"] = TokenIssuer(
        svc.settings.jwt_private_key_file.read_bytes(), svc.settings.jwt_issuer, svc.settings.token_ttl_minutes
    )
    return build_app(
        svc, [*ROUTES, calendar_routes(CALENDAR)], title="Workforce HR service",
        description="Communities, recruitment, workers, assessments, pay scales and monthly pay.",
        on_startup=[republish_token_versions], auditors=[Role.hr_officer],
    )
