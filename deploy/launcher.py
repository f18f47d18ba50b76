"""``workforce up``: the whole suite on its embedded defaults.

Finds or starts Redis, prepares the databases (keys, migrations, policy
seeds, the first admin), then starts the three APIs, one worker per service
(with its outbox relay) and one scheduler. Ctrl-C stops them in order:
scheduler, workers and relays, APIs, and Redis last.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx

from deploy.redis_server import RedisServer, port_free
from deploy.services import app_factory, prepare
from deploy.topology import SERVICES
from shared.config import Settings

DEFAULT_REDIS_PORT = 6389


@dataclass
class Child:
    name: str
    proc: subprocess.Popen


def _say(msg: str) -> None:
    print(msg, flush=True)


class Suite:
    def __init__(self, settings: Settings, *, log_level: str = "warning"):
        self.settings = settings
        self.log_level = log_level
        self.redis: RedisServer | None = None
        self.children: list[Child] = []

    def start(self) -> None:
        s = self.settings
        s.data_dir.mkdir(parents=True, exist_ok=True)
        if not s.redis_url:
            port = int(os.environ.get("WORKFORCE_REDIS_PORT", DEFAULT_REDIS_PORT))
            self.redis = RedisServer(s.data_dir / "redis", port if port_free(port) else None).start()
            s = self.settings = s.with_(redis_url=self.redis.url)
            _say(f"Redis: started {self.redis.binary} on {self.redis.url} (data in {self.redis.dir})")
        else:
            _say(f"Redis: using {s.redis_url}")
        generated = prepare(s)
        # the children read the same settings: Redis, data, host and every port
        env = {
            **os.environ, "REDIS_URL": s.redis_url, "WORKFORCE_DATA_DIR": str(s.data_dir), "WORKFORCE_HOST": s.host,
            **{f"WORKFORCE_{svc.upper()}_PORT": str(p) for svc, p in s.ports.items()},
        }
        py = sys.executable
        for svc in SERVICES:
            self._spawn(f"{svc}-api", [
                py, "-m", "uvicorn", "--factory", app_factory(svc), "--host", s.host,
                "--port", str(s.ports[svc]), "--log-level", self.log_level, "--no-access-log",
            ], env)
        for svc in SERVICES:
            self._spawn(f"{svc}-worker", [py, "-m", "deploy.worker", svc], env)
        self._spawn("scheduler", [py, "-m", "deploy.scheduler"], env)
        self.wait_healthy()
        _say("")
        for svc in SERVICES:
            _say(f"  {svc:<9} {s.url_of(svc)}   (API docs: {s.url_of(svc)}/schema/swagger)")
        _say("")
        if generated:
            _say(f"  First start: admin account created. Username: admin  Password: {generated}")
            _say("  (shown once; set WORKFORCE_ADMIN_PASSWORD to choose it yourself)")
        else:
            _say("  Log in: POST /auth/login on the hr service with your admin username and password.")
        _say(f"  Data: {s.data_dir}    Stop: Ctrl-C")

    def _spawn(self, name: str, args: list[str], env: dict) -> None:
        proc = subprocess.Popen(args, env=env, start_new_session=True)
        self.children.append(Child(name, proc))

    def wait_healthy(self, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        pending = set(SERVICES)
        while pending and time.monotonic() < end:
            self.check_children()
            for svc in list(pending):
                try:
                    if httpx.get(f"{self.settings.url_of(svc)}/health", timeout=1.0).status_code == 200:
                        pending.discard(svc)
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        if pending:
            raise RuntimeError(f"not healthy in {timeout:.0f}s: {', '.join(sorted(pending))}")

    def check_children(self) -> None:
        for c in self.children:
            if c.proc.poll() is not None:
                raise RuntimeError(f"{c.name} exited with code {c.proc.returncode}")

    def stop(self) -> None:
        groups = (["scheduler"], [f"{s}-worker" for s in SERVICES], [f"{s}-api" for s in SERVICES])
        by_name = {c.name: c for c in self.children}
        for group in groups:
            live = [by_name[n] for n in group if n in by_name and by_name[n].proc.poll() is None]
            for c in live:
                c.proc.send_signal(signal.SIGTERM)
            for c in live:
                try:
                    c.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    c.proc.kill()
                    c.proc.wait()
        self.children.clear()
        if self.redis:
            self.redis.stop()
            self.redis = None


def up(settings: Settings) -> int:
    suite = Suite(settings)
    stopping = False

    def _stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        suite.start()
        while not stopping:
            suite.check_children()
            time.sleep(0.5)
        _say("Stopping: scheduler, workers and relays, APIs, then Redis...")
        return 0
    except RuntimeError as exc:
        _say(f"error: {exc}")
        return 1
    finally:
        suite.stop()
        _say("Stopped.")
