"""The event contracts between the services: versioned msgspec Structs.

This module is the one contract between services (docs/architecture.md, "Boundaries").
Adding a field with a default is compatible; renaming or changing a field's
meaning is a new version with a new tag (``worker.hired.v2``).

``EVENT_TYPES`` is the registry of every event type. Which services consume
which is not said here: each consumer declares the types it handles, and the
publishing service's relay delivers a copy to each of them.
"""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import ClassVar

import msgspec


def new_event_id() -> str:
    return str(uuid.uuid4())


class Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="event"):
    """Common envelope fields: a unique id, when it happened, the contract
    version; ``seq``, the event's number in its entity's stream (set by
    ``shared.outbox.publish``: docs/events.md, "Order per entity"); and the
    request that caused it, for the logs."""

    event_id: str = msgspec.field(default_factory=new_event_id)
    occurred_at: datetime = msgspec.field(default_factory=lambda: datetime.now(UTC))
    version: int = 1
    seq: int | None = None
    request_id: str | None = None

    entity: ClassVar[tuple[str, str] | None] = None
    """(stream name, the field naming the entity): events of one entity are
    applied by every consumer in the order they were published. None: the
    event's effect does not depend on order (a credit, a notice)."""

    def stream(self) -> str | None:
        if self.entity is None:
            return None
        name, field = self.entity
        return f"{name}:{getattr(self, field)}"


class WorkerHired(Event, tag="worker.hired", frozen=True):
    entity = ("worker", "worker_id")

    worker_id: int
    name: str
    post: str
    grade: int
    community_code: str | None
    jurisdiction: str
    hired_on: date
    probation_ends_on: date | None = None


class WorkerLeft(Event, tag="worker.left", frozen=True):
    entity = ("worker", "worker_id")

    worker_id: int
    jurisdiction: str
    left_on: date
    reason: str = ""


class AssessmentRecorded(Event, tag="assessment.recorded", frozen=True):
    entity = ("assessment", "worker_id")

    worker_id: int
    jurisdiction: str
    year: int
    grade: str  # D-1: 优秀 / 合格 / 基本合格 / 不合格
    score: Decimal | None = None


class WorkerChanged(Event, tag="worker.changed", frozen=True):
    """D-11: a worker's post, community (a transfer), jurisdiction or status
    changed from ``effective_on``. The fields say the worker as they stand from
    that date; ``from_*`` as they stood before. ``kind`` says what changed:
    ``transfer``, ``post_change``, ``grade_correction``, ``probation_confirmed``,
    ``probation_extended``, ``probation_ended`` (employment ended, the worker
    left), ``reinstated``."""

    entity = ("worker", "worker_id")

    worker_id: int
    change_id: int  # HR's worker_change id: increases with every change; apply only a newer one than you hold
    kind: str
    effective_on: date
    jurisdiction: str
    community_code: str | None
    post: str
    grade: int
    status: str
    probation_ends_on: date | None = None
    from_jurisdiction: str | None = None
    from_community_code: str | None = None
    from_post: str | None = None
    from_status: str | None = None
    reason: str = ""

    def newer_than(self, last_change_id: int | None) -> bool:
        """D-11: HR's change ids increase with every change; a consumer applies
        only a change newer than the last it applied (an older or repeated one
        is a no-op)."""
        return last_change_id is None or self.change_id > last_change_id


class StepRunCompleted(Event, tag="step.run.completed", frozen=True):
    """S4-10: a step run (the 1 July run, or a supplementary run 补晋档, D-12)
    was applied. One summary per run, not one event per worker: who moved is
    read from ``GET /step-runs/{run_id}/outcomes`` by a consumer that needs it."""

    run_id: int
    jurisdiction: str
    effective_on: date
    assessment_year: int
    supplementary: bool
    counts: dict[str, int]


class SessionCompleted(Event, tag="session.completed", frozen=True):
    worker_id: int
    jurisdiction: str
    session_id: int
    programme_id: int
    tier: str
    category: str
    hours: Decimal
    completed_on: date


class CpdCredited(Event, tag="cpd.credited", frozen=True):
    worker_id: int
    jurisdiction: str
    hours: Decimal
    credited_on: date
    session_id: int | None = None
    programme_id: int | None = None
    source: str = "course"  # course | degree


class CertificateRegistered(Event, tag="certificate.registered", frozen=True):
    entity = ("certificate", "certificate_id")

    worker_id: int
    jurisdiction: str
    certificate_id: int
    level: str
    registered_on: date
    valid_until: date


class RegistrationLapsed(Event, tag="registration.lapsed", frozen=True):
    entity = ("certificate", "certificate_id")

    worker_id: int
    jurisdiction: str
    certificate_id: int
    level: str
    lapsed_on: date


class RegistrationReminder(Event, tag="registration.reminder", frozen=True):
    """D-5: a registration expires in ``days_before`` days (90, 60, 30)."""

    worker_id: int
    jurisdiction: str
    registration_id: int
    valid_until: date
    days_before: int


class TalentSelected(Event, tag="talent.selected", frozen=True):
    worker_id: int
    jurisdiction: str
    round_id: int
    term_starts_on: date
    term_ends_on: date
    allowance_fen: int


AnyEvent = (
    WorkerHired
    | WorkerLeft
    | AssessmentRecorded
    | WorkerChanged
    | StepRunCompleted
    | SessionCompleted
    | CpdCredited
    | CertificateRegistered
    | RegistrationLapsed
    | RegistrationReminder
    | TalentSelected
)

EVENT_TYPES: dict[str, type[Event]] = {cls.__struct_config__.tag: cls for cls in AnyEvent.__args__}


def event_type(event: Event) -> str:
    return type(event).__struct_config__.tag


def to_message(event: Event) -> dict:
    """The JSON-able form carried in a Dramatiq message and stored in the outbox."""
    return msgspec.to_builtins(event)


def from_message(data: dict) -> AnyEvent:
    """Decode a message back into its Struct; unknown fields are ignored."""
    return msgspec.convert(data, AnyEvent, strict=False)
