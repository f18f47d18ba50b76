"""SQLAlchemy 2 engines and sessions, one database per service.

SQLite (the embedded default) runs in WAL mode with a busy timeout and foreign
keys on; write transactions begin IMMEDIATE so that two writers queue on the
busy timeout instead of failing on a lock upgrade. PostgreSQL is used by URL
(``postgresql+psycopg://``).

The driver is the synchronous one: see README "Storage: driver choice" for the
measurement (bench/bench_driver.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, overload

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    make_url,
    or_,
)
from sqlalchemy.dialects.sqlite import base as sqlite_types
from sqlalchemy.orm import Session, sessionmaker

from shared import audit as audit_log
from shared.errors import NotFound

T = TypeVar("T")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A big-integer key that is still SQLite's rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING)


class Infra(NamedTuple):
    """The tables every service keeps beside its own: outbox, inbox, failed jobs,
    policy versions, the audit log (D-18), and the order of events per entity
    (``event_sequence`` as publisher, ``event_stream`` and ``parked_event`` as
    consumer: docs/events.md, "Order per entity")."""

    outbox: Table
    inbox: Table
    failed_job: Table
    policy_version: Table
    audit: Table
    event_sequence: Table
    event_stream: Table
    parked_event: Table


def add_infra_tables(metadata: MetaData) -> Infra:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(64), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True, index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
        # every subscriber has confirmed it through the broker (docs/events.md, "Nothing lost")
        Column("confirmed_at", DateTime(timezone=True), nullable=True),
        Column("redeliveries", Integer, nullable=False, default=0),
        Column("due_at", DateTime(timezone=True), nullable=True),  # when the relay next asks for confirmations
        Index("ix_outbox_unconfirmed", "confirmed_at", "due_at"),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(80), primary_key=True),
        Column("handler", String(80), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        Column("event_type", String(64), nullable=True),  # None for a scheduled job's claim
        Index("ix_inbox_event_type", "event_type"),
    )
    failed_job = Table(
        "failed_job",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("message_id", String(80), nullable=False, index=True),
        Column("queue_name", String(80), nullable=False),
        Column("actor_name", String(80), nullable=False),
        Column("message", JSON, nullable=False),
        Column("error", Text, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False),
        Column("redriven_at", DateTime(timezone=True), nullable=True),
    )
    policy_version = Table(
        "policy_version",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("key", String(64), nullable=False),
        Column("jurisdiction", String(64), nullable=False),
        Column("effective_from", String(10), nullable=False),  # ISO date: sorts as text
        Column("value", JSON, nullable=False),
        Column("clause", String(64), nullable=False),
        Column("note", Text, nullable=True),
        Column("created_by", String(64), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("key", "jurisdiction", "effective_from", name="uq_policy_version_key_scope_date"),
    )
    return Infra(outbox, inbox, failed_job, policy_version, audit_table(metadata), *ordering_tables(metadata))


def ordering_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    """Order per entity: the publisher numbers each entity's events
    (``event_sequence``); a consumer holds the last number it applied per
    entity (``event_stream``) and keeps an event that came early until the
    ones before it arrive (``parked_event``)."""
    sequence = Table(
        "event_sequence",
        metadata,
        Column("stream", String(80), primary_key=True),
        Column("last_seq", BigInteger, nullable=False),
    )
    stream = Table(
        "event_stream",
        metadata,
        Column("stream", String(80), primary_key=True),
        Column("last_seq", BigInteger, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    parked = Table(
        "parked_event",
        metadata,
        Column("stream", String(80), primary_key=True),
        Column("seq", BigInteger, primary_key=True),
        Column("event_id", String(36), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("parked_at", DateTime(timezone=True), nullable=False),
    )
    return sequence, stream, parked


def audit_table(metadata: MetaData) -> Table:
    """D-18: who changed what, when, from where, before and after; append-only (``shared.audit``)."""
    return Table(
        audit_log.TABLE,
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor", String(120), nullable=False),
        Column("role", String(32), nullable=True),
        Column("address", String(64), nullable=True),
        Column("request", String(300), nullable=True),
        Column("entity", String(64), nullable=False),
        Column("entity_key", String(200), nullable=False),
        Column("action", String(8), nullable=False),
        Column("jurisdiction", String(64), nullable=True),
        Column("changes", JSON, nullable=False),
        Index("ix_audit_log_entity_key", "entity", "entity_key"),
        Index("ix_audit_log_actor_at", "actor", "at"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_jurisdiction_at", "jurisdiction", "at"),
    )


@overload
def as_utc(at: datetime) -> datetime: ...
@overload
def as_utc(at: None) -> None: ...
def as_utc(at: datetime | None) -> datetime | None:
    """A stored instant as UTC: SQLite hands ``DateTime(timezone=True)`` back without its zone."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def in_chunks(values: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    """The distinct ``values``, sorted, ``size`` at a time: for ``IN`` lists that stay short."""
    ordered = sorted(set(values))
    for i in range(0, len(ordered), size):
        yield ordered[i:i + size]


def in_jurisdiction(column, scope: str):
    """SQL: rows of ``scope`` and of the districts under it (a city covers its
    districts, D-8), the SQL twin of ``Principal.covers``."""
    return or_(column == scope, column.startswith(scope + ".", autoescape=True))


def get_within(session: Session, model: type[T], key: Any, principal: Any, what: str, what_zh: str) -> T:
    """The ``model`` row ``key`` when its ``jurisdiction`` lies within the
    caller's; otherwise 404, as if it did not exist (D-8)."""
    row = session.get(model, key)
    if row is None or not principal.covers(row.jurisdiction):  # type: ignore[attr-defined]
        raise NotFound(what, what_zh, key)
    return row


def upsert(session: Session, table: Table):
    """``INSERT`` of the session's dialect, with ``on_conflict_do_*`` (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


PG_CONNECT_TIMEOUT = 5  # seconds: a database that does not answer fails a request, a probe, a relay pass
PG_POOL_TIMEOUT = 10  # seconds a caller waits for a pooled connection


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for one service's database, with the SQLite pragmas set."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=8,
        )
        _sqlite_setup(engine)
        return engine
    return create_engine(url, echo=echo, pool_size=8, max_overflow=8, pool_pre_ping=True,
                         pool_timeout=PG_POOL_TIMEOUT, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT})


class UtcDateTime(sqlite_types.DATETIME):
    """SQLite's DATETIME, giving a ``DateTime(timezone=True)`` column back as
    an aware UTC datetime, as PostgreSQL does (every instant is stored in UTC)."""

    def result_processor(self, dialect, coltype):
        parse = super().result_processor(dialect, coltype)
        if not self.timezone or parse is None:
            return parse

        def process(value):
            at = parse(value)
            return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at

        return process


def _sqlite_setup(engine: Engine) -> None:
    # instants come back aware, so every answer carries its offset (docs/architecture.md)
    engine.dialect.colspecs = {**engine.dialect.colspecs, DateTime: UtcDateTime}

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = "DEFERRED" if conn.get_execution_options().get("read_only") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One service's database: its engine and two session factories.

    ``session()`` is for writes (IMMEDIATE on SQLite); ``read_session()`` for
    reads that should not queue behind writers. Given the service's ``audit``
    table, every write through ``session()`` is audited in its own
    transaction (D-18, ``shared.audit``).
    """

    def __init__(self, url: str, *, echo: bool = False, audit: Table | None = None):
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self.sqlite = is_sqlite(url)
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        if audit is not None:
            audit_log.install(self._write, audit)
        self._read = sessionmaker(self.engine.execution_options(read_only=True), expire_on_commit=False)

    def session(self) -> Session:
        return self._write()

    def read_session(self) -> Session:
        return self._read()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: commits on success, rolls back on any error."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
