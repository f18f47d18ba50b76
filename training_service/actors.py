"""Dramatiq consumers of this service: event handlers (through the inbox) and
scheduled jobs. Each handler takes the session of its own transaction.

HR's events keep training's roster (a read model) current:

- ``worker.hired``: the worker joins the roster and, if an induction session
  is open to them, is enrolled in the earliest one (D-6: induction within
  probation), on its waitlist if every such session is full;
- ``worker.changed`` (D-11): the entry takes the worker's post, community,
  jurisdiction, status and probation from the change's date (placement
  eligibility and the D-6 obligations follow the new post; a coordinator of
  the new district sees the worker); status ``left`` closes the entry as
  ``worker.left`` does, a reinstatement re-opens it. Only a change newer than
  the last applied is applied; a change for a worker not on the roster yet
  fails, so the message is retried once ``worker.hired`` has arrived;
- ``worker.left``: the leaver's open places are cancelled and the freed seats
  go to the heads of the waitlists;
- ``talent.selected`` (certs): the leader-talent designation for the term,
  and a place in the next open leader-talent session (S2-6).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from shared.consumer import JobHandler
from shared.events import TalentSelected, WorkerChanged, WorkerHired, WorkerLeft
from shared.inbox import Handler
from shared.scheduler import ScheduledJob
from shared.web import LOCAL_TZ, Service
from training_service import rules, store
from training_service.rules import LEADER_TALENT, ObligationRule


def _not_before(day: date, event) -> date:
    """Only sessions that start on or after ``day`` and after the event itself."""
    return max(day, event.occurred_at.astimezone(LOCAL_TZ).date())


SUBSCRIBES: tuple[str, ...] = ("worker.hired", "worker.changed", "worker.left", "talent.selected")
"""The event types handled here, which the relays of their publishers send to this service."""


def event_handlers(svc: Service) -> dict[str, list[Handler]]:
    policies = svc.policies

    def on_worker_hired(session: Session, event: WorkerHired) -> None:
        probation = event.probation_ends_on
        if probation is None:
            rule: ObligationRule = policies.in_force(session, "training_obligations", event.jurisdiction,
                                                     event.hired_on)
            probation = rules.probation_end(event.hired_on, rule)
        w = store.upsert_worker(
            session, worker_id=event.worker_id, name=event.name, post=event.post, jurisdiction=event.jurisdiction,
            community_code=event.community_code, hired_on=event.hired_on, probation_ends_on=probation,
            source="event", now=event.occurred_at,
        )
        store.record_hire(w)
        session.flush()
        # D-6: induction within probation, so only sessions that start before it ends
        store.auto_enrol(session, policies, event.worker_id, "induction", _not_before(event.hired_on, event),
                         "worker.hired", event.occurred_at, not_after=probation)

    def on_worker_changed(session: Session, event: WorkerChanged) -> None:
        store.apply_worker_change(session, event)

    def on_worker_left(session: Session, event: WorkerLeft) -> None:
        w = store.lock_worker(session, event.worker_id)
        if w is None:
            return
        store.leave(session, w, event.left_on, event.reason, event.occurred_at)

    def on_talent_selected(session: Session, event: TalentSelected) -> None:
        store.add_designation(session, event.worker_id, LEADER_TALENT, event.term_starts_on, event.term_ends_on,
                              f"talent.selected:{event.round_id}")
        session.flush()
        store.auto_enrol(session, policies, event.worker_id, "leader_talent",
                         _not_before(event.term_starts_on, event), "talent.selected", event.occurred_at)

    return {
        "worker.hired": [on_worker_hired],
        "worker.changed": [on_worker_changed],
        "worker.left": [on_worker_left],
        "talent.selected": [on_talent_selected],
    }


SCHEDULE: list[ScheduledJob] = []
"""No scheduled jobs here."""


def job_handlers(svc: Service) -> dict[str, JobHandler]:
    return {}
