"""What HR's worker events do here: worker.hired opens (or reopens) the
profile; worker.changed (D-11) moves it to the worker's jurisdiction,
community and status from the change's date; worker.left records the
leaving and closes what the worker held."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from certs_service.store.designations import close_for_leaver
from certs_service.store.registrations import close_cycles
from certs_service.tables import Profile
from shared.events import WorkerChanged
from shared.inbox import WorkerNotYetKnown

LEFT, ACTIVE, PROBATION = "left", "active", "probation"
"""HR's statuses of a worker, as the profile keeps them."""


def open_profile(session: Session, *, worker_id: int, name: str, jurisdiction: str, hired_on: date,
                 now: datetime, community_code: str | None = None, probation_ends_on: date | None = None) -> None:
    """worker.hired: open the profile, or reopen it on a rehire. A hire with a
    probation end is on probation (D-4)."""
    status = PROBATION if probation_ends_on is not None else ACTIVE
    profile = session.get(Profile, worker_id)
    if profile is None:
        session.add(Profile(worker_id=worker_id, name=name, jurisdiction=jurisdiction, community_worker=True,
                            hired_on=hired_on, prior_service_years=0, created_at=now,
                            community_code=community_code, status=status))
        return
    profile.name, profile.jurisdiction, profile.hired_on = name, jurisdiction, hired_on
    profile.community_code, profile.status = community_code, status
    profile.community_worker, profile.left_on = True, None


def close_profile(session: Session, worker_id: int, left_on: date) -> None:
    """worker.left: record the leaving, close open registration cycles, withdraw
    nominations in rounds not yet final, end leader-talent terms."""
    profile = session.get(Profile, worker_id)
    if profile is not None:
        profile.left_on, profile.status = left_on, LEFT
    close_cycles(session, worker_id, left_on)
    close_for_leaver(session, worker_id, left_on)


def apply_worker_change(session: Session, event: WorkerChanged) -> bool:
    """worker.changed: the profile's jurisdiction, community and status as they
    stand from ``effective_on``. Status ``left`` closes what the worker held as
    worker.left does; any other status on a profile that had left reopens it
    (reinstatement: the holder may register again, D-5). True if applied;
    False for a change no newer than the last applied. Raises
    ``WorkerNotYetKnown`` for a worker without a profile yet."""
    profile = session.execute(
        select(Profile).where(Profile.worker_id == event.worker_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if profile is None:
        raise WorkerNotYetKnown(event.worker_id, "worker.changed")
    if not event.newer_than(profile.last_change_id):
        return False
    profile.jurisdiction, profile.community_code = event.jurisdiction, event.community_code
    profile.last_change_id = event.change_id
    if event.status == LEFT:
        close_profile(session, event.worker_id, event.effective_on)
    else:
        profile.status = event.status
        if profile.left_on is not None:
            profile.community_worker, profile.left_on = True, None
    session.flush()
    return True
