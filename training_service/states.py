"""Training's state machines, in one place: a session, an enrolment, a roster entry.

Each column holding one of these states carries the machine's CHECK
constraint (``tables.py`` and migration ``0003``); every move goes through
``MACHINE.move`` or ``MACHINE.can``.
"""
from __future__ import annotations

from enum import StrEnum

from shared.states import Machine


class SessionStatus(StrEnum):
    """A session (班次) is scheduled until it is closed after its last day
    (completion decided, records final, D-6) or cancelled."""

    scheduled = "scheduled"
    closed = "closed"
    cancelled = "cancelled"


SESSION = Machine("session", SessionStatus, name_zh="培训班次", moves={
    SessionStatus.scheduled: {SessionStatus.closed, SessionStatus.cancelled},
})

SESSION_STATUS_ZH: dict[str, str] = {
    SessionStatus.scheduled: "开放", SessionStatus.closed: "结班", SessionStatus.cancelled: "取消",
}
"""How a refusal names a session's state in Chinese (该班次已结班)."""


class EnrolmentStatus(StrEnum):
    """A place in a session: seated (enrolled) or waiting (waitlisted, first come
    first served); then cancelled, or on closing completed or not completed."""

    enrolled = "enrolled"
    waitlisted = "waitlisted"
    cancelled = "cancelled"
    completed = "completed"
    not_completed = "not_completed"


ENROLMENT = Machine("enrolment", EnrolmentStatus, name_zh="报名记录", moves={
    EnrolmentStatus.waitlisted: {EnrolmentStatus.enrolled, EnrolmentStatus.cancelled},
    EnrolmentStatus.enrolled: {EnrolmentStatus.cancelled, EnrolmentStatus.completed, EnrolmentStatus.not_completed},
})


class RosterStatus(StrEnum):
    """A roster entry mirrors HR: active, or left (worker.left); a rehire
    (worker.hired again) makes it active once more."""

    active = "active"
    left = "left"


ROSTER = Machine("roster worker", RosterStatus, name_zh="社区工作者", moves={
    RosterStatus.active: {RosterStatus.left},
    RosterStatus.left: {RosterStatus.active},
})
