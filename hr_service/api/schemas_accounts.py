"""The bodies of login and accounts (D-18): msgspec Structs in and out."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hr_service.accounts.workers import WorkerLogin
from shared.auth import Role
from shared.types import Id

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
    community_code: str | None = None
    must_change_password: bool = False  # D-18: the token serves only POST /auth/password


Password = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    """D-18: the caller's current password and the new one (the rule: ``hr_service.accounts.rules``)."""

    current_password: Password
    new_password: Password


class NewUser(msgspec.Struct, forbid_unknown_fields=True):
    """An officer's or a community secretary's account (D-18; workers' come with the worker).
    Without a password, a one-time password is generated and answered once."""

    username: NonEmpty
    role: Role
    password: Password | None = None
    jurisdiction: NonEmpty | None = None  # a secretary's is their community's
    community_code: NonEmpty | None = None  # a community secretary's community (D-17)
    worker_id: Id | None = None  # refused: workers' accounts are not made by hand


class UserOut(msgspec.Struct):
    id: int
    username: str
    role: Role
    jurisdiction: str
    worker_id: int | None
    community_code: str | None = None
    active: bool = True
    must_change_password: bool = False
    locked_until: datetime | None = None
    failed_logins: int = 0
    created_at: datetime | None = None
    created_by: str | None = None
    password_changed_at: datetime | None = None
    deactivated_at: datetime | None = None
    deactivated_by: str | None = None
    deactivation_reason: str | None = None
    one_time_password: str | None = None  # shown once, when it was just set


class UsersPage(msgspec.Struct):
    items: list[UserOut]
    total: int
    limit: int
    offset: int


class Deactivation(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class WorkerAccounts(msgspec.Struct, forbid_unknown_fields=True):
    """D-18: one-time passwords for workers, named or by jurisdiction (and community)."""

    worker_ids: Annotated[list[int], msgspec.Meta(max_length=10_000)] | None = None
    jurisdiction: NonEmpty | None = None
    community_code: NonEmpty | None = None
    only_without_password: bool = True



class WorkerLoginsOut(msgspec.Struct):
    count: int
    items: list[WorkerLogin]


class LoginAttemptOut(msgspec.Struct):
    id: int
    at: datetime
    username: str
    address: str
    outcome: str


class LoginAttemptsPage(msgspec.Struct):
    items: list[LoginAttemptOut]
    total: int
    limit: int
    offset: int
