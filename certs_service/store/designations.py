"""Leader talents (社区工作领军人才, D-7, S2-6): finalising a round into
designations, the roster in office, and ending terms on leaving."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.states import NominationOutcome, NominationStatus, RoundState
from certs_service.store.rounds import round_to_move, rule_of
from certs_service.tables import Designation, Nomination, Objection, Profile, TalentRound
from shared.auth import Principal
from shared.db import in_jurisdiction as in_scope
from shared.errors import Conflict, refuse_future
from shared.events import TalentSelected
from shared.outbox import publish_many
from shared.paging import fetch_page
from shared.web import Service


def finalise(session: Session, svc: Service, principal: Principal, round_id: int, *, on: date,
             today: date, now: datetime) -> list[Designation]:
    """After every notice has run its course and every objection is decided:
    the selected become leader talents for the policy's term with its monthly
    allowance (D-7), each publishing talent.selected."""
    r = round_to_move(session, principal, round_id, "finalise", RoundState.final)
    rule = rule_of(r)
    pending = session.execute(
        select(func.count()).select_from(Objection).join(Nomination, Nomination.id == Objection.nomination_id)
        .where(Nomination.round_id == r.id, Objection.outcome.is_(None))
    ).scalar_one()
    if pending:
        raise Conflict("objections_pending", f"{pending} objection(s) are not decided yet.",
                       f"尚有 {pending} 件异议未处理。", field="state", clause="S1-2")
    selected = list(session.execute(
        select(Nomination, Profile).join(Profile, Profile.worker_id == Nomination.worker_id)
        .where(Nomination.round_id == r.id, Nomination.status == NominationStatus.active,
               Nomination.outcome == NominationOutcome.selected)
        .order_by(Nomination.rank)
    ).all())
    last_day = max((n.notice_ends_on for n, _ in selected), default=r.notice_ends_on)
    if on <= last_day:
        raise Conflict("notice_not_over", f"The public notice runs until {last_day}; finalise after it.",
                       f"公示期至 {last_day} 止，期满后方可确定。", field="on", clause="D-7",
                       extra={"notice_ends_on": last_day.isoformat()})
    refuse_future(on, today, "on", clause="D-7")
    ends = rules.term_ends_on(on, rule)
    designations = [
        Designation(worker_id=n.worker_id, round_id=r.id, term_starts_on=on, term_ends_on=ends,
                    allowance_fen=rule.allowance_fen_per_month, created_at=now)
        for n, _ in selected
    ]
    session.add_all(designations)
    r.state, r.finalised_on = RoundState.final, on
    session.flush()
    publish_many(session, svc.infra.outbox, [
        TalentSelected(worker_id=d.worker_id, jurisdiction=p.jurisdiction, round_id=r.id, term_starts_on=on,
                       term_ends_on=ends, allowance_fen=d.allowance_fen)
        for d, (_, p) in zip(designations, selected, strict=True)
    ])
    return designations


def in_office(as_of: date):
    """The SQL condition for a designation in office on ``as_of``."""
    d = Designation
    return and_(d.term_starts_on <= as_of, d.term_ends_on >= as_of, or_(d.ended_on.is_(None), d.ended_on > as_of))


def roster(session: Session, scope: str, as_of: date, limit: int,
           offset: int) -> tuple[list[tuple[Designation, Profile]], int]:
    """The leader talents in office on ``as_of`` (S2-6)."""
    q = (select(Designation, Profile).join(Profile, Profile.worker_id == Designation.worker_id)
         .where(in_office(as_of), in_scope(Profile.jurisdiction, scope)))
    page, total = fetch_page(session, q, [Designation.id], limit, offset)
    return list(page.all()), total


def designations_of(session: Session, worker_id: int) -> list[Designation]:
    return list(session.execute(select(Designation).where(Designation.worker_id == worker_id)
                                .order_by(Designation.term_starts_on)).scalars())


def close_for_leaver(session: Session, worker_id: int, left_on: date) -> None:
    """worker.left: withdraw nominations in rounds not yet final; end terms in office."""
    open_rounds = select(TalentRound.id).where(TalentRound.state != RoundState.final)
    session.execute(update(Nomination)
                    .where(Nomination.worker_id == worker_id, Nomination.status == NominationStatus.active,
                           Nomination.round_id.in_(open_rounds))
                    .values(status=NominationStatus.withdrawn))
    session.execute(update(Designation).where(Designation.worker_id == worker_id, Designation.ended_on.is_(None),
                                              Designation.term_ends_on >= left_on).values(ended_on=left_on))
