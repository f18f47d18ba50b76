"""Logging in and passwords (D-18): the throttle and lock around a login, the
attempt log, password changes, token versions, the first admin.

How passwords are kept: an owner's password with Argon2 (``shared.auth``); a
one-time password with one salted SHA-256 (``otp$salt$digest``), because it is
random with about 69 bits of entropy, which no fast hash lets anyone guess,
and the bulk issue for a district's 11,800 workers cannot spend 50 ms on each;
a worker's account made with the worker holds ``NO_PASSWORD``, which never
verifies, until a one-time password is issued.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service.accounts import rules
from hr_service.accounts.rules import LoginState, PasswordRule, ThrottlePolicy
from hr_service.accounts.tables import LoginAttempt, UserAccount
from hr_service.rules import CITY
from hr_service.tables import Worker
from shared.auth import Principal, Role, hash_password, verify_password
from shared.db import as_utc
from shared.errors import Invalid, NotFound, Refusal
from shared.policy import Policies
from shared.revocation import Revocations
from shared.web import LOCAL_TZ

NO_PASSWORD = "!no-password-yet"
"""The password hash of an account that has none yet: it never verifies."""

OTP_PREFIX = "otp$"
OTP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"  # no 0/O, 1/l/I
OTP_LENGTH = 12  # 55 ** 12 ≈ 2 ** 69

# Verified against when the user is unknown or has no Argon2 hash, so timing does not tell.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


JURISDICTION = func.coalesce(Worker.jurisdiction, UserAccount.jurisdiction)
"""An account's jurisdiction in SQL: a worker's is their record's now (the
account is joined to its worker, ``Worker.id == UserAccount.worker_id``)."""


def local_day(at: datetime) -> date:
    """The Beijing date of ``at``: the day a policy version is read for (D-18)."""
    return as_utc(at).astimezone(LOCAL_TZ).date()


def password_rule(session: Session, policies: Policies, jurisdiction: str, now: datetime) -> PasswordRule:
    """D-18's password figures in force for ``jurisdiction`` (policy key ``password_rule``)."""
    rule: PasswordRule = policies.in_force(session, "password_rule", jurisdiction, local_day(now))
    return rule


# --- password hashes ---------------------------------------------------------


def one_time_password() -> str:
    return "".join(secrets.choice(OTP_ALPHABET) for _ in range(OTP_LENGTH))


def hash_one_time(password: str) -> str:
    """A one-time password's fast salted hash (see the module's docstring for why it may be fast)."""
    salt = secrets.token_hex(8)
    return f"{OTP_PREFIX}{salt}${hashlib.sha256((salt + password).encode()).hexdigest()}"


def check_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` keeps (None: no account)."""
    if stored is not None and stored.startswith(OTP_PREFIX):
        verify_password(DUMMY_HASH, password)
        salt, _, digest = stored[len(OTP_PREFIX):].partition("$")
        return hmac.compare_digest(hashlib.sha256((salt + password).encode()).hexdigest(), digest)
    if stored is None or stored == NO_PASSWORD:
        verify_password(DUMMY_HASH, password)
        return False
    return verify_password(stored, password)


# --- token versions ----------------------------------------------------------


def bump_versions(session: Session, users: Sequence[UserAccount], revocations: Revocations) -> None:
    """Revoke every token of ``users`` (D-18): their versions rise above both
    HR's and Redis's, in Redis before the caller's transaction commits; if
    Redis refuses, a 503 rolls the change back."""
    stored = revocations.stored(u.username for u in users)
    for u in users:
        u.token_version = max(u.token_version, stored.get(u.username, 0)) + 1
    session.flush()
    revocations.raise_to({u.username: u.token_version for u in users})


def account_by_name(session: Session, username: str) -> tuple[UserAccount, str] | None:
    """The account named ``username`` and its jurisdiction (a worker's: their record's now), in one query."""
    row = session.execute(select(UserAccount, JURISDICTION).outerjoin(Worker, Worker.id == UserAccount.worker_id)
                          .where(UserAccount.username == username)).first()
    return (row[0], row[1]) if row else None


def principal_of(user: UserAccount, jurisdiction: str, revocations: Revocations | None = None) -> Principal:
    """The principal a token is issued for, in the account's ``jurisdiction``
    (``account_by_name``'s: a worker's is their record's now)."""
    stored = revocations.version(user.username) if revocations is not None else None
    return Principal(sub=user.username, role=Role(user.role), jurisdiction=jurisdiction, worker_id=user.worker_id,
                     community=user.community_code, ver=max(user.token_version, stored or 0),
                     must_change_password=user.must_change_password)


# --- logging in --------------------------------------------------------------


def login_state(session: Session, user: UserAccount | None, address: str, now: datetime,
                policy: ThrottlePolicy) -> LoginState:
    """The account's and the address's recent failures, as the gate reads them."""
    since = now - timedelta(minutes=policy.address_window_minutes)
    count, last = session.execute(
        select(func.count(), func.max(LoginAttempt.at))
        .where(LoginAttempt.address == address, LoginAttempt.at > since, LoginAttempt.outcome != "ok")
    ).one()
    if user is None:
        return LoginState(address_failures=count, address_last_failure_at=as_utc(last))
    last_failure = session.execute(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.username == user.username, LoginAttempt.outcome != "ok")
    ).scalar_one()
    return LoginState(failed_in_row=user.failed_logins, last_failure_at=as_utc(last_failure),
                      locked_until=as_utc(user.locked_until), address_failures=count,
                      address_last_failure_at=as_utc(last))


def authenticate(session: Session, username: str, password: str, *, address: str, now: datetime,
                 policies: Policies, revocations: Revocations | None = None) -> Principal | Refusal:
    """D-18: a login, decided and logged, by the ``login_throttle`` figures in
    force for the account's jurisdiction (the city's for an unknown username).
    The gate may refuse before the password is looked at (429, throttled or
    locked); an unknown user, a wrong password, an account without one or a
    deactivated account is the same 401; each refusal counts as a failure of
    the account and its address; after ``lock_after`` in a row the account
    locks. A success resets the count. The caller commits the attempt log
    before raising a refusal."""
    found = account_by_name(session, username)
    user, jurisdiction = found if found is not None else (None, CITY)
    policy: ThrottlePolicy = policies.in_force(session, "login_throttle", jurisdiction, local_day(now))
    refusal = rules.gate(login_state(session, user, address, now, policy), now, policy)
    if refusal is None:
        matches = check_password(user.password_hash if user else None, password)
        if user is not None and matches and user.active:
            user.failed_logins, user.locked_until = 0, None
            record_attempt(session, username, address, now, "ok")
            return principal_of(user, jurisdiction, revocations)
        refusal = rules.BAD_CREDENTIALS
        outcome = "inactive" if user is not None and matches else "bad_credentials"
    else:
        outcome = "locked" if refusal.code == "account_locked" else "throttled"
    if user is not None and outcome != "locked":
        user.failed_logins, lock = rules.after_failure(user.failed_logins, now, policy)
        user.locked_until = lock or user.locked_until
    record_attempt(session, username, address, now, outcome)
    return refusal


def record_attempt(session: Session, username: str, address: str, now: datetime, outcome: str) -> None:
    session.add(LoginAttempt(at=now, username=username[:64], address=address[:64], outcome=outcome))
    session.flush()


# --- passwords ---------------------------------------------------------------


def change_password(session: Session, principal: Principal, current: str, new: str, *, now: datetime,
                    policies: Policies, revocations: Revocations) -> Principal:
    """The caller's own password (D-18): the current one proves it is them, the
    new one passes ``rules.password_refusal`` by the ``password_rule`` in force
    for the account's jurisdiction; every token of the account so far is
    revoked and the principal of a fresh one returned."""
    found = account_by_name(session, principal.sub)
    if found is None or not found[0].active:
        raise NotFound("account", "账号", principal.sub)
    user, jurisdiction = found
    if not check_password(user.password_hash, current):
        raise Invalid("wrong_current_password", "current_password is not the account's password.",
                      "当前密码不正确。", field="current_password", clause=rules.CLAUSE)
    refusal = rules.password_refusal(user.username, new, password_rule(session, policies, jurisdiction, now),
                                     same_as_last=check_password(user.password_hash, new))
    if refusal is not None:
        raise refusal.problem()
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = now
    bump_versions(session, [user], revocations)
    return principal_of(user, jurisdiction)


def set_one_time_password(session: Session, user: UserAccount, now: datetime, revocations: Revocations) -> str:
    """A new one-time password for ``user`` (returned once): it must be changed
    at the next login; the account's tokens are revoked and any lock lifted."""
    password = one_time_password()
    user.password_hash = hash_one_time(password)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    bump_versions(session, [user], revocations)
    return password


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
        jurisdiction=city, worker_id=None, active=True, created_at=now, created_by="system",
    ))
    return generated
