"""Token versions in Redis: how a deactivated account's tokens stop at once on
every service without a call to HR per request (D-18).

Each account has a token version (``user_account.token_version``); a token
carries the version it was issued with (claim ``ver``). Whatever must end the
account's tokens (deactivation, reactivation, a password change, a one-time
password) raises the version in HR's database and, inside the same
transaction before it commits, in the Redis hash ``workforce:token_version``
(``{username: version}``); if Redis refuses, the change rolls back (503). Every
service's ``BearerAuthMiddleware`` reads the hash with one ``HGET`` on a
pooled client kept per app: a token whose ``ver`` is below the stored version
is refused (401 ``token_revoked``).

The hash only ever rises (``raise_to`` is a compare-and-raise script), so a
change whose commit fails after Redis took it leaves Redis a step ahead: HR
issues tokens with the higher of the two versions and the next change goes
above both.

Redis unreachable: writes that revoke are refused (503, nothing changes);
checks use the last version this process saw for that user (a bounded map),
log a warning and retry Redis after a short pause, so a service keeps serving
and a token revoked before the outage and seen since stays refused. A token
of an account this process never saw checked is let through on its signature
and expiry alone until Redis answers again.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import redis
import redis.asyncio

from shared.errors import Problem

log = logging.getLogger(__name__)

KEY = "workforce:token_version"
"""The Redis hash of token versions: field the username, value the version."""

REMEMBERED = 10_000
"""How many users' last seen versions a process keeps for a Redis outage."""

PAUSE_SECONDS = 2.0
"""After Redis failed, how long checks use the remembered versions before trying it again."""

# Raise each field to the given version, never lower it: KEYS[1] the hash, ARGV user, version, user, version…
_RAISE = """
for i = 1, #ARGV, 2 do
  local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '-1')
  if tonumber(ARGV[i + 1]) > cur then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return #ARGV / 2
"""


def unavailable(exc: Exception) -> Problem:
    """The refusal of a change that must revoke tokens while Redis is down (D-18)."""
    return Problem("revocation_unavailable",
                   f"Tokens cannot be revoked now (the token store does not answer: {exc.__class__.__name__}); "
                   "nothing was changed, try again.",
                   "暂时无法吊销令牌（令牌存储无响应），未作任何更改，请稍后重试。", status=503, clause="D-18")


class Revocations:
    """The token-version hash on one pooled Redis client, with the last versions seen."""

    def __init__(self, url: str | None, *, timeout: float = 0.5):
        self.client: Any = (redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
                            if url else None)
        self.url, self.timeout = url, timeout
        self.seen: OrderedDict[str, int] = OrderedDict()
        self.paused_until = 0.0
        self.reader: Any = None  # the middleware's asyncio client, bound to the loop that made it
        self.reader_loop: asyncio.AbstractEventLoop | None = None

    @property
    def configured(self) -> bool:
        return self.client is not None

    def _remember(self, username: str, version: int) -> None:
        self.seen[username] = version
        self.seen.move_to_end(username)
        while len(self.seen) > REMEMBERED:
            self.seen.popitem(last=False)

    # --- the writer (HR), inside its transaction: errors propagate --------------

    def stored(self, usernames: Iterable[str]) -> dict[str, int]:
        """The stored versions of ``usernames`` (absent ones left out); raises ``unavailable``."""
        names = list(usernames)
        if not self.configured or not names:
            return {}
        try:
            values = self.client.hmget(KEY, names)
        except redis.RedisError as exc:
            raise unavailable(exc) from exc
        return {n: int(v) for n, v in zip(names, values, strict=True) if v is not None}

    def raise_to(self, versions: Mapping[str, int]) -> None:
        """Raise each user's stored version to at least the one given; raises ``unavailable``."""
        if not self.configured:
            log.warning("no Redis configured: %d token version(s) not published", len(versions))
            return
        items = list(versions.items())
        try:
            for i in range(0, len(items), 5000):
                args = [x for name, version in items[i:i + 5000] for x in (name, version)]
                self.client.eval(_RAISE, 1, KEY, *args)
        except redis.RedisError as exc:
            raise unavailable(exc) from exc
        for name, version in items:
            if name in self.seen:
                self._remember(name, version)

    # --- the reader (every service's middleware): never raises ----------------

    def version(self, username: str) -> int | None:
        """The user's current token version: from Redis, or while it does not
        answer the last one this process saw (None: no version known)."""
        if not self.configured:
            return None
        if time.monotonic() >= self.paused_until:
            try:
                value = self.client.hget(KEY, username)
            except redis.RedisError as exc:
                self._pause(exc)
            else:
                return self._read(username, value)
        return self.seen.get(username)

    async def current(self, username: str) -> int | None:
        """``version`` for the auth middleware, on an asyncio client: a slow or
        stalled Redis holds up this request only, never the event loop."""
        if self.url is None:
            return None
        if time.monotonic() >= self.paused_until:
            loop = asyncio.get_running_loop()
            if self.reader is None or self.reader_loop is not loop:
                self.reader = redis.asyncio.Redis.from_url(self.url, socket_connect_timeout=self.timeout,
                                                           socket_timeout=self.timeout)
                self.reader_loop = loop
            try:
                value = await self.reader.hget(KEY, username)
            except (redis.RedisError, OSError) as exc:
                self._pause(exc)
            else:
                return self._read(username, value)
        return self.seen.get(username)

    def _pause(self, exc: Exception) -> None:
        self.paused_until = time.monotonic() + PAUSE_SECONDS
        log.warning("token versions unreachable (%s); using the last versions seen", exc)

    def _read(self, username: str, value: bytes | None) -> int | None:
        if value is None:
            return self.seen.get(username)
        self._remember(username, int(value))
        return int(value)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def for_app(state: Any, redis_url: str | None) -> Revocations:
    """The app's one ``Revocations`` (kept on ``app.state``), made on first use."""
    found = getattr(state, "revocations", None)
    if found is None:
        found = Revocations(redis_url)
        state.revocations = found
    return found
