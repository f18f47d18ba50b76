"""``workforce up``: the whole suite on its embedded defaults.

Finds or starts Redis, prepares the databases (keys, migrations, policy
seeds, the first admin), then starts the three APIs, one worker per service
(with its outbox relay) and one scheduler, and keeps them running: a child
that exits, Redis included, is started again after a back-off (1 s, doubling
to 30 s; back to 1 s once it has run a minute), with one log line each time.
Only Ctrl-C or SIGTERM to the launcher stops the suite, in order: scheduler,
workers and relays, APIs, and Redis last.

Every child runs in a session of its own, so a Ctrl-C at the terminal
reaches the launcher only and each child gets SIGTERM from it, in turn.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from deploy.redis_server import RedisServer, port_free
from deploy.services import app_factory, prepare
from deploy.topology import SERVICES
from shared.config import Settings

DEFAULT_REDIS_PORT = 6389
STOP_TIMEOUT = 20.0  # seconds a child has to stop on SIGTERM before it is killed


def _say(msg: str) -> None:
    print(msg, flush=True)


@dataclass(frozen=True)
class Backoff:
    """How long to wait before starting a child that exited."""

    first: float = 1.0
    cap: float = 30.0
    settled: float = 60.0  # a child that ran this long is started again after ``first``

    def after(self, previous: float, lived: float) -> float:
        if previous == 0 or lived >= self.settled:
            return self.first
        return min(previous * 2, self.cap)


@dataclass
class Child:
    name: str
    start: Callable[[], subprocess.Popen]
    proc: subprocess.Popen | None = None
    started: float = 0.0  # monotonic time of the last start
    restarts: int = 0
    delay: float = 0.0  # the back-off used for the last restart
    due: float | None = None  # when an exited child starts again
    failure: str = ""  # why the last start failed, if it did

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Supervisor:
    """Keeps its children running until it stops them."""

    def __init__(self, backoff: Backoff | None = None, say: Callable[[str], None] = _say):
        self.backoff = backoff or Backoff()
        self.say = say
        self.children: dict[str, Child] = {}

    def add(self, name: str, start: Callable[[], subprocess.Popen], proc: subprocess.Popen | None = None) -> Child:
        """Supervise ``name``: adopt ``proc`` if given, else start it now."""
        child = self.children[name] = Child(name, start)
        if proc is None:
            self.launch(child, time.monotonic())
        else:
            child.proc, child.started = proc, time.monotonic()
        return child

    def launch(self, child: Child, now: float) -> None:
        child.due, child.started, child.failure = None, now, ""
        try:
            child.proc = child.start()
        except (OSError, RuntimeError) as exc:
            child.proc, child.failure = None, str(exc)

    def supervise(self, now: float | None = None) -> None:
        """Schedule a restart for each child that exited; start those now due."""
        now = time.monotonic() if now is None else now
        for child in list(self.children.values()):
            if child.due is not None:
                if now >= child.due:
                    self.launch(child, now)
                    if child.proc is not None:
                        self.say(f"{child.name} started again (pid {child.proc.pid})")
            elif not child.running:
                child.delay = self.backoff.after(child.delay, now - child.started)
                child.due = now + child.delay
                child.restarts += 1
                why = f"exited with code {child.proc.returncode}" if child.proc else f"did not start ({child.failure})"
                self.say(f"{child.name} {why}; restarting in {child.delay:g} s (restart {child.restarts})")

    def stop(self, names: list[str], timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM to each of ``names`` at once, wait for all, then forget them."""
        group = [self.children.pop(n) for n in names if n in self.children]
        live = [(c.name, c.proc) for c in group if c.proc is not None and c.proc.poll() is None]
        for _, proc in live:
            proc.send_signal(signal.SIGTERM)
        for name, proc in live:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                self.say(f"{name} did not stop in {timeout:g} s and was killed")
        if live:
            self.say("stopped " + ", ".join(_stopped(name, proc.returncode) for name, proc in live))


def _stopped(name: str, code: int) -> str:
    # uvicorn ends by raising the SIGTERM it handled again: a clean stop too
    return name if code in (0, -signal.SIGTERM) else f"{name} (code {code})"


def _starter(args: list[str], env: dict[str, str]) -> Callable[[], subprocess.Popen]:
    return lambda: subprocess.Popen(args, env=env, start_new_session=True)


class Suite:
    def __init__(self, settings: Settings, *, log_level: str = "warning", backoff: Backoff | None = None):
        self.settings = settings
        self.log_level = log_level
        self.redis: RedisServer | None = None
        self.supervisor = Supervisor(backoff)
        self.stop_requested = False

    def start(self) -> None:
        s = self.settings
        s.data_dir.mkdir(parents=True, exist_ok=True)
        if not s.redis_url:
            port = int(os.environ.get("WORKFORCE_REDIS_PORT", DEFAULT_REDIS_PORT))
            self.redis = RedisServer(s.data_dir / "redis", port if port_free(port) else None).start()
            self.supervisor.add("redis", self.restart_redis, self.redis.proc)
            s = self.settings = s.with_(redis_url=self.redis.url)
            _say(f"Redis: started {self.redis.binary} on {self.redis.url} (data in {self.redis.dir})")
        else:
            _say(f"Redis: using {s.redis_url}")
        generated = prepare(s)
        self.start_children()
        self.wait_healthy()
        if self.stop_requested:
            return
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

    def start_children(self) -> None:
        s = self.settings
        # the children read the same settings: Redis, data, host and every port
        env: dict[str, str] = {
            **os.environ, "REDIS_URL": s.redis_url or "", "WORKFORCE_DATA_DIR": str(s.data_dir),
            "WORKFORCE_HOST": s.host,
            **{f"WORKFORCE_{svc.upper()}_PORT": str(p) for svc, p in s.ports.items()},
        }
        py = sys.executable
        commands = {
            **{f"{svc}-api": [
                py, "-m", "uvicorn", "--factory", app_factory(svc), "--host", s.host,
                "--port", str(s.ports[svc]), "--log-level", self.log_level, "--no-access-log",
            ] for svc in SERVICES},
            **{f"{svc}-worker": [py, "-m", "deploy.worker", svc] for svc in SERVICES},
            "scheduler": [py, "-m", "deploy.scheduler"],
        }
        for name, args in commands.items():
            self.supervisor.add(name, _starter(args, env))

    def restart_redis(self) -> subprocess.Popen:
        """Redis again, on the same port and data dir."""
        assert self.redis is not None
        proc = self.redis.start().proc
        assert proc is not None
        return proc

    def wait_healthy(self, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        pending = set(SERVICES)
        while pending and not self.stop_requested and time.monotonic() < end:
            self.supervisor.supervise()
            for svc in list(pending):
                try:
                    if httpx.get(f"{self.settings.url_of(svc)}/health", timeout=1.0).status_code == 200:
                        pending.discard(svc)
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        if pending and not self.stop_requested:
            raise RuntimeError(f"not healthy in {timeout:.0f}s: {', '.join(sorted(pending))}")

    def supervise(self) -> None:
        self.supervisor.supervise()

    def stop(self) -> None:
        for group in (["scheduler"], [f"{s}-worker" for s in SERVICES], [f"{s}-api" for s in SERVICES], ["redis"]):
            self.supervisor.stop(group)
        if self.redis:
            self.redis.stop()
            self.redis = None


def up(settings: Settings) -> int:
    suite = Suite(settings)

    def _stop(*_):
        suite.stop_requested = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        suite.start()
        while not suite.stop_requested:
            suite.supervise()
            time.sleep(0.2)
        _say("Stopping: scheduler, workers and relays, APIs, then Redis...")
        return 0
    except RuntimeError as exc:
        _say(f"error: {exc}")
        return 1
    finally:
        suite.stop()
        _say("Stopped.")
