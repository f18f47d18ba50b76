"""The CLI's HTTP client: the three services' URLs, the saved token, and
problem details turned into readable errors."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
import httpx

from shared.config import SERVICES, Settings


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


class ApiError(click.ClickException):
    """A problem+json answer, shown as the CLI's error."""

    def __init__(self, response: httpx.Response):
        try:
            body = response.json()
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


class Client:
    def __init__(self, settings: Settings | None = None, token: str | None = None, timeout: float = 120.0):
        self.settings = settings or Settings.from_env()
        self.urls = {svc: os.environ.get(f"WORKFORCE_{svc.upper()}_URL", self.settings.url_of(svc)) for svc in SERVICES}
        self.token = token if token is not None else saved_token()
        self.http = httpx.Client(timeout=timeout)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, service: str, path: str, **kw) -> httpx.Response:
        try:
            r = self.http.request(method, self.urls[service] + path, headers=self._headers(), **kw)
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

    def login(self, username: str, password: str) -> dict:
        return self.post("hr", "/auth/login", {"username": username, "password": password})
