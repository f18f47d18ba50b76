"""The two actors every service's worker runs: ``handle_event`` (events from
other services, through the inbox; each settled event is confirmed to its
publisher's relay through the broker) and ``run_job`` (scheduled jobs, once
per job and period, through the same inbox)."""
from __future__ import annotations

import logging
from collections.abc import Callable

import dramatiq
from sqlalchemy.orm import Session

from shared.audit import acting
from shared.broker import EVENT_ACTOR, EVENTS_QUEUE, JOB_ACTOR, JOBS_QUEUE, confirm
from shared.db import Database
from shared.inbox import Handler, claim, consume

log = logging.getLogger(__name__)

JobHandler = Callable[[Session, str], None]


def job_key(job: str, period: str) -> str:
    return f"job:{job}:{period}"


def run_job(db: Database, inbox, jobs: dict[str, JobHandler], payload: dict) -> bool:
    """Run ``payload['job']`` for ``payload['period']`` unless it already ran. True if it ran now."""
    job, period = payload["job"], payload["period"]
    handler = jobs.get(job)
    if handler is None:
        log.warning("no handler for job %s here; ignored", job)
        return False
    with acting(f"job:{job}"), db.transaction() as s:  # D-18: the job is the actor of what it writes
        if not claim(s, inbox, job_key(job, period), job):
            log.info("job %s for %s already ran", job, period)
            return False
        handler(s, period)
    return True


def declare_actors(
    broker: dramatiq.Broker,
    db: Database,
    inbox,
    handlers: dict[str, list[Handler]],
    jobs: dict[str, JobHandler],
) -> tuple[dramatiq.Actor, dramatiq.Actor]:
    client, space = broker.client, broker.namespace  # type: ignore[attr-defined]  # a Redis broker (make_broker)

    def handle_event(payload: dict) -> None:
        consume(db, inbox, payload, handlers)  # applied, a repeat skipped, or kept until its turn
        confirm(client, space, payload["event_id"])

    def handle_job(payload: dict) -> None:
        run_job(db, inbox, jobs, payload)

    events = dramatiq.actor(handle_event, broker=broker, actor_name=EVENT_ACTOR, queue_name=EVENTS_QUEUE)
    jobs_actor = dramatiq.actor(handle_job, broker=broker, actor_name=JOB_ACTOR, queue_name=JOBS_QUEUE)
    return events, jobs_actor
