"""The services of the topology, as the launcher, worker and CLI see them."""
from __future__ import annotations

from datetime import UTC, datetime

from deploy.topology import PACKAGES, SERVICES, module
from shared.auth import ensure_keys
from shared.config import Settings
from shared.migrate import upgrade
from shared.web import Service


def make_service(service: str, settings: Settings) -> Service:
    return module(service, "app").make_service(settings)


def app_factory(service: str) -> str:
    return f"{PACKAGES[service]}.app:create_app"


def prepare(settings: Settings) -> str | None:
    """Keys, migrations, seeded policy tables and working-day calendars, and the first admin account.

    Idempotent. Returns the admin password if one was generated now."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ensure_keys(settings.jwt_private_key_file, settings.jwt_public_key_file)
    now = datetime.now(UTC)
    generated = None
    for name in SERVICES:
        svc = make_service(name, settings)
        upgrade(PACKAGES[name], svc.db)
        with svc.db.transaction() as s:
            svc.policies.seed(s, module(name, "app").SEEDS, now)
            calendar = getattr(module(name, "app"), "CALENDAR", None)  # D-10, where working days are counted
            if calendar is not None:
                calendar.seed(s, now)
            if name == "hr":
                from hr_service.rules import CITY
                from hr_service.store import ensure_admin

                generated = ensure_admin(s, CITY, settings.admin_password, now)
        svc.db.dispose()
    return generated
