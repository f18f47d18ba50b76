"""Registration cycles of a certificate (登记, D-5, S2-4): their dates, where a
cycle stands, the reminders, and what a registration asks for: the cycle it
opens, or why not.
"""
from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import msgspec

from certs_service.rules.certificates import ASSISTANT, SENIOR, SOCIAL_WORKER, from_centi
from certs_service.states import REGISTRATION, RegistrationState
from shared.dates import add_months, add_years
from shared.errors import Refusal, in_future, worker_left


class RegistrationRule(msgspec.Struct, frozen=True):
    """D-5 (民发〔2009〕44号): first registration within ``first_within_months`` of
    qualifying; each registration valid ``validity_years``; re-registration in
    the ``window_months`` before expiry with the cycle's CPD hours per level; a
    completed social-work degree counts ``degree_hours`` once; officers are
    reminded ``reminder_days`` before expiry."""

    first_within_months: int = 12
    validity_years: int = 3
    window_months: int = 3
    cpd_hours: dict[str, int] = msgspec.field(default_factory=lambda: {ASSISTANT: 72, SOCIAL_WORKER: 90, SENIOR: 90})
    degree_hours: int = 90
    reminder_days: list[int] = msgspec.field(default_factory=lambda: [90, 60, 30])


class RegistrationKind(StrEnum):
    """A first registration, a renewal continuing the cycle, or a restoring one after a lapse or a close."""

    first = "first"
    renewal = "renewal"
    restore = "restore"


FIRST, RENEWAL, RESTORE = RegistrationKind.first, RegistrationKind.renewal, RegistrationKind.restore

UNREGISTERED, FIRST_REGISTRATION_MISSED = "unregistered", "first_registration_missed"
"""Where a certificate without a registration stands: still within its first year, or past it."""


# --- the dates of a cycle ------------------------------------------------------


def first_registration_deadline(qualified: date, rule: RegistrationRule) -> date:
    """D-5 "first registration within 1 year of passing": the last day on which
    it may be made is the same calendar day a year later."""
    return add_months(qualified, rule.first_within_months)


def valid_until(valid_from: date, rule: RegistrationRule) -> date:
    """D-5 "valid 3 years": the last valid day, the day before the anniversary."""
    return add_years(valid_from, rule.validity_years) - timedelta(days=1)


def renewal_window(last_valid_day: date, rule: RegistrationRule) -> tuple[date, date]:
    """D-5 "re-registration in the 3 months before expiry": from the same day
    of the month three months before expiry (the day after the last valid day)
    to the last valid day, both inclusive."""
    return add_months(last_valid_day + timedelta(days=1), -rule.window_months), last_valid_day


def registration_state(last_valid_day: date, window_opens_on: date, ended: str | None,
                       as_of: date) -> RegistrationState:
    """active / due (its renewal window is open) / lapsed (past its last valid
    day without renewal); or how it ended (renewed, closed)."""
    if ended in (RegistrationState.renewed, RegistrationState.closed):
        return RegistrationState(ended)
    if ended == RegistrationState.lapsed or as_of > last_valid_day:
        return RegistrationState.lapsed
    return RegistrationState.due if as_of >= window_opens_on else RegistrationState.active


def required_cpd_centi(level: str, rule: RegistrationRule) -> int:
    """D-5: 72 hours for 助理, 90 for 社会工作师 and 高级, in hundredths of an hour."""
    return rule.cpd_hours[level] * 100


def reminder_band(last_valid_day: date, as_of: date, thresholds: list[int]) -> int | None:
    """The reminder due on ``as_of``: the smallest threshold (of 90, 60, 30)
    not below the days left. One reminder per band, so a job that missed a day
    still sends each reminder once and never sends a stale one."""
    days_left = (last_valid_day - as_of).days
    if days_left < 0:
        return None
    fitting = [t for t in thresholds if t >= days_left]
    return min(fitting) if fitting else None


# --- the registration decision ---------------------------------------------------


class Held(msgspec.Struct, frozen=True):
    """A certificate as registration reads it: its level and the day it is held from."""

    level: str
    qualified_on: date | None


class Holder(msgspec.Struct, frozen=True):
    """The certificate's holder: registered under real name (S2-4), and when they left."""

    worker_id: int
    real_name: bool
    left_on: date | None = None


class Cycle(msgspec.Struct, frozen=True):
    """The certificate's latest registration cycle."""

    cycle: int
    registered_on: date
    valid_until: date
    renewal_opens_on: date
    cpd_from: date
    ended: RegistrationState | None = None


class Grant(msgspec.Struct, frozen=True):
    """The cycle a registration opens, and how it ends the cycle before it
    (``last_ends`` on ``last_ended_on``; None when that one had ended already)."""

    kind: RegistrationKind
    cycle: int
    registered_on: date
    valid_from: date
    valid_until: date
    renewal_opens_on: date
    cpd_from: date  # the first day whose CPD counts toward the next re-registration
    cpd_counted_centi: int | None  # what counted toward this one (None for a first registration)
    last_ends: RegistrationState | None = None
    last_ended_on: date | None = None


def may_register(cert: Held, holder: Holder, registered_on: date, today: date) -> Refusal | None:
    """Whether the certificate may be registered on ``registered_on`` at all:
    not a future day; the holder under real name (S2-4) and not left; the
    level held by then (高级 from its passed review, D-5)."""
    if registered_on > today:
        return Refusal.of(in_future("registered_on", registered_on, today, clause="D-5"))
    if not holder.real_name:
        return Refusal("real_name_required", "The holder is not registered under their real name (S2-4).",
                       "持证人尚未实名注册。", "certificate_id", "S2-4", 409)
    if holder.left_on is not None and holder.left_on <= registered_on:
        return Refusal.of(worker_left(holder.worker_id, holder.left_on, field="certificate_id"))
    if cert.qualified_on is None:
        return Refusal("senior_review_not_passed", "A 高级 certificate registers only after a passed review.",
                       "高级社会工作师须评审通过后方可登记。", "certificate_id", "D-5", 409)
    if registered_on < cert.qualified_on:
        return Refusal("registration_before_qualifying", f"The level is held from {cert.qualified_on}.",
                       f"证书自 {cert.qualified_on} 起取得。", "registered_on", "D-5")
    return None


def next_cycle(cert: Held, last: Cycle | None, counted_centi: int, rule: RegistrationRule,
               registered_on: date) -> Grant | Refusal:
    """The cycle a registration on ``registered_on`` opens (D-5), for a
    certificate ``may_register`` let through. ``counted_centi``: the CPD
    credited from ``last.cpd_from`` to ``registered_on``.

    The first registration is within a year of qualifying. A re-registration
    in the window before expiry, with the cycle's CPD hours, renews: the new
    cycle runs from the day after the old one ends. After a lapse (or a close
    on leaving) a restoring registration, also with the lapsed cycle's hours,
    runs from its own day; a lapse not yet recorded is recorded with it."""
    if last is None:
        return first_registration(cert, rule, registered_on)
    if registered_on <= last.registered_on:
        return Refusal("registration_out_of_order", f"The last registration was made on {last.registered_on}.",
                       f"上次登记日期为 {last.registered_on}。", "registered_on", "D-5", 409)
    state = registration_state(last.valid_until, last.renewal_opens_on, last.ended, registered_on)
    if state == RegistrationState.active:
        return outside_window(last.renewal_opens_on, last.valid_until)
    required = required_cpd_centi(cert.level, rule)
    if counted_centi < required:
        return cpd_short(cert.level, counted_centi, required, last.cpd_from)
    if REGISTRATION.can(state, RegistrationState.renewed):
        kind, valid_from = RegistrationKind.renewal, last.valid_until + timedelta(days=1)
        ends, ended_on = RegistrationState.renewed, registered_on
    else:
        kind, valid_from, ends, ended_on = RegistrationKind.restore, registered_on, None, None
        if last.ended is None:
            ends, ended_on = RegistrationState.lapsed, last.valid_until + timedelta(days=1)
    return opened(kind, last.cycle + 1, registered_on, valid_from, counted_centi, rule, ends, ended_on)


def first_registration(cert: Held, rule: RegistrationRule, registered_on: date) -> Grant | Refusal:
    """D-5 "first registration within 1 year of passing", valid from its day."""
    qualified = cert.qualified_on
    deadline = first_registration_deadline(qualified, rule)
    if registered_on > deadline:
        return Refusal(
            "first_registration_too_late",
            f"The first registration must be made within {rule.first_within_months} months of qualifying "
            f"({qualified}), by {deadline}; {registered_on} is too late (D-5).",
            f"首次登记须在取得证书后 {rule.first_within_months} 个月内（{deadline} 前）办理，{registered_on} 已逾期。",
            "registered_on", "D-5", extra={"qualified_on": qualified.isoformat(), "deadline": deadline.isoformat()},
        )
    return opened(RegistrationKind.first, 1, registered_on, registered_on, None, rule)


def opened(kind: RegistrationKind, cycle: int, registered_on: date, valid_from: date, counted_centi: int | None,
           rule: RegistrationRule, last_ends: RegistrationState | None = None,
           last_ended_on: date | None = None) -> Grant:
    """The cycle from ``valid_from``: its last valid day, its renewal window, and
    the first day whose CPD counts toward the next re-registration (the
    registration day for a first cycle, the day after it otherwise)."""
    until = valid_until(valid_from, rule)
    cpd_from = registered_on if kind == RegistrationKind.first else registered_on + timedelta(days=1)
    return Grant(kind, cycle, registered_on, valid_from, until, renewal_window(until, rule)[0], cpd_from,
                 counted_centi, last_ends, last_ended_on)


def outside_window(opens: date, closes: date) -> Refusal:
    return Refusal(
        "outside_renewal_window",
        f"Re-registration is open from {opens} to {closes}, the months before the registration expires (D-5).",
        f"再登记须在登记有效期满前的规定期限内（{opens} 至 {closes}）办理。", "registered_on", "D-5", 409,
        {"window_opens_on": opens.isoformat(), "window_closes_on": closes.isoformat()},
    )


def cpd_short(level: str, counted: int, required: int, counted_from: date) -> Refusal:
    have, need = from_centi(counted), from_centi(required)
    return Refusal(
        "cpd_hours_short",
        f"Re-registration as {level} needs {need} hours of continuing education in the cycle; "
        f"{have} are credited since {counted_from} (D-5).",
        f"{level}再登记须完成本周期继续教育 {need} 学时，自 {counted_from} 起仅有 {have} 学时。",
        "registered_on", "D-5",
        extra={"required_hours": str(need), "counted_hours": str(have), "counted_from": counted_from.isoformat()},
    )
