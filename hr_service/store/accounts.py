"""Logins: authenticating, creating accounts, the first admin (D-8 roles)."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service.tables import UserAccount, Worker
from shared.auth import Principal, Role, hash_password, verify_password
from shared.errors import Conflict, NotFound, Problem

# Verified against when the user is unknown, so timing does not tell.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def authenticate(session: Session, username: str, password: str) -> Principal:
    """The principal of a username and password; 401 for an unknown user, a wrong password or a closed account."""
    user = session.execute(select(UserAccount).where(UserAccount.username == username)).scalar_one_or_none()
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if not user or not ok or not user.active:
        raise Problem(
            "bad_credentials", "Unknown username or wrong password.", "用户名或密码错误。", status=401
        )
    return Principal(sub=user.username, role=Role(user.role), jurisdiction=user.jurisdiction, worker_id=user.worker_id)


def create_user(
    session: Session, *, username: str, password: str, role: Role, jurisdiction: str,
    worker_id: int | None, now: datetime,
) -> UserAccount:
    """A new login; a worker's account is bound to the worker's record and jurisdiction."""
    if session.execute(select(UserAccount.id).where(UserAccount.username == username)).first():
        raise Conflict("username_taken", f"Username '{username}' is taken.", f"用户名“{username}”已被使用。",
                       field="username")
    if role is Role.worker:
        if worker_id is None:
            raise Problem("worker_id_required", "A worker account needs worker_id.", "职工账号须指定 worker_id。",
                          field="worker_id", status=422)
        worker = session.get(Worker, worker_id)
        if worker is None:
            raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
        jurisdiction = worker.jurisdiction
    user = UserAccount(
        username=username, password_hash=hash_password(password), role=role.value,
        jurisdiction=jurisdiction, worker_id=worker_id, active=True, created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def ensure_admin(session: Session, city: str, password: str | None, now: datetime) -> str | None:
    """Create the first admin account if there is none. Returns the password
    when it was generated (to be printed once), else None."""
    if session.execute(select(UserAccount.id).where(UserAccount.role == Role.admin.value)).first():
        return None
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(12)
    session.add(UserAccount(
        username="admin", password_hash=hash_password(password), role=Role.admin.value,
        jurisdiction=city, worker_id=None, active=True, created_at=now,
    ))
    return generated
