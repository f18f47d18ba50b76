"""Settings from the environment, in one typed place.

Every variable is documented in the README's "Configuration" table. The
services themselves (their names and default ports) are the caller's to say.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    data_dir: Path
    database_urls: dict[str, str]
    redis_url: str | None
    host: str = "127.0.0.1"
    ports: dict[str, int]
    jwt_private_key_file: Path
    jwt_public_key_file: Path
    jwt_issuer: str = "workforce"
    token_ttl_minutes: int = 480
    admin_password: str | None = None
    max_retries: int = 3
    relay_interval_seconds: float = 0.2
    # delivery under faults (docs/events.md, "Nothing lost")
    redis_socket_timeout_seconds: float = 5.0
    heartbeat_timeout_seconds: float = 30.0
    redeliver_after_seconds: float = 60.0
    cors_origins: list[str] = msgspec.field(default_factory=list)
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, services: Mapping[str, int]) -> Settings:
        """Settings for ``services`` (each one's name and default port) from
        ``environ`` (default: this process's); ``deploy.topology.settings()``
        names the services."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("WORKFORCE_DATA_DIR", "data")).resolve()
        urls = {
            svc: env.get(f"WORKFORCE_{svc.upper()}_DB_URL") or f"sqlite:///{data_dir / (svc + '.sqlite3')}"
            for svc in services
        }
        ports = {svc: int(env.get(f"WORKFORCE_{svc.upper()}_PORT", port)) for svc, port in services.items()}
        keys = data_dir / "keys"
        return cls(
            data_dir=data_dir,
            database_urls=urls,
            redis_url=env.get("REDIS_URL") or None,
            host=env.get("WORKFORCE_HOST", "127.0.0.1"),
            ports=ports,
            jwt_private_key_file=Path(env.get("WORKFORCE_JWT_PRIVATE_KEY_FILE", keys / "jwt-ed25519.pem")),
            jwt_public_key_file=Path(env.get("WORKFORCE_JWT_PUBLIC_KEY_FILE", keys / "jwt-ed25519.pub.pem")),
            jwt_issuer=env.get("WORKFORCE_JWT_ISSUER", "workforce"),
            token_ttl_minutes=int(env.get("WORKFORCE_TOKEN_TTL_MINUTES", "480")),
            admin_password=env.get("WORKFORCE_ADMIN_PASSWORD") or None,
            max_retries=int(env.get("WORKFORCE_MAX_RETRIES", "3")),
            relay_interval_seconds=float(env.get("WORKFORCE_RELAY_INTERVAL", "0.2")),
            redis_socket_timeout_seconds=float(env.get("WORKFORCE_REDIS_SOCKET_TIMEOUT", "5")),
            heartbeat_timeout_seconds=float(env.get("WORKFORCE_HEARTBEAT_TIMEOUT", "30")),
            redeliver_after_seconds=float(env.get("WORKFORCE_REDELIVER_AFTER", "60")),
            log_level=env.get("WORKFORCE_LOG_LEVEL", "INFO").upper(),
            cors_origins=[o.strip() for o in env.get("WORKFORCE_CORS_ORIGINS", "").split(",") if o.strip()]
            or [f"http://{h}:{p}" for p in ports.values() for h in ("127.0.0.1", "localhost")],
        )

    def with_(self, **changes) -> Settings:
        return msgspec.structs.replace(self, **changes)

    def url_of(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"
