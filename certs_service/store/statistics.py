"""Statistics (S2-7): certified workers by level and jurisdiction on a date,
and how many of them are community workers."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from certs_service.tables import Certificate, Profile
from shared.db import in_jurisdiction as in_scope


def holder_counts(session: Session, scope: str, as_of: date) -> list[tuple[str, int, bool, int]]:
    """S2-7 certified workers on ``as_of``: (jurisdiction, highest level rank
    held, community worker on that day, count). One row per person: a holder
    of two levels counts once, at the higher. A community worker is one on
    HR's rolls that day (hired, not yet left)."""
    p = Profile
    community = case(
        (and_(p.community_worker, or_(p.hired_on.is_(None), p.hired_on <= as_of),
              or_(p.left_on.is_(None), p.left_on > as_of)), 1),
        else_=0,
    )
    per_holder = (
        select(Certificate.worker_id, p.jurisdiction.label("jurisdiction"),
               func.max(Certificate.level_rank).label("top"), community.label("community"))
        .join(p, p.worker_id == Certificate.worker_id)
        .where(Certificate.qualified_on <= as_of, in_scope(p.jurisdiction, scope))
        .group_by(Certificate.worker_id, p.jurisdiction, community)
        .subquery()
    )
    rows = session.execute(
        select(per_holder.c.jurisdiction, per_holder.c.top, per_holder.c.community, func.count())
        .group_by(per_holder.c.jurisdiction, per_holder.c.top, per_holder.c.community)
    ).all()
    return [(j, top, bool(cw), n) for j, top, cw, n in rows]
