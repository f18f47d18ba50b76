"""Completing a session (D-6): attendance at the threshold and the course
assessment passed, decided once the session's last day is over."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from shared.errors import Refusal, in_future
from training_service.rules.policies import CompletionRule


class Completion(msgspec.Struct, frozen=True):
    days: int
    present: int
    percent: Decimal
    attendance_met: bool
    assessment_required: bool
    assessment_passed: bool | None
    completed: bool
    reason: str


def completion(days: int, present: int, assessment_required: bool, assessment_passed: bool | None,
               rule: CompletionRule) -> Completion:
    """Completion when attendance reaches ``rule.attendance_percent`` of the session
    days and the course assessment, if any, is passed (D-6; a design default)."""
    met = days > 0 and present * 100 >= rule.attendance_percent * days
    percent = (Decimal(present * 100) / Decimal(days)).quantize(Decimal("0.1")) if days else Decimal(0)
    passed_ok = (not assessment_required) or assessment_passed is True
    if not met:
        reason = f"attended {present} of {days} days ({percent}%), below {rule.attendance_percent}%"
    elif not passed_ok:
        reason = "assessment not passed" if assessment_passed is False else "assessment not taken"
    else:
        reason = (f"attended {present} of {days} days ({percent}%)"
                  + (", assessment passed" if assessment_required else ""))
    return Completion(days, present, percent, met, assessment_required, assessment_passed, met and passed_ok, reason)


def session_over(last_day: date, as_of: date) -> Refusal | None:
    """A session closes on its last day or later: its completions are dated
    that day, and no fact is dated after today (``date_in_future``, D-6)."""
    if as_of >= last_day:
        return None
    return Refusal.of(in_future("completed_on", last_day, as_of, clause="D-6"))


def attendance_day(day: date, as_of: date) -> Refusal | None:
    """Attendance is recorded for a day that has come (today or before), never
    ahead of it (``date_in_future``, D-6)."""
    if day <= as_of:
        return None
    return Refusal.of(in_future("day", day, as_of, clause="D-6"))
