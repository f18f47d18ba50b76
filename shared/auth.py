"""Authentication and access rules (clause D-8).

The HR service signs JWT bearer tokens with an Ed25519 private key; every
service verifies them with the public key alone, so no database or secret is
shared. A token carries the subject, the role, the jurisdiction and its level
(D-17: a city such as ``hangzhou``, a district ``hangzhou.gongshu``, a street
``hangzhou.gongshu.hushu``), for a community secretary the community's code,
for a worker the worker id, and the account's token version (D-18).
"""
from __future__ import annotations

import enum
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from shared import revocation
from shared.errors import Forbidden, NotFound, Problem, outside_jurisdiction


class Role(enum.StrEnum):
    admin = "admin"
    hr_officer = "hr_officer"
    training_coordinator = "training_coordinator"
    cert_officer = "cert_officer"
    community_secretary = "community_secretary"  # D-17: reads their own community, writes nothing
    worker = "worker"


class Level(enum.StrEnum):
    """D-17: the four organisation levels; a jurisdiction path's depth is its level."""

    city = "city"
    district = "district"
    street = "street"
    community = "community"


LEVELS = (Level.city, Level.district, Level.street)


def level_of(jurisdiction: str) -> Level:
    """``hangzhou`` city, ``hangzhou.xihu`` district, ``hangzhou.xihu.beishan`` street (D-17)."""
    return LEVELS[min(jurisdiction.count("."), len(LEVELS) - 1)]


OFFICER_ROLES = frozenset({Role.admin, Role.hr_officer, Role.training_coordinator, Role.cert_officer})


class Principal(msgspec.Struct, frozen=True):
    """Who is calling: the verified content of a bearer token."""

    sub: str
    role: Role
    jurisdiction: str
    worker_id: int | None = None
    community: str | None = None  # a community secretary's community code (D-17)
    ver: int = 0  # the account's token version when the token was issued (D-18)
    must_change_password: bool = False  # D-18: a one-time password's token, good only for changing it

    @property
    def level(self) -> Level:
        return Level.community if self.role is Role.community_secretary else level_of(self.jurisdiction)

    def covers(self, jurisdiction: str) -> bool:
        """A city covers its districts and streets, a district its streets, a
        street only itself (D-8, D-17)."""
        return jurisdiction == self.jurisdiction or jurisdiction.startswith(self.jurisdiction + ".")

    def sees_community(self, jurisdiction: str, community: str | None) -> bool:
        """A community secretary reads the records of their own community only (D-17)."""
        return self.covers(jurisdiction) and community is not None and community == self.community

    def may_see(self, jurisdiction: str, worker_id: int | None = None, community: str | None = None) -> bool:
        if self.role is Role.worker:
            return worker_id is not None and worker_id == self.worker_id
        if self.role is Role.community_secretary:
            return self.sees_community(jurisdiction, community)
        return self.covers(jurisdiction)


def district_in(city: str, jurisdiction: str) -> bool:
    return jurisdiction == city or jurisdiction.startswith(city + ".")


# --- passwords ---------------------------------------------------------------

# WORKFORCE_FAST_PASSWORD_HASHING=1 (tests only) uses cheap Argon2 parameters;
# each hash records its own parameters, so verification works either way.
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    if os.environ.get("WORKFORCE_FAST_PASSWORD_HASHING") == "1"
    else PasswordHasher()
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- keys and tokens ---------------------------------------------------------


def ensure_keys(private_file: Path, public_file: Path) -> None:
    """Create the Ed25519 key pair on first start; never overwrite one."""
    if private_file.exists() and public_file.exists():
        return
    private_file.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    fd = os.open(private_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    public_file.write_bytes(pub)


class TokenIssuer:
    def __init__(self, private_key_pem: bytes, issuer: str, ttl_minutes: int):
        self._key = serialization.load_pem_private_key(private_key_pem, password=None)
        self.issuer = issuer
        self.ttl = timedelta(minutes=ttl_minutes)

    def issue(self, principal: Principal, now: datetime) -> tuple[str, datetime]:
        expires = now + self.ttl
        claims: dict[str, Any] = {
            "sub": principal.sub,
            "role": principal.role.value,
            "jur": principal.jurisdiction,
            "lvl": principal.level.value,
            "ver": principal.ver,
            "iss": self.issuer,
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
        }
        if principal.worker_id is not None:
            claims["wid"] = principal.worker_id
        if principal.community is not None:
            claims["com"] = principal.community
        if principal.must_change_password:
            claims["pwd"] = 1
        return jwt.encode(claims, self._key, algorithm="EdDSA"), expires


class TokenVerifier:
    def __init__(self, public_key_pem: bytes, issuer: str):
        self._key = serialization.load_pem_public_key(public_key_pem)
        self.issuer = issuer

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self._key, algorithms=["EdDSA"], issuer=self.issuer, options={"require": ["exp", "sub"]}
            )
            return Principal(
                sub=str(claims["sub"]),
                role=Role(claims["role"]),
                jurisdiction=str(claims["jur"]),
                worker_id=claims.get("wid"),
                community=claims.get("com"),
                ver=int(claims.get("ver", 0)),
                must_change_password=bool(claims.get("pwd", 0)),
            )
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise NotAuthorizedException(f"Invalid bearer token: {exc}") from exc


def load_verifier(public_key_file: Path, issuer: str) -> TokenVerifier:
    return TokenVerifier(Path(public_key_file).read_bytes(), issuer)


# --- Litestar wiring ---------------------------------------------------------


PASSWORD_CHANGE_ROUTE = "password_change"
"""The ``opt`` flag of the one route a must-change-password token may call (D-18)."""


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    """Puts the verified Principal on ``request.user``; 401 without a valid token.

    D-18: a token whose version is below the account's current one (one HGET on
    the app's pooled Redis client, ``shared.revocation``) is refused with 401
    ``token_revoked``; a token issued for a one-time password reaches only the
    route flagged ``opt={"password_change": True}``, anything else 403
    ``password_change_required``."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException("A bearer token is required (Authorization: Bearer <token>).")
        verifier: TokenVerifier = connection.app.state.token_verifier
        principal = verifier.verify(token.strip())
        await check_token_version(connection, principal)
        if principal.must_change_password and not connection.route_handler.opt.get(PASSWORD_CHANGE_ROUTE):
            raise Forbidden("password_change_required",
                            "Change the one-time password first (POST /auth/password).",
                            "请先修改一次性密码（POST /auth/password）。", clause="D-18")
        return AuthenticationResult(user=principal, auth=token)


async def check_token_version(connection: ASGIConnection, principal: Principal) -> None:
    """401 ``token_revoked`` when the account's tokens were revoked after this one was issued (D-18)."""
    service = connection.app.state.get("service")
    revocations = revocation.for_app(connection.app.state, service.settings.redis_url if service else None)
    current = await revocations.current(principal.sub)
    if current is not None and principal.ver < current:
        raise Problem("token_revoked", "This token was revoked; log in again.", "此令牌已被吊销，请重新登录。",
                      status=401, clause="D-18")


def requires(*roles: Role) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """A guard: the caller's role must be one of ``roles`` (admin always passes)."""
    allowed = frozenset(roles) | {Role.admin}

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":  # no token asked: it answers Allow and CORS only
            return
        principal: Principal = connection.user
        if principal.role not in allowed:
            raise Forbidden(
                "role_not_allowed",
                f"Role '{principal.role.value}' may not do this; needs one of: "
                + ", ".join(sorted(r.value for r in allowed)) + ".",
                f"角色“{principal.role.value}”无权执行此操作。",
                clause="D-8",
            )

    return guard


STATISTICS_READERS = (Role.hr_officer, Role.training_coordinator, Role.cert_officer)
"""Who reads the statistics of every service within their jurisdiction:
aggregates that name nobody, so any officer may (S2-7, S3-7, D-17)."""


def require_jurisdiction(principal: Principal, jurisdiction: str, field: str = "jurisdiction") -> None:
    """Officers act only within their jurisdiction (D-8): a write elsewhere is 403."""
    if not principal.covers(jurisdiction):
        raise outside_jurisdiction(jurisdiction, principal.jurisdiction, field)


def ensure_visible(
    principal: Principal, jurisdiction: str, worker_id: int | None, what: str, what_zh: str, key: Any,
    community: str | None = None,
) -> None:
    """Another person's record answers 404, as if it did not exist (D-8); a
    community secretary sees the records of their ``community`` only (D-17)."""
    if not principal.may_see(jurisdiction, worker_id, community):
        raise NotFound(what, what_zh, key)
