"""The certs service app: ``create_app(settings)``; nothing else starts here."""
from __future__ import annotations

from litestar import Litestar

from certs_service.api import ROUTES
from certs_service.rules import POLICY_KEYS
from certs_service.tables import infra
from shared.auth import load_verifier
from shared.config import Settings
from shared.db import Database
from shared.policy import Policies
from shared.web import Service, build_app

NAME = "certs"


def make_service(settings: Settings) -> Service:
    return Service(
        name=NAME, settings=settings, db=Database(settings.database_urls[NAME]), infra=infra,
        policies=Policies(infra.policy_version, POLICY_KEYS),
    )


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    svc = make_service(settings)
    return build_app(
        svc, ROUTES, verifier=load_verifier(settings.jwt_public_key_file, settings.jwt_issuer),
        title="Workforce certs service",
    )
