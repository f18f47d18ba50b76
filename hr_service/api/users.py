"""``/users`` and ``/login-attempts``: accounts managed by administrators and,
for the accounts below them, HR officers (D-18, D-8); workers' one-time
passwords in bulk."""
from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service.accounts import admin, workers
from hr_service.accounts.tables import LoginAttempt, UserAccount
from hr_service.api.auth import revocations_of
from hr_service.api.schemas_accounts import (
    Deactivation,
    LoginAttemptOut,
    LoginAttemptsPage,
    NewUser,
    UserOut,
    UsersPage,
    WorkerAccounts,
    WorkerLoginsOut,
)
from shared.auth import Principal, Role, requires
from shared.errors import Invalid
from shared.paging import check_paging
from shared.types import IdArg
from shared.web import Svc, now


def user_out(u: UserAccount, jurisdiction: str | None = None, one_time_password: str | None = None) -> UserOut:
    return UserOut(
        u.id, u.username, Role(u.role), jurisdiction or u.jurisdiction, u.worker_id, u.community_code, u.active,
        u.must_change_password, u.locked_until, u.failed_logins, u.created_at, u.created_by, u.password_changed_at,
        u.deactivated_at, u.deactivated_by, u.deactivation_reason, one_time_password,
    )


def attempt_out(a: LoginAttempt) -> LoginAttemptOut:
    return LoginAttemptOut(a.id, a.at, a.username, a.address, a.outcome)


class UserController(Controller):
    path = "/users"
    tags = ["accounts"]
    guards = [requires(Role.hr_officer)]

    @get("/", sync_to_thread=True)
    def list_users(self, svc: Svc, request: Request, role: FromQuery[Role | None] = None,
                   jurisdiction: FromQuery[str | None] = None, active: FromQuery[bool | None] = None,
                   q: FromQuery[str | None] = None, limit: FromQuery[int] = 100,
                   offset: FromQuery[int] = 0) -> UsersPage:
        """The accounts the caller manages (an administrator's jurisdiction, an
        officer's accounts below them), by username."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = admin.list_users(s, request.user, admin.UserFilter(role, jurisdiction, active, q),
                                           limit, offset)
            return UsersPage([user_out(u, jur) for u, jur in rows], total, limit, offset)

    @post("/", sync_to_thread=True)
    def create_user(self, svc: Svc, request: Request, data: JSONBody[NewUser]) -> UserOut:
        """Create an officer's or a community secretary's account; workers'
        come with the worker (422 ``worker_account_by_hand``)."""
        if data.worker_id is not None and data.role is not Role.worker:
            raise Invalid("worker_account_by_hand", "Only a worker's account has a worker_id, and it comes with "
                          "the worker.", "只有职工账号关联职工，且随职工生成。", field="worker_id", clause="D-18")
        with svc.db.transaction() as s:
            u, one_time = admin.create_user(s, request.user, username=data.username, password=data.password,
                                            role=data.role, jurisdiction=data.jurisdiction,
                                            community_code=data.community_code, now=now(), policies=svc.policies)
            return user_out(u, one_time_password=one_time)

    @get("/{user_id:int}", sync_to_thread=True)
    def get_user(self, svc: Svc, request: Request, user_id: FromPath[IdArg]) -> UserOut:
        with svc.db.read_session() as s:
            return user_out(*admin.readable(s, request.user, user_id))

    @post("/{user_id:int}/deactivate", sync_to_thread=True, status_code=200)
    def deactivate(self, svc: Svc, request: Request, user_id: FromPath[IdArg], data: JSONBody[Deactivation]) -> UserOut:
        """Close the account: no login, and its tokens stop at once on every service (D-18)."""
        with svc.db.transaction() as s:
            return user_out(admin.deactivate(s, request.user, user_id, data.reason, now=now(),
                                             revocations=revocations_of(request, svc)))

    @post("/{user_id:int}/reactivate", sync_to_thread=True, status_code=200)
    def reactivate(self, svc: Svc, request: Request, user_id: FromPath[IdArg]) -> UserOut:
        with svc.db.transaction() as s:
            return user_out(admin.reactivate(s, request.user, user_id, revocations=revocations_of(request, svc)))

    @post("/{user_id:int}/one-time-password", sync_to_thread=True, status_code=200)
    def one_time_password(self, svc: Svc, request: Request, user_id: FromPath[IdArg]) -> UserOut:
        """Set a one-time password, answered this once; it must be changed at the next login (D-18)."""
        with svc.db.transaction() as s:
            u, password = admin.reset_password(s, request.user, user_id, now=now(),
                                               revocations=revocations_of(request, svc))
            return user_out(u, one_time_password=password)

    @post("/{user_id:int}/unlock", sync_to_thread=True, status_code=200)
    def unlock(self, svc: Svc, request: Request, user_id: FromPath[IdArg]) -> UserOut:
        with svc.db.transaction() as s:
            return user_out(admin.unlock(s, request.user, user_id))

    @get("/{user_id:int}/login-attempts", sync_to_thread=True, guards=[requires(Role.admin)])
    def login_attempts(self, svc: Svc, request: Request, user_id: FromPath[IdArg], limit: FromQuery[int] = 100,
                       offset: FromQuery[int] = 0) -> LoginAttemptsPage:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            user, _ = admin.readable(s, request.user, user_id)
            rows, total = admin.attempts(s, username=user.username, limit=limit, offset=offset)
            return LoginAttemptsPage([attempt_out(a) for a in rows], total, limit, offset)

    @post("/worker-accounts", sync_to_thread=True, status_code=200)
    def worker_accounts(self, svc: Svc, request: Request, data: JSONBody[WorkerAccounts]) -> WorkerLoginsOut:
        """One-time passwords for workers in bulk (D-18), named by ``worker_ids``
        or by ``jurisdiction`` (and ``community_code``); opens the accounts of
        workers who have none. Each password is answered this once."""
        principal: Principal = request.user
        with svc.db.transaction() as s:
            rows = workers.issue_passwords(
                s, principal, worker_ids=data.worker_ids, jurisdiction=data.jurisdiction,
                community_code=data.community_code, only_without_password=data.only_without_password, now=now(),
                revocations=revocations_of(request, svc))
        return WorkerLoginsOut(len(rows), rows)


class LoginAttemptController(Controller):
    """The login attempt log (D-18), for administrators."""

    path = "/login-attempts"
    tags = ["accounts"]
    guards = [requires(Role.admin)]

    @get("/", sync_to_thread=True)
    def list_attempts(self, svc: Svc, address: FromQuery[str | None] = None, username: FromQuery[str | None] = None,
                      since: FromQuery[datetime | None] = None, limit: FromQuery[int] = 100,
                      offset: FromQuery[int] = 0) -> LoginAttemptsPage:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = admin.attempts(s, username=username, address=address, since=since, limit=limit,
                                         offset=offset)
            return LoginAttemptsPage([attempt_out(a) for a in rows], total, limit, offset)
