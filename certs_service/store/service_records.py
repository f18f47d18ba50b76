"""The worker's service record (服务履历, S2-4, S2-8): postings, awards,
excellent cases, studios."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from certs_service.store.profiles import profile_to_write
from certs_service.tables import ServiceEntry
from shared.auth import Principal
from shared.errors import Invalid, ends_before_start, refuse_future

SERVICE_KINDS = ("posting", "award", "excellent_case", "studio")
"""S2-4 服务履历, S2-8: a posting (岗位, 挂职), an award (最美社工…), an excellent
case (优秀社会工作案例), a studio (特色社会工作室)."""


def add_service_entry(session: Session, principal: Principal, worker_id: int, *, kind: str, title: str,
                      started_on: date, ended_on: date | None, conferred_by: str | None, detail: str | None,
                      today: date, now: datetime) -> ServiceEntry:
    profile_to_write(session, principal, worker_id)
    if kind not in SERVICE_KINDS:
        raise Invalid("unknown_kind", f"Unknown service-record kind '{kind}'; one of: {', '.join(SERVICE_KINDS)}.",
                      f"服务履历类别“{kind}”无效。", field="kind", clause="S2-4")
    refuse_future(started_on, today, "started_on", clause="S2-4")
    if ended_on is not None and ended_on < started_on:
        raise ends_before_start("ended_on", ended_on, started_on)
    entry = ServiceEntry(worker_id=worker_id, kind=kind, title=title, started_on=started_on, ended_on=ended_on,
                         conferred_by=conferred_by, detail=detail, recorded_by=principal.sub, created_at=now)
    session.add(entry)
    session.flush()
    return entry


def service_record(session: Session, worker_id: int) -> list[ServiceEntry]:
    return list(session.execute(select(ServiceEntry).where(ServiceEntry.worker_id == worker_id)
                                .order_by(ServiceEntry.started_on, ServiceEntry.id)).scalars())
