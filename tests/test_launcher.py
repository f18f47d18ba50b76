"""``workforce up`` as a user runs it: a fresh data dir, the embedded Redis,
three APIs answering /health, a clean stop on Ctrl-C, and a second start on
the same data."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from deploy.redis_server import free_port, port_free
from deploy.topology import SERVICES

pytestmark = pytest.mark.e2e


def start(data_dir: Path, ports: dict[str, int], redis_port: int) -> tuple[subprocess.Popen, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKFORCE_") and k != "REDIS_URL"}
    env.update({
        "WORKFORCE_DATA_DIR": str(data_dir), "WORKFORCE_REDIS_PORT": str(redis_port),
        **{f"WORKFORCE_{svc.upper()}_PORT": str(p) for svc, p in ports.items()},
    })
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.cli", "up"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    end = time.monotonic() + 90
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Stop: Ctrl-C" in line:
            return proc, lines
    proc.kill()
    pytest.fail("workforce up did not come up:\n" + "".join(lines))


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out


def test_up_answers_health_on_three_ports_and_stops_cleanly(tmp_path):
    ports = {svc: free_port() for svc in SERVICES}
    redis_port = free_port()
    data = tmp_path / "data"

    proc, lines = start(data, ports, redis_port)
    text = "".join(lines)
    password = re.search(r"Password: (\S+)", text).group(1)
    for svc, port in ports.items():
        r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        assert r.status_code == 200 and r.json()["service"] == svc and r.json()["broker"] == "ok"
    r = httpx.post(f"http://127.0.0.1:{ports['hr']}/auth/login", json={"username": "admin", "password": password})
    assert r.status_code == 200
    code, out = stop(proc)
    assert code == 0, out
    assert "Stopped." in out
    assert all(port_free(p) for p in [*ports.values(), redis_port])  # every child is gone
    assert (data / "hr.sqlite3").exists() and (data / "redis" / "appendonlydir").exists() or \
        (data / "redis" / "appendonly.aof").exists()

    # a second start reuses the data: no new admin, the old password still works
    proc, lines = start(data, ports, redis_port)
    assert "First start" not in "".join(lines)
    r = httpx.post(f"http://127.0.0.1:{ports['hr']}/auth/login", json={"username": "admin", "password": password})
    assert r.status_code == 200
    code, _ = stop(proc)
    assert code == 0
