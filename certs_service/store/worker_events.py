"""What HR's worker events do here: worker.hired opens (or reopens) the
profile; worker.left records the leaving and closes what the worker held."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from certs_service.store.designations import close_for_leaver
from certs_service.store.registrations import close_cycles
from certs_service.tables import Profile


def open_profile(session: Session, *, worker_id: int, name: str, jurisdiction: str, hired_on: date,
                 now: datetime) -> None:
    """worker.hired: open the profile, or reopen it on a rehire."""
    profile = session.get(Profile, worker_id)
    if profile is None:
        session.add(Profile(worker_id=worker_id, name=name, jurisdiction=jurisdiction, community_worker=True,
                            hired_on=hired_on, prior_service_years=0, created_at=now))
        return
    profile.name, profile.jurisdiction, profile.hired_on = name, jurisdiction, hired_on
    profile.community_worker, profile.left_on = True, None


def close_profile(session: Session, worker_id: int, left_on: date) -> None:
    """worker.left: record the leaving, close open registration cycles, withdraw
    nominations in rounds not yet final, end leader-talent terms."""
    profile = session.get(Profile, worker_id)
    if profile is not None:
        profile.left_on = left_on
    close_cycles(session, worker_id, left_on)
    close_for_leaver(session, worker_id, left_on)
