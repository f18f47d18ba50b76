"""Shared fixtures: real Redis and PostgreSQL servers, prepared data dirs,
and the three service apps behind test clients."""
from __future__ import annotations

import os

# Cheap Argon2 parameters for the many logins the tests make (set before shared.auth loads).
os.environ.setdefault("WORKFORCE_FAST_PASSWORD_HASHING", "1")
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis as redis_lib
from litestar.testing import TestClient

from deploy import topology
from deploy.redis_server import RedisServer
from deploy.services import prepare
from deploy.topology import SERVICES, module
from shared.config import Settings
from tests.support.api import Api, login
from tests.support.servers import ScratchPostgres, create_database

ADMIN_PASSWORD = "admin-pass-1"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    url = os.environ.get("WORKFORCE_TEST_REDIS_URL")
    if url:
        yield url
        return
    server = RedisServer(tmp_path_factory.mktemp("redis"), appendonly=False).start()
    yield server.url
    server.stop()


@pytest.fixture
def clean_redis(redis_url) -> str:
    client = redis_lib.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    return redis_url


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get("WORKFORCE_TEST_PG_URL")
    if url:
        yield url
        return
    try:
        server = ScratchPostgres().start()
    except (RuntimeError, KeyError, OSError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"no PostgreSQL here: {exc}")
    yield server.url
    server.stop()


def _settings(data_dir: Path, redis_url: str, db_urls: dict[str, str] | None = None) -> Settings:
    env = {"WORKFORCE_DATA_DIR": str(data_dir), "REDIS_URL": redis_url, "WORKFORCE_ADMIN_PASSWORD": ADMIN_PASSWORD}
    for svc, url in (db_urls or {}).items():
        env[f"WORKFORCE_{svc.upper()}_DB_URL"] = url
    return topology.settings(env)


@pytest.fixture(scope="session")
def prepared_template(tmp_path_factory, redis_url) -> Path:
    """A data dir with keys, migrated SQLite databases and seeds, made once."""
    template = tmp_path_factory.mktemp("template") / "data"
    prepare(_settings(template, redis_url))
    return template


@pytest.fixture
def settings(tmp_path, prepared_template, clean_redis) -> Settings:
    """Settings on SQLite: a fresh copy of the prepared data dir."""
    data = tmp_path / "data"
    shutil.copytree(prepared_template, data)
    return _settings(data, clean_redis)


@pytest.fixture
def pg_settings(tmp_path, prepared_template, clean_redis, pg_server_url) -> Settings:
    """Settings with every service on its own fresh PostgreSQL database."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(prepared_template / "keys", data / "keys")
    urls = {svc: create_database(pg_server_url, svc) for svc in SERVICES}
    s = _settings(data, clean_redis, urls)
    prepare(s)
    return s


@dataclass
class Suite:
    """The three apps behind test clients, and an admin token."""

    settings: Settings
    hr: Api
    training: Api
    certs: Api
    admin_token: str
    usernames: dict[str, str] = field(default_factory=dict)  # a test's name for a worker's login → the ID number

    def api(self, service: str, token: str | None) -> Api:
        return getattr(self, service).as_(token)

    def login(self, username: str, password: str) -> str:
        return login(self.hr.client, self.usernames.get(username, username), password)

    def create_user(self, username: str, role: str, jurisdiction: str, worker_id: int | None = None,
                    password: str = "password-123", community_code: str | None = None) -> str:
        """A logged-in account's token. A worker's account came with the worker
        (D-18): it is issued a one-time password, which is changed to
        ``password``; ``username`` then names it in ``login`` (the account's
        own username is the worker's ID number)."""
        admin = self.hr.as_(self.admin_token)
        if role != "worker":
            body = {"username": username, "password": password, "role": role, "jurisdiction": jurisdiction}
            if community_code is not None:  # a community secretary's (D-17); the jurisdiction must be its
                body["community_code"] = community_code
            r = admin.post("/users", json=body)
            assert r.status_code == 201, r.text
            return self.login(username, password)
        r = admin.post("/users/worker-accounts", json={"worker_ids": [worker_id]})
        assert r.status_code == 200, r.text
        row = r.json()["items"][0]
        first = self.hr.as_(login(self.hr.client, row["username"], row["one_time_password"]))
        r = first.post("/auth/password", json={"current_password": row["one_time_password"],
                                               "new_password": password})
        assert r.status_code == 200, r.text
        self.usernames[username] = row["username"]
        return r.json()["access_token"]


def _suite(settings: Settings):
    clients = [TestClient(module(svc, "app").create_app(settings)) for svc in SERVICES]
    for c in clients:
        c.__enter__()
    try:
        hr, training, certs = (Api(c) for c in clients)
        yield Suite(settings, hr, training, certs, login(hr.client, "admin", ADMIN_PASSWORD))
    finally:
        for c in clients:
            c.__exit__(None, None, None)


@pytest.fixture
def suite(settings) -> Suite:
    yield from _suite(settings)


@pytest.fixture
def pg_suite(pg_settings) -> Suite:
    yield from _suite(pg_settings)


def pytest_bdd_apply_tag(tag: str, function):
    """``@clause:S4-10`` becomes ``pytest.mark.clause("S4-10")``."""
    if tag.startswith("clause:"):
        pytest.mark.clause(tag.split(":", 1)[1])(function)
        return True
    return None


POSTGRES_FIXTURES = {"pg_server_url", "pg_settings", "pg_suite"}


def _needs_postgres(item) -> bool:
    """A PostgreSQL fixture requested by name, or named by a parameter that a
    test hands to ``request.getfixturevalue`` (``"pg_suite"``, ``"postgres"``)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    named = {v for v in params.values() if isinstance(v, str)}
    return bool(POSTGRES_FIXTURES & (set(getattr(item, "fixturenames", ())) | named)) or "postgres" in named


def pytest_collection_modifyitems(config, items):
    """Every test that needs PostgreSQL carries the ``postgres`` marker, so
    ``-m postgres`` (or ``-m "not postgres"``) selects exactly those: a test
    that needs it without the marker is a collection error."""
    unmarked = [item.nodeid for item in items if _needs_postgres(item) and not item.get_closest_marker("postgres")]
    if unmarked:
        raise pytest.UsageError("mark these tests @pytest.mark.postgres (they use PostgreSQL):\n  "
                                + "\n  ".join(unmarked))
