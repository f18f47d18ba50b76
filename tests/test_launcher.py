"""``workforce up`` as a user runs it: a fresh data dir, the embedded Redis,
three APIs answering /health, children that die started again, a quiet stop
on Ctrl-C with Redis last, a second start on the same data; and the record of
the Redis binary that opened a data dir."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from deploy import topology
from deploy.launcher import Backoff, Suite, Supervisor
from deploy.redis_server import RECORD, BinaryRecord, RedisServer, choose_binary, find_binary, free_port, port_free
from deploy.topology import SERVICES
from tests.e2e.conftest import Live
from tests.e2e.steps_world import World
from tests.support.api import login


class Launcher:
    """``python -m deploy.cli up`` in a session of its own, as a terminal runs it."""

    def __init__(self, data_dir: Path, ports: dict[str, int], redis_port: int):
        env = {k: v for k, v in os.environ.items() if not k.startswith("WORKFORCE_") and k != "REDIS_URL"}
        env.update({
            "WORKFORCE_DATA_DIR": str(data_dir), "WORKFORCE_REDIS_PORT": str(redis_port),
            **{f"WORKFORCE_{svc.upper()}_PORT": str(p) for svc, p in ports.items()},
        })
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "deploy.cli", "up"], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 90) -> re.Match:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = re.search(pattern, self.text)
            if found:
                return found
            if self.proc.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.1)
        self.proc.kill()
        pytest.fail(f"no {pattern!r} from workforce up:\n{self.text}")

    def child(self, *words: str) -> int:
        """The pid of the launcher's child whose command line holds ``words``."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmdline = (entry / "cmdline").read_text().replace("\0", " ")
            except (OSError, IndexError):
                continue
            if ppid == self.proc.pid and all(w in cmdline for w in words):
                return int(entry.name)
        raise AssertionError(f"no child of the launcher runs {words}")

    def ctrl_c(self) -> tuple[int, str]:
        """SIGINT to the launcher's whole process group, as the terminal sends it."""
        os.killpg(self.proc.pid, signal.SIGINT)
        code = self.proc.wait(timeout=60)
        self.reader.join(timeout=5)
        return code, self.text


def healthy(ports: dict[str, int]) -> bool:
    for port in ports.values():
        r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        if r.status_code != 200 or r.json()["broker"] != "ok":
            return False
    return True


def eventually(check, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if check():
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def hires_flow_everywhere(data: Path, ports: dict[str, int], redis_port: int, password: str) -> None:
    env = {"WORKFORCE_DATA_DIR": str(data), "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
           **{f"WORKFORCE_{svc.upper()}_PORT": str(p) for svc, p in ports.items()}}
    settings = topology.settings(env)
    clients = {svc: httpx.Client(base_url=settings.url_of(svc), timeout=30) for svc in SERVICES}
    world = World(Live(settings, clients, login(clients["hr"], "admin", password)))
    try:
        world.hire_directly("韩梅梅", 2)
        world.known_everywhere("韩梅梅")
    finally:
        world.close()
        for c in clients.values():
            c.close()


def assert_stopped_quietly_redis_last(code: int, out: str, redis_log: Path, shutdowns_before: int) -> None:
    assert code == 0, out
    assert "Traceback" not in out and "Connection refused" not in out.split("Stopping:")[-1], out
    assert "Stopped." in out
    # the launcher stopped the workers, then the APIs, then Redis
    stops = [line for line in out.splitlines() if line.startswith("stopped ")]
    assert [s.split()[1].rstrip(",") for s in stops] == ["scheduler", "hr-worker", "hr-api", "redis"], out
    assert all("(code" not in s for s in stops), out  # every child ended cleanly
    # Redis got the launcher's SIGTERM only (not the terminal's SIGINT), after the last worker stopped
    log = redis_log.read_text()
    assert "Received SIGINT" not in log
    shutdown = re.findall(r" (\d+ \w+ \d{4} [\d:.]+) # User requested shutdown", log)[shutdowns_before:]
    assert len(shutdown) == 1, log
    redis_stop = datetime.strptime(shutdown[0], "%d %b %Y %H:%M:%S.%f").astimezone()  # Redis logs local time
    worker_stops = [when_logged(line) for line in out.splitlines() if re.search(r"worker for \w+ stopped", line)]
    assert len(worker_stops) == len(SERVICES), out
    assert all(t <= redis_stop for t in worker_stops), (worker_stops, redis_stop)


def when_logged(line: str) -> datetime:
    """The time of a child's log line: a JSON line's ``timestamp``, or a plain line's leading local time."""
    if line.startswith("{"):
        return datetime.fromisoformat(json.loads(line)["timestamp"].replace("Z", "+00:00"))
    return datetime.strptime(" ".join(line.split()[:2]), "%Y-%m-%d %H:%M:%S,%f").astimezone()


@pytest.mark.e2e
def test_up_restarts_what_dies_and_stops_quietly_on_ctrl_c(tmp_path):
    ports = {svc: free_port() for svc in SERVICES}
    redis_port = free_port()
    data = tmp_path / "data"
    redis_log = data / "redis" / "redis.log"

    up = Launcher(data, ports, redis_port)
    password = up.wait_for(r"Password: (\S+)").group(1)
    up.wait_for("Stop: Ctrl-C")
    assert healthy(ports)
    # a worker killed outright, an API stopped: each is started again, the suite keeps serving
    os.kill(up.child("deploy.worker", "training"), signal.SIGKILL)
    os.kill(up.child("uvicorn", str(ports["hr"])), signal.SIGTERM)
    up.wait_for(r"training-worker exited with code -9; restarting in 1 s \(restart 1\)")
    up.wait_for(r"hr-api exited with code (-15|0); restarting in 1 s \(restart 1\)")
    up.wait_for("training-worker started again")
    up.wait_for("hr-api started again")
    assert eventually(lambda: healthy(ports))
    # Redis killed outright: started again on the same port and data
    os.kill(up.child("redis-server", str(redis_port)), signal.SIGKILL)
    up.wait_for(r"redis exited with code -9; restarting in 1 s \(restart 1\)")
    up.wait_for("redis started again")
    assert eventually(lambda: healthy(ports))
    # and events still flow: a hire reaches training (its worker restarted) and certs, through the new Redis
    hires_flow_everywhere(data, ports, redis_port, password)
    assert up.proc.poll() is None  # the launcher never stopped

    code, out = up.ctrl_c()
    assert_stopped_quietly_redis_last(code, out, redis_log, shutdowns_before=0)
    assert all(port_free(p) for p in [*ports.values(), redis_port])  # every child is gone
    assert (data / "hr.sqlite3").exists()
    assert (data / "redis" / "appendonly.aof").exists() or (data / "redis" / "appendonlydir").exists()

    # a second start reuses the data (no new admin) and the Redis binary recorded
    up = Launcher(data, ports, redis_port)
    up.wait_for("Stop: Ctrl-C")
    assert "First start" not in up.text
    assert f"Redis: started {BinaryRecord.read(data / 'redis').path} " in up.text
    r = httpx.post(f"http://127.0.0.1:{ports['hr']}/auth/login", json={"username": "admin", "password": password})
    assert r.status_code == 200
    code, out = up.ctrl_c()
    assert_stopped_quietly_redis_last(code, out, redis_log, shutdowns_before=1)


# -- the supervisor, on small processes ---------------------------------------------------------------


def test_a_child_that_keeps_dying_is_restarted_with_a_capped_backoff():
    said: list[str] = []
    supervisor = Supervisor(Backoff(first=0.05, cap=0.2, settled=30), say=said.append)
    supervisor.add("crasher", lambda: subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]))
    end = time.monotonic() + 3
    while time.monotonic() < end and supervisor.children["crasher"].restarts < 6:
        supervisor.supervise()
        time.sleep(0.01)
    supervisor.stop(["crasher"])
    exits = [s for s in said if "exited" in s]
    assert exits[:6] == [
        f"crasher exited with code 3; restarting in {d:g} s (restart {n})"
        for n, d in enumerate([0.05, 0.1, 0.2, 0.2, 0.2, 0.2], start=1)
    ]
    assert sum("crasher started again" in s for s in said) >= 5


def test_a_child_that_cannot_start_is_retried_not_dropped(tmp_path):
    said: list[str] = []
    supervisor = Supervisor(Backoff(first=0.05, cap=0.1, settled=30), say=said.append)
    missing = tmp_path / "no-such-program"
    child = supervisor.add("ghost", lambda: subprocess.Popen([str(missing)]))
    end = time.monotonic() + 2
    while time.monotonic() < end and child.restarts < 3:
        supervisor.supervise()
        time.sleep(0.01)
    assert child.restarts == 3
    assert said[0].startswith("ghost did not start (") and said[0].endswith("restarting in 0.05 s (restart 1)")
    # once it can start, it runs and is no longer restarted
    missing.write_text("#!/bin/sh\nexec sleep 30\n")
    missing.chmod(0o755)
    while time.monotonic() < end + 2 and not child.running:
        supervisor.supervise()
        time.sleep(0.01)
    assert child.running
    supervisor.stop(["ghost"])
    assert said[-1] == "stopped ghost" and not child.running


def test_backoff_doubles_to_its_cap_and_resets_after_a_settled_run():
    b = Backoff(first=1, cap=30, settled=60)
    delays, previous = [], 0.0
    for _ in range(7):
        previous = b.after(previous, lived=2)
        delays.append(previous)
    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert b.after(30, lived=61) == 1


def test_a_stopped_child_is_not_restarted_and_one_ignoring_sigterm_is_killed():
    said: list[str] = []
    supervisor = Supervisor(Backoff(first=0.01), say=said.append)
    sleeper = supervisor.add("sleeper", lambda: subprocess.Popen(["sleep", "30"]))
    stubborn = supervisor.add("stubborn", lambda: subprocess.Popen(
        ["sleep", "30"], preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN)))
    supervisor.stop(["sleeper", "stubborn"], timeout=0.5)
    supervisor.supervise(time.monotonic() + 5)
    assert not sleeper.running and not stubborn.running and not supervisor.children
    assert said == ["stubborn did not stop in 0.5 s and was killed", "stopped sleeper, stubborn (code -9)"]


# -- the Redis binary record ----------------------------------------------------------------------------


def fake_redis(where: Path, version: str) -> Path:
    """A ``redis-server`` that only answers ``--version``."""
    where.mkdir(parents=True, exist_ok=True)
    path = where / "redis-server"
    path.write_text(f"#!/bin/sh\necho 'Redis server v={version} sha=00000000:0 malloc=libc bits=64'\n")
    path.chmod(0o755)
    return path


def test_a_fresh_dir_records_the_binary_and_a_second_start_reuses_it(tmp_path, monkeypatch):
    real = find_binary()
    server = RedisServer(tmp_path / "redis", appendonly=False).start()
    server.stop()
    record = BinaryRecord.read(tmp_path / "redis")
    assert record.path == real and record.version.startswith("Redis server v=")
    # a newer redis-server now comes first on PATH: the recorded one still opens the dir
    newer = fake_redis(tmp_path / "bin", "99.0.1")
    monkeypatch.setenv("PATH", f"{newer.parent}{os.pathsep}{os.environ['PATH']}")
    assert find_binary() == str(newer)
    again = RedisServer(tmp_path / "redis", appendonly=False).start()
    try:
        assert again.binary == real
    finally:
        again.stop()
    # while a fresh dir records what is found first
    assert choose_binary(tmp_path / "fresh") == BinaryRecord(
        str(newer), "Redis server v=99.0.1 sha=00000000:0 malloc=libc bits=64")


def test_a_dir_recorded_with_a_binary_that_is_gone_is_refused(tmp_path):
    data = tmp_path / "redis"
    data.mkdir()
    BinaryRecord("/opt/redis-6/bin/redis-server", "Redis server v=6.2.14 sha=0").write(data)
    with pytest.raises(RuntimeError) as refused:
        RedisServer(data)
    message = str(refused.value)
    assert "/opt/redis-6/bin/redis-server (Redis server v=6.2.14 sha=0)" in message
    assert "no longer there" in message and find_binary() in message
    assert "REDIS_URL" in message and f"move {data}" in message
    assert not (data / "redis.log").exists()  # nothing was started


def test_a_recorded_binary_that_now_reports_another_major_version_is_refused(tmp_path):
    data = tmp_path / "redis"
    data.mkdir()
    upgraded = fake_redis(tmp_path / "bin", "7.0.15")
    BinaryRecord(str(upgraded), "Redis server v=6.2.14 sha=0").write(data)
    with pytest.raises(RuntimeError, match=r"v=6\.2\.14.*another major version \(Redis server v=7\.0\.15"):
        RedisServer(data)
    assert (data / RECORD).read_text().splitlines()[1] == "Redis server v=6.2.14 sha=0"  # record kept


def test_unrecorded_data_of_another_major_version_is_refused_and_matching_data_recorded(tmp_path, monkeypatch):
    """Data dirs from before records were kept: the append-only layout tells the major version."""
    six, seven = fake_redis(tmp_path / "bin6", "6.2.14"), fake_redis(tmp_path / "bin7", "7.0.15")
    old_aof = tmp_path / "old"
    old_aof.mkdir()
    (old_aof / "appendonly.aof").write_text("*1\r\n$4\r\nPING\r\n")  # written by a Redis before 7
    new_aof = tmp_path / "new"
    (new_aof / "appendonlydir").mkdir(parents=True)  # written by Redis 7 or later

    monkeypatch.setenv("PATH", f"{six.parent}{os.pathsep}{os.environ['PATH']}")
    assert choose_binary(old_aof).path == str(six)
    with pytest.raises(RuntimeError, match=r"appendonlydir/, written by Redis 7 or later, which it would not read"):
        choose_binary(new_aof)
    monkeypatch.setenv("PATH", f"{seven.parent}{os.pathsep}{os.environ['PATH']}")
    assert choose_binary(new_aof).path == str(seven)
    with pytest.raises(RuntimeError, match=r"no BINARY record.*v=7\.0\.15.*appendonly\.aof.*convert one way"):
        choose_binary(old_aof)


def test_the_launcher_refuses_a_data_dir_recorded_with_another_binary(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "redis").mkdir(parents=True)
    BinaryRecord(str(tmp_path / "gone" / "redis-server"), "Redis server v=6.2.14 sha=0").write(data / "redis")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("WORKFORCE_REDIS_PORT", str(free_port()))
    suite = Suite(topology.settings({"WORKFORCE_DATA_DIR": str(data)}))
    with pytest.raises(RuntimeError, match="no longer there"):
        suite.start()
    assert suite.redis is None and not suite.supervisor.children


def test_a_redis_left_running_by_a_killed_launcher_keeps_a_second_one_off_its_data(tmp_path):
    from deploy.redis_server import RedisServer

    first = RedisServer(tmp_path / "redis", appendonly=False).start()
    try:
        orphan_pid = first.proc.pid
        second = RedisServer(tmp_path / "redis", appendonly=False)  # another `up`, the first never stopped
        with pytest.raises(RuntimeError, match=f"pid {orphan_pid}.*still uses"):
            second.start()
        assert second.proc is None
    finally:
        first.stop()
    RedisServer(tmp_path / "redis", appendonly=False).start().stop()  # once it is gone, the dir is free
