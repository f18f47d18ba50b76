"""Serves the self-service page and tells it where the other two services are.

The page is public (no token to load it: its routes are ``exclude_from_auth``);
everything it shows it fetches with the worker's own bearer token, from HR on
the same origin and from training and certs across origins (CORS).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Response

from shared.errors import NotFound
from shared.web import Svc

STATIC = Path(__file__).parent / "static"

# The page's files, by the name it asks for, with their media types; nothing else is served.
FILES = {
    "index.html": "text/html",
    "app.js": "text/javascript",
    "account.js": "text/javascript",
    "app.css": "text/css",
}

WILDCARD_HOSTS = ("", "0.0.0.0", "::", "[::]")


class PageConfig(msgspec.Struct):
    """Where the page finds each service (HR is the page's own origin)."""

    hr: str
    training: str
    certs: str
    pay_months: int = 12


@cache
def _read(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def page_config(svc: Svc, request: Request) -> PageConfig:
    """The services' base URLs from HR's settings; when they listen on every
    interface, the host the browser used to reach HR is the one to call."""

    def base(name: str) -> str:
        if svc.settings.host in WILDCARD_HOSTS:
            host = request.url.hostname or "127.0.0.1"
            host = f"[{host}]" if ":" in host else host
            return f"{request.url.scheme}://{host}:{svc.settings.ports[name]}"
        return svc.settings.url_of(name)

    return PageConfig(hr="", training=base("training"), certs=base("certs"))


def _headers(config: PageConfig) -> dict[str, str]:
    csp = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {config.training} {config.certs}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": csp,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def _file(name: str, config: PageConfig) -> Response[bytes]:
    if name not in FILES:
        raise NotFound("page file", "页面文件", name)
    return Response(_read(name), media_type=FILES[name], headers=_headers(config))


class SelfServicePage(Controller):
    """The self-service page: the HTML, its script and style, and its configuration."""

    path = "/me/page"
    tags = ["me"]

    @get("/", exclude_from_auth=True, sync_to_thread=False, include_in_schema=False)
    def page(self, svc: Svc, request: Request) -> Response[bytes]:
        """The page (open it in a browser and log in as a worker)."""
        return _file("index.html", page_config(svc, request))

    @get("/config.json", exclude_from_auth=True, sync_to_thread=False)
    def config(self, svc: Svc, request: Request) -> PageConfig:
        """The base URLs the self-service page calls (HR's own origin is ``""``)."""
        return page_config(svc, request)

    @get("/{name:str}", exclude_from_auth=True, sync_to_thread=False, include_in_schema=False)
    def asset(self, svc: Svc, request: Request, name: FromPath[str]) -> Response[bytes]:
        return _file(name, page_config(svc, request))


ROUTES = [SelfServicePage]
