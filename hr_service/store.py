"""HR's queries and transactions."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service.tables import UserAccount, Worker
from shared.auth import Principal, Role, hash_password, verify_password
from shared.errors import Conflict, NotFound, Problem


def authenticate(session: Session, username: str, password: str) -> Principal:
    user = session.execute(select(UserAccount).where(UserAccount.username == username)).scalar_one_or_none()
    # Verify against a dummy hash when the user is unknown, so timing does not tell.
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not user or not ok or not user.active:
        raise Problem(
            "bad_credentials", "Unknown username or wrong password.", "用户名或密码错误。", status=401
        )
    return Principal(sub=user.username, role=Role(user.role), jurisdiction=user.jurisdiction, worker_id=user.worker_id)


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def create_user(
    session: Session, *, username: str, password: str, role: Role, jurisdiction: str,
    worker_id: int | None, now: datetime,
) -> UserAccount:
    if session.execute(select(UserAccount.id).where(UserAccount.username == username)).first():
        raise Conflict("username_taken", f"Username '{username}' is taken.", f"用户名“{username}”已被使用。", field="username")
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


def create_worker(
    session: Session, *, name: str, id_number: str, jurisdiction: str, community_code: str | None,
    post: str, grade: int, hired_on: date, now: datetime,
) -> Worker:
    if session.execute(select(Worker.id).where(Worker.id_number == id_number)).first():
        raise Conflict("id_number_taken", "A worker with this ID number exists.", "该身份证号码已登记。", field="id_number")
    worker = Worker(
        name=name, id_number=id_number, jurisdiction=jurisdiction, community_code=community_code,
        post=post, grade=grade, status="active", hired_on=hired_on, created_at=now,
    )
    session.add(worker)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same ID number
        raise Conflict("id_number_taken", "A worker with this ID number exists.", "该身份证号码已登记。",
                       field="id_number") from exc
    return worker


def list_workers(session: Session, principal: Principal, limit: int, offset: int) -> tuple[list[Worker], int]:
    q = select(Worker)
    if principal.role is Role.worker:
        q = q.where(Worker.id == principal.worker_id)
    else:
        q = q.where((Worker.jurisdiction == principal.jurisdiction) | Worker.jurisdiction.startswith(principal.jurisdiction + "."))
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(Worker.id).limit(limit).offset(offset)).scalars().all()
    return list(rows), total
