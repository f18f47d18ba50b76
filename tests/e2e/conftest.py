"""The whole suite as processes (``deploy.launcher.Suite``): three APIs, a
worker and relay per service and the scheduler, on its own embedded Redis."""
from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from deploy import topology
from deploy.launcher import Suite
from deploy.redis_server import free_port
from deploy.topology import SERVICES
from shared.config import Settings
from tests.conftest import ADMIN_PASSWORD
from tests.support.api import Api, login


@dataclass
class Live:
    settings: Settings
    clients: dict[str, httpx.Client]
    admin_token: str

    def api(self, service: str, token: str | None) -> Api:
        return Api(self.clients[service], token)

    def env(self) -> dict[str, str]:
        """Environment for a CLI run against this suite."""
        return {
            "WORKFORCE_DATA_DIR": str(self.settings.data_dir),
            "REDIS_URL": self.settings.redis_url,
            **{f"WORKFORCE_{s.upper()}_PORT": str(p) for s, p in self.settings.ports.items()},
        }


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data = tmp_path_factory.mktemp("live") / "data"
    env = {"WORKFORCE_DATA_DIR": str(data), "WORKFORCE_ADMIN_PASSWORD": ADMIN_PASSWORD}
    for svc in SERVICES:
        env[f"WORKFORCE_{svc.upper()}_PORT"] = str(free_port())
    settings = topology.settings(env)
    # a Redis of its own on a free port, so that two live suites never share one
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("WORKFORCE_REDIS_PORT", str(free_port()))
    suite = Suite(settings)
    try:
        suite.start()
        clients = {svc: httpx.Client(base_url=suite.settings.url_of(svc), timeout=30) for svc in SERVICES}
        yield Live(suite.settings, clients, login(clients["hr"], "admin", ADMIN_PASSWORD))
        for c in clients.values():
            c.close()
    finally:
        suite.stop()
        monkeypatch.undo()
