"""Managing accounts (D-18): create, list, read, deactivate, reactivate, a
one-time password, unlock, the attempt log. Who may is
``rules.manage_refusal``: a read of an account one may not manage is 404
(D-8), a write 403."""
from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import Session

from hr_service.accounts import rules
from hr_service.accounts.store import (
    JURISDICTION,
    bump_versions,
    hash_one_time,
    one_time_password,
    password_rule,
    set_one_time_password,
)
from hr_service.accounts.tables import LoginAttempt, UserAccount
from hr_service.recruitment.tables import Community
from hr_service.tables import Worker
from shared.auth import Level, Principal, Role, hash_password
from shared.db import in_jurisdiction
from shared.errors import Conflict, Invalid, NotFound, Problem
from shared.paging import fetch_page
from shared.policy import Policies
from shared.revocation import Revocations


class UserFilter(msgspec.Struct, frozen=True):
    role: Role | None = None
    jurisdiction: str | None = None
    active: bool | None = None
    q: str | None = None  # part of the username or the worker's name


def by_hand_refusal(role: Role) -> Problem | None:
    if role is Role.worker:
        return Invalid("worker_account_by_hand", "Workers' accounts are created with the worker (hire, import) or "
                       "in bulk (POST /users/worker-accounts).",
                       "职工账号随职工登记（入职、导入）或批量生成，不能逐个手工创建。",
                       field="role", clause=rules.CLAUSE)
    return None


def secretary_jurisdiction(session: Session, community_code: str | None) -> str:
    """D-17: a community secretary's account lies where their community lies."""
    if not community_code:
        raise Invalid("community_code_required", "A community secretary's account names its community_code.",
                      "社区书记账号须指定所在社区（community_code）。", field="community_code", clause="D-17")
    community = session.execute(select(Community).where(Community.code == community_code)).scalar_one_or_none()
    if community is None:
        raise NotFound("community", "社区", community_code, field="community_code")
    return community.jurisdiction


def create_user(
    session: Session, actor: Principal, *, username: str, password: str | None, role: Role,
    jurisdiction: str | None, community_code: str | None, now: datetime, policies: Policies,
) -> tuple[UserAccount, str | None]:
    """An officer's or a secretary's account, and its one-time password when
    no password was given (a given one passes the password rule in force for
    the account's jurisdiction)."""
    refused = by_hand_refusal(role)
    if refused is not None:
        raise refused
    if role is Role.community_secretary:
        place = secretary_jurisdiction(session, community_code)
        if jurisdiction is not None and jurisdiction != place:
            raise Invalid("not_the_community_jurisdiction", f"Community {community_code} lies in {place}, not in "
                          f"{jurisdiction}.", f"社区 {community_code} 属于 {place}。", field="jurisdiction",
                          clause="D-17")
        jurisdiction = place
    elif jurisdiction is None:
        raise Invalid("jurisdiction_required", "An officer's account names its jurisdiction.",
                      "须指定账号的管辖范围。", field="jurisdiction")
    else:
        community_code = None
    refusal = rules.manage_refusal(actor, role, jurisdiction)
    if refusal is not None:
        raise refusal.problem()
    if session.execute(select(UserAccount.id).where(UserAccount.username == username)).first():
        raise Conflict("username_taken", f"Username '{username}' is taken.", f"用户名“{username}”已被使用。",
                       field="username")
    one_time = None
    if password is not None:
        refusal = rules.password_refusal(username, password, password_rule(session, policies, jurisdiction, now),
                                         field="password")
        if refusal is not None:
            raise refusal.problem()
    user = UserAccount(username=username, password_hash="", role=role.value, jurisdiction=jurisdiction,
                       community_code=community_code, worker_id=None, active=True, created_at=now,
                       created_by=actor.sub, token_version=0, must_change_password=password is None,
                       failed_logins=0)
    if password is None:
        one_time = one_time_password()
        user.password_hash = hash_one_time(one_time)
    else:
        user.password_hash = hash_password(password)
        user.password_changed_at = now
    session.add(user)
    session.flush()
    return user, one_time


# --- reading -----------------------------------------------------------------


def accounts() -> Select:
    return select(UserAccount, JURISDICTION.label("jur")).outerjoin(Worker, Worker.id == UserAccount.worker_id)


def managed_by(actor: Principal) -> ColumnElement[bool]:
    """SQL twin of ``rules.manage_refusal`` (short of the own-account check): the accounts ``actor`` manages."""
    within = in_jurisdiction(JURISDICTION, actor.jurisdiction)
    if actor.role is Role.admin:
        return within
    if actor.role is not Role.hr_officer:
        return false()
    lower_roles = UserAccount.role.in_([Role.worker.value, Role.community_secretary.value])
    # a city's officer: its districts' and streets' officers; a district's: its streets'; a street's: none
    lower = (JURISDICTION.startswith(actor.jurisdiction + ".", autoescape=True)
             if actor.level in (Level.city, Level.district) else false())
    return and_(within, UserAccount.role != Role.admin.value, or_(lower_roles, lower))


def list_users(session: Session, actor: Principal, f: UserFilter, limit: int, offset: int):
    """The accounts ``actor`` manages, filtered, by username; rows (account, its jurisdiction) and the total."""
    query = accounts().where(managed_by(actor))
    if f.role is not None:
        query = query.where(UserAccount.role == f.role.value)
    if f.jurisdiction:
        query = query.where(in_jurisdiction(JURISDICTION, f.jurisdiction))
    if f.active is not None:
        query = query.where(UserAccount.active == (true() if f.active else false()))
    if f.q:
        like = f"%{f.q}%"
        query = query.where(or_(UserAccount.username.like(like), Worker.name.like(like)))
    result, total = fetch_page(session, query, [UserAccount.username], limit, offset)
    return [(u, jur) for u, jur in result], total


def load(session: Session, user_id: int) -> tuple[UserAccount, str] | None:
    row = session.execute(accounts().where(UserAccount.id == user_id)).first()
    return (row[0], row[1]) if row else None


def readable(session: Session, actor: Principal, user_id: int) -> tuple[UserAccount, str]:
    """An account ``actor`` manages (or their own); any other answers 404 (D-8)."""
    found = load(session, user_id)
    if found is not None:
        user, jur = found
        refusal = rules.manage_refusal(actor, Role(user.role), jur)
        if refusal is None or user.username == actor.sub:
            return user, jur
    raise NotFound("account", "账号", user_id)


def writable(session: Session, actor: Principal, user_id: int) -> UserAccount:
    """An account ``actor`` may change: 404 when there is none, 403 outside their remit."""
    found = load(session, user_id)
    if found is None:
        raise NotFound("account", "账号", user_id)
    user, jur = found
    refusal = rules.manage_refusal(actor, Role(user.role), jur, user.username)
    if refusal is not None:
        raise refusal.problem()
    return user


# --- changing ----------------------------------------------------------------


def deactivate(session: Session, actor: Principal, user_id: int, reason: str, *, now: datetime,
               revocations: Revocations) -> UserAccount:
    """Close an account (D-18): it cannot log in and its tokens stop at once on every service."""
    user = writable(session, actor, user_id)
    if not user.active:
        raise Conflict("account_inactive", "The account is already deactivated.", "该账号已停用。", clause=rules.CLAUSE)
    user.active = False
    user.deactivated_at, user.deactivated_by, user.deactivation_reason = now, actor.sub, reason
    bump_versions(session, [user], revocations)
    return user


def reactivate(session: Session, actor: Principal, user_id: int, *, revocations: Revocations) -> UserAccount:
    """Open a closed account again (D-18); tokens from before stay revoked."""
    user = writable(session, actor, user_id)
    if user.active:
        raise Conflict("account_active", "The account is active.", "该账号处于启用状态。", clause=rules.CLAUSE)
    user.active = True
    user.failed_logins, user.locked_until = 0, None
    bump_versions(session, [user], revocations)
    return user


def reset_password(session: Session, actor: Principal, user_id: int, *, now: datetime,
                   revocations: Revocations) -> tuple[UserAccount, str]:
    """A one-time password set by an administrator or an officer above the account (D-18)."""
    user = writable(session, actor, user_id)
    return user, set_one_time_password(session, user, now, revocations)


def unlock(session: Session, actor: Principal, user_id: int) -> UserAccount:
    """Lift a temporary lock and clear the failures in a row (D-18)."""
    user = writable(session, actor, user_id)
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    return user


def attempts(session: Session, *, username: str | None = None, address: str | None = None,
             since: datetime | None = None, limit: int = 100, offset: int = 0):
    """The login attempt log, newest first."""
    query = select(LoginAttempt)
    if username is not None:
        query = query.where(LoginAttempt.username == username)
    if address is not None:
        query = query.where(LoginAttempt.address == address)
    if since is not None:
        query = query.where(LoginAttempt.at >= since)
    result, total = fetch_page(session, query, [LoginAttempt.at.desc(), LoginAttempt.id.desc()], limit, offset)
    return list(result.scalars()), total




def republish_versions(session: Session, revocations: Revocations) -> int:
    """Raise the stored token versions to the database's (D-18): a Redis that lost
    its data would otherwise let revoked tokens through. Run when HR starts; the
    hash only rises, so it is safe beside concurrent changes."""
    rows = session.execute(select(UserAccount.username, UserAccount.token_version)
                           .where(UserAccount.token_version > 0)).all()
    revocations.raise_to({name: version for name, version in rows})
    return len(rows)


__all__ = ["UserFilter", "attempts", "create_user", "deactivate", "list_users", "reactivate",
           "readable", "republish_versions", "reset_password", "unlock", "writable"]
