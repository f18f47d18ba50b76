"""HR's HTTP API: login, accounts, workers, the caller's own record."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service import store
from hr_service.tables import Worker
from shared.auth import Principal, Role, TokenIssuer, ensure_visible, require_jurisdiction, requires
from shared.errors import NotFound
from shared.paging import Page, check_paging
from shared.web import Svc, now

NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class Login(msgspec.Struct, forbid_unknown_fields=True):
    username: NonEmpty
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenOut(msgspec.Struct):
    access_token: str
    token_type: str
    expires_at: datetime
    role: Role
    jurisdiction: str
    worker_id: int | None = None


class NewUser(msgspec.Struct, forbid_unknown_fields=True):
    username: NonEmpty
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=200)]
    role: Role
    jurisdiction: NonEmpty
    worker_id: int | None = None


class UserOut(msgspec.Struct):
    id: int
    username: str
    role: Role
    jurisdiction: str
    worker_id: int | None


class NewWorker(msgspec.Struct, forbid_unknown_fields=True):
    name: NonEmpty
    id_number: Annotated[str, msgspec.Meta(min_length=18, max_length=18)]
    jurisdiction: NonEmpty
    post: NonEmpty
    grade: Annotated[int, msgspec.Meta(ge=1, le=18)]
    hired_on: date
    community_code: str | None = None


class WorkerOut(msgspec.Struct):
    id: int
    name: str
    jurisdiction: str
    community_code: str | None
    post: str
    grade: int
    status: str
    hired_on: date
    left_on: date | None


def worker_out(w: Worker) -> WorkerOut:
    return WorkerOut(
        id=w.id, name=w.name, jurisdiction=w.jurisdiction, community_code=w.community_code,
        post=w.post, grade=w.grade, status=w.status, hired_on=w.hired_on, left_on=w.left_on,
    )


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


class UserController(Controller):
    path = "/users"
    tags = ["auth"]
    guards = [requires(Role.admin)]

    @post("/", sync_to_thread=True)
    def create_user(self, svc: Svc, request: Request, data: JSONBody[NewUser]) -> UserOut:
        """Create a login (admin only, within the admin's jurisdiction)."""
        principal: Principal = request.user
        require_jurisdiction(principal, data.jurisdiction)
        with svc.db.transaction() as s:
            u = store.create_user(
                s, username=data.username, password=data.password, role=data.role,
                jurisdiction=data.jurisdiction, worker_id=data.worker_id, now=now(),
            )
            return UserOut(u.id, u.username, Role(u.role), u.jurisdiction, u.worker_id)


class WorkerController(Controller):
    path = "/workers"
    tags = ["workers"]

    @post("/", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def create_worker(self, svc: Svc, request: Request, data: JSONBody[NewWorker]) -> WorkerOut:
        require_jurisdiction(request.user, data.jurisdiction)
        with svc.db.transaction() as s:
            w = store.create_worker(
                s, name=data.name, id_number=data.id_number, jurisdiction=data.jurisdiction,
                community_code=data.community_code, post=data.post, grade=data.grade,
                hired_on=data.hired_on, now=now(),
            )
            return worker_out(w)

    @get("/", sync_to_thread=True)
    def list_workers(
        self, svc: Svc, request: Request,
        limit: FromQuery[int] = 50,
        offset: FromQuery[int] = 0,
    ) -> Page[WorkerOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_workers(s, request.user, limit, offset)
            return Page([worker_out(w) for w in rows], total, limit, offset)

    @get("/{worker_id:int}", sync_to_thread=True)
    def get_worker(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> WorkerOut:
        """A worker's record. Another person's record answers 404 (D-8)."""
        with svc.db.read_session() as s:
            w = s.get(Worker, worker_id)
            if w is None:
                raise NotFound("worker", "社区工作者", worker_id)
            ensure_visible(request.user, w.jurisdiction, w.id, "worker", "社区工作者", worker_id)
            return worker_out(w)


class MeController(Controller):
    path = "/me"
    tags = ["me"]

    @get("/", sync_to_thread=True)
    def me(self, svc: Svc, request: Request) -> WorkerOut:
        """The calling worker's own record."""
        principal: Principal = request.user
        if principal.worker_id is None:
            raise NotFound("worker record for", "职工档案", principal.sub)
        with svc.db.read_session() as s:
            w = s.get(Worker, principal.worker_id)
            if w is None:
                raise NotFound("worker", "社区工作者", principal.worker_id)
            return worker_out(w)


ROUTES = [AuthController, UserController, WorkerController, MeController]
