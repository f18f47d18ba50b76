"""Dramatiq consumers of this service: event handlers (through the inbox) and
scheduled jobs. Each handler takes the session of its own transaction.

Events consumed (docs/architecture.md, "How an event flows"):

- ``worker.hired``: open the worker's profile (or reopen it on a rehire);
- ``worker.changed`` (D-11): the profile's jurisdiction, community and status
  from the change's date; status ``left`` closes as ``worker.left`` does, a
  reinstatement reopens the profile. Only a change newer than the last
  applied is applied; a change for a worker without a profile yet fails, so
  the message is retried once ``worker.hired`` has arrived;
- ``worker.left``: record the leaving, close open registration cycles,
  withdraw nominations in open talent rounds, end leader-talent terms;
- ``assessment.recorded``: the yearly grades that talent eligibility reads (D-7);
- ``cpd.credited``: hours into this service's CPD ledger, counted toward the
  registration cycle (D-5).

``session.completed`` is deliberately not handled: the training service
credits the CPD hours a session earns in its own ``cpd.credited``, so
counting the session too would count the hours twice; and attendance is the
training service's record, not the service record (服务履历) kept here.

Job: ``registration_check`` (period: an ISO date), daily: lapses and reminders.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from certs_service import store
from shared.consumer import JobHandler
from shared.events import AssessmentRecorded, CpdCredited, WorkerChanged, WorkerHired, WorkerLeft
from shared.inbox import Handler
from shared.scheduler import ScheduledJob, daily
from shared.web import Service

SUBSCRIBES: tuple[str, ...] = ("worker.hired", "worker.changed", "worker.left", "assessment.recorded",
                               "cpd.credited")
"""The event types handled here, which the relays of their publishers send to this service."""


def event_handlers(svc: Service) -> dict[str, list[Handler]]:
    def open_profile(session: Session, event: WorkerHired) -> None:
        store.open_profile(session, worker_id=event.worker_id, name=event.name, jurisdiction=event.jurisdiction,
                           hired_on=event.hired_on, now=datetime.now(UTC), community_code=event.community_code,
                           probation_ends_on=event.probation_ends_on)

    def follow_change(session: Session, event: WorkerChanged) -> None:
        store.apply_worker_change(session, event)

    def close_profile(session: Session, event: WorkerLeft) -> None:
        store.close_profile(session, event.worker_id, event.left_on)

    def record_assessment(session: Session, event: AssessmentRecorded) -> None:
        store.upsert_assessment(session, event.worker_id, event.year, event.grade)

    def credit_cpd(session: Session, event: CpdCredited) -> None:
        store.credit_cpd_event(
            session, svc.policies, event_id=event.event_id, worker_id=event.worker_id,
            jurisdiction=event.jurisdiction, hours=event.hours, credited_on=event.credited_on, source=event.source,
            session_id=event.session_id, now=datetime.now(UTC),
        )

    return {
        "worker.hired": [open_profile],
        "worker.changed": [follow_change],
        "worker.left": [close_profile],
        "assessment.recorded": [record_assessment],
        "cpd.credited": [credit_cpd],
    }


SCHEDULE: list[ScheduledJob] = [ScheduledJob("registration_check", "D-5", daily)]
"""The jobs the scheduler sends this service, and when."""


def job_handlers(svc: Service) -> dict[str, JobHandler]:
    def registration_check(session: Session, period: str) -> None:
        store.registration_check(session, svc, date.fromisoformat(period))

    return {"registration_check": registration_check}
