"""The account rules of D-18, pure: passwords, the login throttle and lock,
who may manage whose account.

D-18: "Accounts: created, deactivated, reactivated; deactivation stops tokens
at once; passwords changed by their owner, reset by an admin as one-time;
failed logins throttled and temporarily locked."
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import msgspec

from hr_service.rules import CITY
from shared.auth import LEVELS, Principal, Role, level_of
from shared.errors import Refusal
from shared.policy import PolicyKey, PolicySeed

CLAUSE = "D-18"

# --- passwords ---------------------------------------------------------------


class PasswordRule(msgspec.Struct, frozen=True):
    """D-18's figures for an owner's password (policy key ``password_rule``):
    at least ``min_length`` characters; the username is looked for in it only
    when it has ``username_min_length`` characters or more."""

    min_length: int = 10
    username_min_length: int = 3


def password_refusal(username: str, password: str, rule: PasswordRule, *, same_as_last: bool = False,
                     field: str = "new_password") -> Refusal | None:
    """D-18, the password rule stated once: at least ``rule.min_length``
    characters, letters and digits both, not containing the username (in any
    case; a username shorter than ``rule.username_min_length`` is no word to
    look for), not the last password. None when ``password`` passes; else the
    refusal naming ``field`` and the reason."""
    def refuse(code: str, reason: str, reason_zh: str) -> Refusal:
        return Refusal(code, f"{field}: {reason}", f"{field}：{reason_zh}", field=field, clause=CLAUSE)

    if len(password) < rule.min_length:
        return refuse("password_too_short", f"a password has at least {rule.min_length} characters.",
                      f"密码至少 {rule.min_length} 个字符。")
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        return refuse("password_needs_letters_and_digits", "a password has both letters and digits.",
                      "密码须同时包含字母和数字。")
    if len(username) >= rule.username_min_length and username.casefold() in password.casefold():
        return refuse("password_contains_username", "a password may not contain the username.",
                      "密码不得包含用户名。")
    if same_as_last:
        return refuse("password_reused", "the new password must differ from the last one.",
                      "新密码不得与上一个密码相同。")
    return None


# --- the throttle and the lock ----------------------------------------------


class ThrottlePolicy(msgspec.Struct, frozen=True):
    """D-18's figures for failed logins (policy key ``login_throttle``). After ``delay_after`` failures in a
    row for an account, or ``address_limit`` failures from one client address
    within ``address_window_minutes``, a login is answered 429 with
    ``Retry-After`` until a delay has passed since the last failure; the delay
    starts at ``first_delay_seconds`` and doubles with each further failure
    (at most ``max_delay_seconds``). After ``lock_after`` failures in a row the
    account is locked for ``lock_minutes``, the right password included. An
    attempt refused by the throttle counts as a failure of the account; a
    successful login resets the count."""

    delay_after: int = 5
    lock_after: int = 10
    lock_minutes: int = 15
    address_limit: int = 20
    address_window_minutes: int = 15
    first_delay_seconds: int = 1
    max_delay_seconds: int = 900


POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("password_rule", PasswordRule, CLAUSE, "An owner's password: least length; the username's "
              "length from which it may not appear in it (D-18)"),
    PolicyKey("login_throttle", ThrottlePolicy, CLAUSE, "Failed logins: the throttle's thresholds and delays, "
              "the lock and its length (D-18)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed("password_rule", CITY, date(2004, 1, 1), PasswordRule(), CLAUSE,
               "at least 10 characters; a username of 3 characters or more may not appear in it (the clause "
               "names no figure: ours)"),
    PolicySeed("login_throttle", CITY, date(2004, 1, 1), ThrottlePolicy(), CLAUSE,
               "a delay from 5 failures in a row (1 s, doubling, at most 900 s) or 20 from one address within "
               "15 minutes; locked 15 minutes after 10 in a row (the clause names no figure: ours)"),
]


class LoginState(msgspec.Struct, frozen=True):
    """What the gate needs to know before a password is checked."""

    failed_in_row: int = 0  # the account's failures in a row
    last_failure_at: datetime | None = None  # the account's last failed attempt
    locked_until: datetime | None = None
    address_failures: int = 0  # failures from the client's address within the window
    address_last_failure_at: datetime | None = None


def delay_seconds(failures: int, threshold: int, policy: ThrottlePolicy) -> int:
    """The growing delay once ``failures`` reached ``threshold``: 0 below it, then 1, 2, 4 … seconds."""
    if failures < threshold:
        return 0
    return min(policy.max_delay_seconds, policy.first_delay_seconds * 2 ** min(failures - threshold, 20))


def seconds_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 0.999))


def gate(state: LoginState, now: datetime, policy: ThrottlePolicy) -> Refusal | None:
    """D-18: a login refused before its password is looked at (429, with the
    seconds to wait in ``extra.retry_after``), or None to check the password."""
    if state.locked_until is not None and state.locked_until > now:
        wait = seconds_left(state.locked_until, now)
        return Refusal("account_locked", f"Too many failed logins: the account is locked for {wait} s.",
                       f"登录失败次数过多，账号已锁定 {wait} 秒。", clause=CLAUSE, status=429,
                       extra={"retry_after": wait})
    waits = [0]
    for failures, threshold, last in ((state.failed_in_row, policy.delay_after, state.last_failure_at),
                                      (state.address_failures, policy.address_limit, state.address_last_failure_at)):
        delay = delay_seconds(failures, threshold, policy)
        if delay and last is not None and last + timedelta(seconds=delay) > now:
            waits.append(seconds_left(last + timedelta(seconds=delay), now))
    wait = max(waits)
    if not wait:
        return None
    return Refusal("login_throttled", f"Too many failed logins; try again in {wait} s.",
                   f"登录失败次数过多，请 {wait} 秒后再试。", clause=CLAUSE, status=429, extra={"retry_after": wait})


def after_failure(failed_in_row: int, now: datetime, policy: ThrottlePolicy) -> tuple[int, datetime | None]:
    """The account's failures in a row after one more, and the lock it brings (None: no lock)."""
    failed = failed_in_row + 1
    return failed, (now + timedelta(minutes=policy.lock_minutes) if failed >= policy.lock_after else None)


BAD_CREDENTIALS = Refusal("bad_credentials", "Unknown username or wrong password.", "用户名或密码错误。", status=401)
"""The one answer for an unknown user, a wrong password, an account without a
password yet or a deactivated one: no hint which."""

# --- who manages whose account ----------------------------------------------

RANK = {level: i for i, level in enumerate(LEVELS)}
COMMUNITY_RANK = len(LEVELS)
WORKER_RANK = len(LEVELS) + 1


def rank(role: Role, jurisdiction: str) -> int:
    """D-17's levels top down (city 0, district 1, street 2), a community
    secretary 3, a worker 4: an account is managed only from above."""
    if role is Role.worker:
        return WORKER_RANK
    if role is Role.community_secretary:
        return COMMUNITY_RANK
    return RANK[level_of(jurisdiction)]


def manage_refusal(actor: Principal, role: Role, jurisdiction: str, username: str | None = None) -> Refusal | None:
    """D-18, D-8: an administrator manages the accounts within their
    jurisdiction; an HR officer those strictly below their own level within
    theirs (a district's officer: its street officers, community secretaries
    and workers), never an administrator; nobody their own account. None when
    ``actor`` may create or change the account."""
    if username is not None and username == actor.sub:
        return Refusal("own_account", "Nobody manages their own account here (change your password with "
                       "POST /auth/password).", "不能管理自己的账号（修改密码请用 POST /auth/password）。",
                       clause=CLAUSE, status=403)
    if not actor.covers(jurisdiction):
        return Refusal("outside_jurisdiction", f"Jurisdiction '{jurisdiction}' is outside yours "
                       f"('{actor.jurisdiction}').", f"“{jurisdiction}”不在您的管辖范围（{actor.jurisdiction}）内。",
                       field="jurisdiction", clause="D-8", status=403)
    if actor.role is Role.admin:
        return None
    if actor.role is not Role.hr_officer or role is Role.admin or rank(role, jurisdiction) <= rank(
            actor.role, actor.jurisdiction):
        return Refusal("account_not_below", "An officer manages only the accounts below their own level.",
                       "只能管理低于本人层级的账号。", clause=CLAUSE, status=403)
    return None
