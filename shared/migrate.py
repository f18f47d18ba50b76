"""Alembic migrations, one history per service, in its package's ``migrations``.

Each function takes the service's package (``<package>:migrations`` is the
script location). The launcher calls ``upgrade`` for each service before it
starts anything; ``workforce db revision <svc> -m "..."`` writes a new
migration by comparing the service's tables with a scratch database at head.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from shared.db import Database, make_engine


def alembic_config(package: str, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", f"{package}:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(package: str, db: Database, revision: str = "heads") -> None:
    """Migrate up to ``revision`` (see ``migrate``)."""
    migrate(package, db, revision, command.upgrade)


def downgrade(package: str, db: Database, revision: str) -> None:
    """Migrate down to ``revision`` (see ``migrate``)."""
    migrate(package, db, revision, command.downgrade)


def migrate(package: str, db: Database, revision: str, step: Callable[[Config, str], None]) -> None:
    """Run an Alembic ``step`` to ``revision`` in one transaction.

    SQLite changes a constraint by rebuilding the table, and dropping the old
    copy fails while other tables' rows reference it with foreign keys on. The
    pragma cannot change inside a transaction, so on SQLite the migration runs
    with foreign keys off and ``PRAGMA foreign_key_check`` must find nothing
    broken before it commits."""
    cfg = alembic_config(package, db.url)
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection if db.sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg, revision)
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def revision(package: str, message: str) -> None:
    """Autogenerate a migration for the service in ``package`` against a scratch SQLite at head."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}")
        upgrade(package, db)
        cfg = alembic_config(package, db.url)
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
