"""The CLI's HTTP client: the three services' URLs, the saved token, and
problem details turned into readable errors."""
from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx

from deploy import topology
from shared.config import Settings

T = TypeVar("T")
R = TypeVar("R")


def config_dir() -> Path:
    return Path(os.environ.get("WORKFORCE_CONFIG_DIR", Path.home() / ".config" / "workforce"))


def credentials_file() -> Path:
    return config_dir() / "credentials.json"


def save_token(token: str, username: str, hr_url: str) -> None:
    path = credentials_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"token": token, "username": username, "hr_url": hr_url}, fh)


def saved_token() -> str | None:
    if os.environ.get("WORKFORCE_TOKEN"):
        return os.environ["WORKFORCE_TOKEN"]
    try:
        return json.loads(credentials_file().read_text())["token"]
    except (OSError, ValueError, KeyError):
        return None


def token_claims(token: str) -> dict:
    """The claims of a bearer token, read without checking the signature (the
    services check it; the CLI only wants the role and jurisdiction to show)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


class ApiError(click.ClickException):
    """A problem+json answer, shown as the CLI's error."""

    def __init__(self, response: httpx.Response):
        self.status = response.status_code
        self.body: dict = {}
        try:
            body = response.json()
            if isinstance(body, dict):
                self.body = body
            parts = [f"{response.status_code} {body.get('code', '')}: {body.get('detail', '')}"]
            if body.get("detail_zh"):
                parts.append(body["detail_zh"])
            if body.get("field"):
                parts.append(f"field: {body['field']}")
            if body.get("clause"):
                parts.append(f"clause: {body['clause']}")
            message = "\n  ".join(parts)
        except ValueError:
            message = f"{response.status_code}: {response.text[:500]}"
        super().__init__(message)
        self.response = response

    @property
    def code(self) -> str:
        return str(self.body.get("code", ""))

    @property
    def field(self) -> str | None:
        return self.body.get("field")

    @property
    def detail(self) -> str:
        return str(self.body.get("detail") or self.response.text[:300])

    @property
    def detail_zh(self) -> str:
        return str(self.body.get("detail_zh", ""))


class Client:
    def __init__(self, settings: Settings | None = None, token: str | None = None, timeout: float = 120.0):
        self.settings = settings or topology.settings()
        self.urls = {
            svc: os.environ.get(f"WORKFORCE_{svc.upper()}_URL", self.settings.url_of(svc)) for svc in topology.SERVICES
        }
        self.token = token if token is not None else saved_token()
        self.http = httpx.Client(timeout=timeout, limits=httpx.Limits(max_connections=32, max_keepalive_connections=32))

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, service: str, path: str, **kw) -> httpx.Response:
        try:
            r = self.http.request(method, self.urls[service] + path,
                                  headers={**self._headers(), **kw.pop("headers", {})}, **kw)
        except httpx.ConnectError as exc:
            raise click.ClickException(f"cannot reach the {service} service at {self.urls[service]}: {exc}") from exc
        if r.status_code >= 400:
            raise ApiError(r)
        return r

    def get(self, service: str, path: str, **kw) -> Any:
        return self.request("GET", service, path, **kw).json()

    def post(self, service: str, path: str, json: Any = None, **kw) -> Any:
        r = self.request("POST", service, path, json=json, **kw)
        return r.json() if r.content else None

    def put(self, service: str, path: str, json: Any = None, **kw) -> Any:
        r = self.request("PUT", service, path, json=json, **kw)
        return r.json() if r.content else None

    def get_bytes(self, service: str, path: str, **kw) -> bytes:
        return self.request("GET", service, path, **kw).content

    def exists(self, service: str, path: str) -> bool:
        """Whether a GET answers (404 is no; other problems are raised)."""
        try:
            self.request("GET", service, path)
            return True
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise

    def pages(self, service: str, path: str, params: dict | None = None, limit: int = 500) -> Iterator[dict]:
        """Every item of a paged list (``{items, total, limit, offset}``)."""
        offset = 0
        while True:
            page = self.get(service, path, params={**(params or {}), "limit": limit, "offset": offset})
            yield from page["items"]
            offset += limit
            if offset >= page["total"] or not page["items"]:
                return

    def login(self, username: str, password: str) -> dict:
        return self.post("hr", "/auth/login", {"username": username, "password": password})

    def claims(self) -> dict:
        """Role (``role``), jurisdiction (``jur``) and worker (``wid``) of the token in use."""
        return token_claims(self.token or "")

    def require_token(self) -> None:
        if not self.token:
            raise click.ClickException("Not logged in: run `workforce login` first (or set WORKFORCE_TOKEN).")

    def map(self, fn: Callable[[T], R], items: Iterable[T], workers: int = 8) -> Iterator[tuple[T, R | Exception]]:
        """``fn`` over ``items`` on a few threads (the services serve requests
        concurrently); yields (item, result or the ``ApiError`` raised) as each finishes,
        in input order."""
        def run(item: T):
            try:
                return item, fn(item)
            except ApiError as exc:
                return item, exc

        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(run, items)

    def close(self) -> None:
        self.http.close()
