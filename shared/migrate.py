"""Alembic migrations, one history per service (``<svc>/migrations``).

The launcher calls ``upgrade`` for each service before it starts anything;
``workforce db revision <svc> -m "..."`` writes a new migration by comparing
the service's tables with a scratch database at head.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from shared.db import Database, make_engine

SERVICE_PACKAGES = {"hr": "hr_service", "training": "training_service", "certs": "certs_service"}


def alembic_config(service: str, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", f"{SERVICE_PACKAGES[service]}:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(service: str, db: Database, revision: str = "heads") -> None:
    cfg = alembic_config(service, db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def revision(service: str, message: str) -> None:
    """Autogenerate a migration for ``service`` against a scratch SQLite at head."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}")
        upgrade(service, db)
        cfg = alembic_config(service, db.url)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=message, autogenerate=True)
        db.dispose()


def run_env(metadata: MetaData) -> None:
    """The body of every service's ``migrations/env.py``."""
    from alembic import context

    cfg = context.config
    conn = cfg.attributes.get("connection")

    def _run(connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    if conn is not None:
        _run(conn)
    else:
        engine = make_engine(cfg.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        engine.dispose()
