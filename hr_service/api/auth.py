"""``/auth``: a username and password exchanged for a bearer token, and the
caller's own password change (D-18)."""
from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, Request, post
from litestar.params import JSONBody
from litestar.response import Response

from hr_service.accounts import store as accounts
from hr_service.api.schemas_accounts import Login, PasswordChange, TokenOut
from shared import revocation
from shared.auth import PASSWORD_CHANGE_ROUTE, Principal, TokenIssuer
from shared.errors import PROBLEM_MEDIA_TYPE, Refusal
from shared.revocation import Revocations
from shared.web import Service, Svc, now


def clock(svc: Service) -> datetime:
    """The time a login is judged at: the wall clock, unless the service was
    given another (``svc.extra["clock"]``, a function; the lock tests move it)."""
    return svc.extra.get("clock", now)()


def revocations_of(request: Request, svc: Service) -> Revocations:
    """The app's token-version store (``shared.revocation``), one pooled client per app."""
    return revocation.for_app(request.app.state, svc.settings.redis_url)


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def token_out(svc: Service, principal: Principal, at: datetime) -> TokenOut:
    issuer: TokenIssuer = svc.extra["token_issuer"]
    token, expires = issuer.issue(principal, at)
    return TokenOut(token, "Bearer", expires, principal.role, principal.jurisdiction, principal.worker_id,
                    principal.community, principal.must_change_password)


def refusal_response(request: Request, refusal: Refusal) -> Response:
    """A refused login as problem+json; a throttled one says when to retry (``Retry-After``, seconds)."""
    problem = refusal.problem()
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else {}
    if refusal.extra and "retry_after" in refusal.extra:
        headers["Retry-After"] = str(refusal.extra["retry_after"])
    return Response(content=msgspec.json.encode(problem.body(request.url.path)), status_code=problem.status,
                    media_type=PROBLEM_MEDIA_TYPE, headers=headers)


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", exclude_from_auth=True, sync_to_thread=True, status_code=200)
    def login(self, svc: Svc, request: Request, data: JSONBody[Login]) -> Response[TokenOut]:
        """Exchange a username and password for a bearer token (Ed25519-signed JWT).

        D-18: failures are throttled per account and per client address (429
        with ``Retry-After``), then the account locks (429 ``account_locked``);
        every attempt is logged. A one-time password's token
        (``must_change_password: true``) serves only ``POST /auth/password``."""
        at = clock(svc)
        with svc.db.transaction() as s:  # the attempt is logged whatever the answer
            decided = accounts.authenticate(s, data.username, data.password, address=address_of(request), now=at,
                                            policies=svc.policies, revocations=revocations_of(request, svc))
        if isinstance(decided, Refusal):
            return refusal_response(request, decided)
        return Response(token_out(svc, decided, now()))  # a token's times are the wall clock's

    @post("/password", sync_to_thread=True, status_code=200, opt={PASSWORD_CHANGE_ROUTE: True})
    def change_password(self, svc: Svc, request: Request, data: JSONBody[PasswordChange]) -> TokenOut:
        """Change the caller's own password (D-18); every earlier token of the
        account stops, and a fresh one is answered."""
        at = now()
        with svc.db.transaction() as s:
            principal = accounts.change_password(s, request.user, data.current_password, data.new_password,
                                                 now=at, policies=svc.policies,
                                                 revocations=revocations_of(request, svc))
        return token_out(svc, principal, at)
