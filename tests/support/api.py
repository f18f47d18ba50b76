"""A small HTTP client for tests and feature steps: one per service, with the
caller's bearer token."""
from __future__ import annotations

from typing import Any

import httpx


class Api:
    def __init__(self, client: Any, token: str | None = None):
        self.client = client  # a litestar TestClient or an httpx.Client
        self.token = token

    def as_(self, token: str | None) -> Api:
        return Api(self.client, token)

    def _headers(self, extra: dict | None) -> dict:
        h = dict(extra or {})
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def get(self, path: str, **kw) -> httpx.Response:
        return self.client.get(path, headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, path: str, json: Any = None, **kw) -> httpx.Response:
        return self.client.post(path, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def put(self, path: str, json: Any = None, **kw) -> httpx.Response:
        return self.client.put(path, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def patch(self, path: str, json: Any = None, **kw) -> httpx.Response:
        return self.client.patch(path, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def delete(self, path: str, **kw) -> httpx.Response:
        return self.client.delete(path, headers=self._headers(kw.pop("headers", None)), **kw)


def login(hr: Any, username: str, password: str) -> str:
    r = hr.post("/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]
