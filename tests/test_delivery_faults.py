"""Nothing lost, nothing applied twice, under real faults: Redis paused
(SIGSTOP) for longer than every socket timeout, every connection to Redis
reset again and again, a consumer and a relay killed with SIGKILL. Each test
keeps writing while the fault lasts, then finds every effect present exactly
once within a stated bound (docs/events.md, "Nothing lost")."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from deploy.redis_server import RedisServer
from shared.outbox import wait_until
from tests.support.delivery import Flow, credited, hired
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.faults

RECOVERY_BOUND = 30.0  # seconds from the end of the fault until every effect is present


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path / "redis", appendonly=False).start()
    yield server
    if server.proc and server.proc.poll() is None:
        os.kill(server.proc.pid, signal.SIGCONT)
    server.stop()


class Writer:
    """Hires a worker and credits them CPD hours every ``every`` seconds until stopped."""

    def __init__(self, flow: Flow, every: float = 0.03):
        self.flow, self.every, self.n = flow, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.n += 1
            self.flow.publish("hr", hired(self.n))
            self.flow.publish("training", credited(self.n))
            time.sleep(self.every)

    def __enter__(self) -> Writer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)


def assert_everything_once(flow: Flow, n: int) -> None:
    assert flow.arrived(n, n, timeout=RECOVERY_BOUND), (
        f"after {RECOVERY_BOUND:.0f} s: roster {flow.count('training', 'roster_worker')}, "
        f"profiles {flow.count('certs', 'profile')}, credits {flow.count('certs', 'cpd_credit')} of {n}; "
        f"unsent {flow.unsent()}, stranded {flow.stranded()}")
    assert wait_until(lambda: flow.unsent() == 0 and flow.stranded() == 0, timeout=10)
    # counted once nothing is left in flight: a late repeat would show here
    assert flow.count("training", "roster_worker") == n
    assert flow.count("certs", "profile") == n
    assert flow.count("certs", "cpd_credit") == n
    assert flow.count("certs", "failed_job") == 0 and flow.count("training", "failed_job") == 0


def test_a_redis_stall_longer_than_every_socket_timeout_loses_nothing(settings, own_redis):
    # redelivery is far off: only the broker's own recovery can bring back a lost fetch
    flow = Flow(settings, own_redis.url, socket_timeout=1.0, redeliver_after=600)
    try:
        flow.start_consumers()
        flow.start_relays()
        with Writer(flow) as writer:
            time.sleep(1.5)
            os.kill(own_redis.proc.pid, signal.SIGSTOP)
            time.sleep(3.5)  # > the 1 s socket timeout of every client
            os.kill(own_redis.proc.pid, signal.SIGCONT)
            time.sleep(1.5)
        assert writer.n > 50
        assert_everything_once(flow, writer.n)
    finally:
        flow.close()


def test_connections_reset_again_and_again_lose_nothing(settings, own_redis):
    proxy = TcpProxy(own_redis.port)
    flow = Flow(settings, proxy.url, socket_timeout=1.0, redeliver_after=600)
    try:
        flow.start_consumers()
        flow.start_relays()
        with Writer(flow) as writer:
            for _ in range(10):
                time.sleep(0.4)
                proxy.cut()
            time.sleep(1.0)
        assert proxy.cuts >= 10
        assert_everything_once(flow, writer.n)
    finally:
        flow.close()
        proxy.close()


def _worker(service: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "deploy.worker", service], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_consumer_and_a_relay_killed_mid_flow_lose_nothing(settings, own_redis):
    flow = Flow(settings, own_redis.url)  # publishes only: the workers below are processes
    env = {**os.environ, "WORKFORCE_DATA_DIR": str(settings.data_dir), "REDIS_URL": own_redis.url,
           "WORKFORCE_HEARTBEAT_TIMEOUT": "3", "WORKFORCE_REDELIVER_AFTER": "5",
           "WORKFORCE_REDIS_SOCKET_TIMEOUT": "1", "WORKFORCE_MAX_RETRIES": "30"}
    procs = {svc: _worker(svc, env) for svc in ("hr", "training", "certs")}
    try:
        with Writer(flow, every=0.02) as writer:
            time.sleep(2.0)
            procs["training"].kill()  # its consumer and its relay, mid-flow
            procs["training"].wait()
            time.sleep(1.0)
            procs["training"] = _worker("training", env)
            time.sleep(1.5)
            procs["hr"].kill()  # HR's relay
            procs["hr"].wait()
            time.sleep(1.0)
            procs["hr"] = _worker("hr", env)
            time.sleep(1.0)
        assert writer.n > 50
        assert_everything_once(flow, writer.n)
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        flow.close()
