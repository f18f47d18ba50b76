"""``/auth``: a username and password exchanged for a bearer token."""
from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from hr_service import store
from hr_service.api.schemas import Login, TokenOut
from shared.auth import TokenIssuer
from shared.web import Svc, now


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", exclude_from_auth=True, sync_to_thread=True, status_code=200)
    def login(self, svc: Svc, data: JSONBody[Login]) -> TokenOut:
        """Exchange a username and password for a bearer token (Ed25519-signed JWT)."""
        with svc.db.read_session() as s:
            principal = store.authenticate(s, data.username, data.password)
        issuer: TokenIssuer = svc.extra["token_issuer"]
        token, expires = issuer.issue(principal, now())
        return TokenOut(token, "Bearer", expires, principal.role, principal.jurisdiction, principal.worker_id)
