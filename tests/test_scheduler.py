"""The scheduler: one lease holder, each job once per (job, period)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from deploy.services import make_service
from shared.consumer import run_job
from shared.scheduler import ScheduledJob, Scheduler, daily


def test_only_one_scheduler_sends(settings):
    schedule = {"certs": [ScheduledJob("registration_check", "D-5", daily)]}
    first = Scheduler(settings.redis_url, lambda: date(2026, 11, 23), schedule=schedule)
    second = Scheduler(settings.redis_url, lambda: date(2026, 11, 23), schedule=schedule)
    assert first.tick() == ["certs:registration_check:2026-11-23"]
    assert second.tick() == []  # stands by: the lease is held
    assert first.tick() == []  # already sent for this period
    first.release()
    assert second.tick() == ["certs:registration_check:2026-11-23"]  # takes over


def test_job_runs_once_per_period(settings):
    svc = make_service("certs", settings)
    ran: list[str] = []
    jobs = {"registration_check": lambda session, period: ran.append(period)}
    payload = {"job": "registration_check", "period": "2026-11-23"}
    assert run_job(svc.db, svc.infra.inbox, jobs, payload) is True
    assert run_job(svc.db, svc.infra.inbox, jobs, payload) is False
    assert run_job(svc.db, svc.infra.inbox, jobs, {**payload, "period": "2026-11-24"}) is True
    assert ran == ["2026-11-23", "2026-11-24"]
    assert run_job(svc.db, svc.infra.inbox, jobs, {"job": "unknown", "period": "x"}) is False
    with svc.db.read_session() as s:
        assert s.execute(select(func.count()).select_from(svc.infra.inbox)).scalar_one() == 2
    svc.db.dispose()
