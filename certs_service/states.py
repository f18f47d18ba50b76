"""Certs's state machines, in one place: a registration cycle (D-5), the
senior review (D-5), an exam entry (S3-7), a leader-talent round, its
nominations and objections (D-7, S1-2).

Each machine's states are a ``StrEnum``; the moves it allows are declared
here and nowhere else, and each stored column is kept to its states by a
CHECK constraint (``tables.py``, migration ``0003_certs_states``).
"""
from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint

from shared.states import Machine

# --- registration cycles (D-5) -----------------------------------------------


class RegistrationState(StrEnum):
    """Where a registration cycle stands. ``active``, ``due`` and an unrecorded
    ``lapsed`` follow from the dates; how a cycle ended is stored in
    ``registration.ended`` (NULL while it runs)."""

    active = "active"  # valid, its renewal window not yet open
    due = "due"  # its renewal window is open
    lapsed = "lapsed"  # past its last valid day without renewal
    renewed = "renewed"  # the next cycle continues it
    closed = "closed"  # closed when the holder left


REGISTRATION = Machine("registration", RegistrationState, name_zh="登记", clause="D-5", moves={
    RegistrationState.active: {RegistrationState.due, RegistrationState.closed},
    RegistrationState.due: {RegistrationState.renewed, RegistrationState.lapsed, RegistrationState.closed},
    # a lapse the daily check has not recorded yet is closed like a running cycle when the holder leaves
    RegistrationState.lapsed: {RegistrationState.closed},
})

ENDINGS: tuple[RegistrationState, ...] = (RegistrationState.renewed, RegistrationState.lapsed, RegistrationState.closed)
"""How a cycle ends: the values ``registration.ended`` may hold."""


def ended_check() -> CheckConstraint:
    """The CHECK constraint keeping ``registration.ended`` to ``ENDINGS`` (or NULL)."""
    return CheckConstraint("ended IN ({})".format(", ".join(f"'{s.value}'" for s in ENDINGS)), name="ended")


# --- the senior review (D-5 高级: exam plus review) ----------------------------


class ReviewOutcome(StrEnum):
    pending = "pending"
    passed = "passed"
    failed = "failed"


REVIEW = Machine("senior review", ReviewOutcome, name_zh="高级评审", clause="D-5", moves={
    ReviewOutcome.pending: {ReviewOutcome.passed, ReviewOutcome.failed},
})


# --- exam entries (职称考试, S3-7) -----------------------------------------------


class ExamResult(StrEnum):
    pending = "pending"
    passed = "passed"
    failed = "failed"


EXAM_ENTRY = Machine("exam entry", ExamResult, name_zh="考试报名", clause="S3-7", moves={
    ExamResult.pending: {ExamResult.passed, ExamResult.failed},
    # a recorded result may be corrected
    ExamResult.passed: {ExamResult.failed},
    ExamResult.failed: {ExamResult.passed},
})


# --- leader-talent rounds (D-7, S1-2) ------------------------------------------


class RoundState(StrEnum):
    """D-7: a round's steps, each allowed only from the one before it."""

    nominating = "nominating"
    scoring = "scoring"
    ranked = "ranked"
    notice = "notice"
    final = "final"


ROUND = Machine("talent round", RoundState, name_zh="领军人才选拔", clause="D-7", moves={
    RoundState.nominating: {RoundState.scoring},
    RoundState.scoring: {RoundState.ranked},
    RoundState.ranked: {RoundState.notice},
    RoundState.notice: {RoundState.final},
})


class NominationStatus(StrEnum):
    active = "active"
    withdrawn = "withdrawn"  # the nominee left before the round was final


NOMINATION = Machine("nomination", NominationStatus, name_zh="推荐", clause="D-7", moves={
    NominationStatus.active: {NominationStatus.withdrawn},
})


class NominationOutcome(StrEnum):
    """After ranking: within the quota, below it, or struck by an upheld objection."""

    selected = "selected"
    reserve = "reserve"
    struck = "struck"


OUTCOME = Machine("nomination outcome", NominationOutcome, name_zh="推荐结果", clause="S1-2", moves={
    NominationOutcome.selected: {NominationOutcome.struck},  # an upheld objection
    NominationOutcome.reserve: {NominationOutcome.selected},  # the best reserve moves up
})


class ObjectionOutcome(StrEnum):
    """An objection is decided once (S1-2): its outcome is final."""

    upheld = "upheld"
    dismissed = "dismissed"


OBJECTION = Machine("objection", ObjectionOutcome, name_zh="异议", clause="S1-2", moves={})
