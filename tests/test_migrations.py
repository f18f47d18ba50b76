"""Each service's migrations build exactly the schema its tables declare.

Alembic's ``compare_metadata`` diffs a database migrated to head against the
service's SQLAlchemy metadata: a table, column, index or type that a model
declares and no migration creates (or the reverse) fails here, on SQLite and
on PostgreSQL. The state machines' CHECK constraints are compared by hand,
since Alembic does not compare constraints of that kind.
"""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect

from deploy import topology
from shared.db import Database
from shared.migrate import upgrade
from tests.support.servers import create_database


def _migrated(url: str, service: str) -> Database:
    db = Database(url)
    upgrade(topology.PACKAGES[service], db)
    return db


def _diff(db: Database, service: str) -> list:
    metadata = topology.module(service, "tables").metadata
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(ctx, metadata)


def _checks_declared(service: str) -> dict[str, set[str]]:
    metadata = topology.module(service, "tables").metadata
    return {t.name: {c.name for c in t.constraints if isinstance(c, CheckConstraint) and c.name}
            for t in metadata.sorted_tables}


def _checks_built(db: Database) -> dict[str, set[str]]:
    insp = inspect(db.engine)
    return {t: {c["name"] for c in insp.get_check_constraints(t) if c.get("name")} for t in insp.get_table_names()}


def _assert_matches(url: str, service: str) -> None:
    db = _migrated(url, service)
    try:
        assert _diff(db, service) == []
        built = _checks_built(db)
        for table, names in _checks_declared(service).items():
            assert names <= built.get(table, set()), f"{table}: CHECK constraints missing from the migrations"
    finally:
        db.dispose()


@pytest.mark.parametrize("service", topology.SERVICES)
def test_migrations_match_the_tables_on_sqlite(tmp_path, service):
    _assert_matches(f"sqlite:///{tmp_path / (service + '.sqlite3')}", service)


@pytest.mark.postgres
@pytest.mark.parametrize("service", topology.SERVICES)
def test_migrations_match_the_tables_on_postgresql(pg_server_url, service):
    _assert_matches(create_database(pg_server_url, service), service)


def test_a_table_no_migration_creates_is_found(tmp_path):
    """The check can fail: a table declared but never migrated shows in the diff."""
    from sqlalchemy import Column, Integer, Table

    metadata = topology.module("training", "tables").metadata
    extra = Table("not_migrated", metadata, Column("id", Integer, primary_key=True))
    try:
        db = _migrated(f"sqlite:///{tmp_path / 'x.sqlite3'}", "training")
        try:
            assert any(d[0] == "add_table" and d[1].name == "not_migrated" for d in _diff(db, "training"))
        finally:
            db.dispose()
    finally:
        metadata.remove(extra)
