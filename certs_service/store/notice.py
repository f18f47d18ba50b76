"""The public notice (公示, S1-2) of a leader-talent round's selected, and the
objections raised during it (D-7)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from certs_service.states import OUTCOME, NominationOutcome, NominationStatus, ObjectionOutcome, RoundState
from certs_service.store.nominations import nomination_of
from certs_service.store.rounds import round_to_move, round_to_run, rule_of
from certs_service.tables import Nomination, Objection, TalentRound, work_calendar
from shared.auth import Principal
from shared.calendar import Calendars
from shared.errors import Conflict, Invalid, NotFound

CALENDAR = Calendars(work_calendar)


def notice_ends_on(session: Session, r: TalentRound, starts_on: date, field: str) -> date:
    """D-7 "public notice 5 working days", counted on the D-10 calendar loaded
    (409 ``calendar_not_loaded`` naming the year it reaches without one)."""
    days = rule_of(r).notice_working_days
    return CALENDAR.in_force(session, starts_on).add_working_days(starts_on, days, field=field)


def start_notice(session: Session, principal: Principal, round_id: int, *, starts_on: date) -> TalentRound:
    """D-7 "public notice 5 working days" (D-10 calendar) of the selected."""
    r = round_to_move(session, principal, round_id, "publish notice", RoundState.notice)
    if starts_on < r.opened_on:
        raise Invalid("notice_before_round", "The notice cannot start before the round opened.",
                      "公示不能早于选拔开始。", field="starts_on", clause="D-7")
    ends_on = notice_ends_on(session, r, starts_on, "starts_on")
    r.notice_starts_on, r.notice_ends_on = starts_on, ends_on
    session.execute(update(Nomination).where(Nomination.round_id == r.id,
                                             Nomination.outcome == NominationOutcome.selected,
                                             Nomination.status == NominationStatus.active)
                    .values(notice_starts_on=r.notice_starts_on, notice_ends_on=r.notice_ends_on))
    r.state = RoundState.notice
    return r


def raise_objection(session: Session, principal: Principal, round_id: int, *, worker_id: int, raised_on: date,
                    grounds: str, today: date, now: datetime) -> Objection:
    """An objection to a selected candidate, during that candidate's notice."""
    r = round_to_run(session, principal, round_id, "raise an objection", RoundState.notice)
    n = nomination_of(session, r.id, worker_id)
    if n.outcome != NominationOutcome.selected:
        raise Conflict("not_on_notice", f"Worker {worker_id} is not on the public notice.", "该社工不在公示名单中。",
                       field="worker_id", clause="S1-2")
    if raised_on > today or not n.notice_starts_on <= raised_on <= n.notice_ends_on:
        raise Conflict(
            "objection_outside_notice",
            f"Objections are taken during the notice, {n.notice_starts_on} to {n.notice_ends_on}.",
            f"异议须在公示期（{n.notice_starts_on} 至 {n.notice_ends_on}）内提出。", field="raised_on", clause="S1-2",
            extra={"notice_starts_on": n.notice_starts_on.isoformat(), "notice_ends_on": n.notice_ends_on.isoformat()},
        )
    o = Objection(nomination_id=n.id, raised_on=raised_on, grounds=grounds, recorded_by=principal.sub, created_at=now)
    session.add(o)
    session.flush()
    return o


def objection_to_decide(session: Session, r: TalentRound, objection_id: int) -> tuple[Objection, Nomination]:
    """The round's objection and its nomination, not decided yet (404 if not the round's, 409 if decided)."""
    o = session.get(Objection, objection_id)
    n = session.get(Nomination, o.nomination_id) if o else None
    if o is None or n is None or n.round_id != r.id:
        raise NotFound("objection", "异议", objection_id)
    if o.outcome is not None:
        raise Conflict("objection_decided", f"The objection was already decided ({o.outcome}).", "该异议已有处理结论。",
                       field="outcome", clause="S1-2")
    return o, n


def decide_objection(session: Session, principal: Principal, round_id: int, objection_id: int, *, outcome: str,
                     decided_on: date, decision: str, today: date) -> tuple[Objection, Nomination | None]:
    """Decide an objection. Upheld: the candidate is struck and the next in
    rank (the best reserve) takes the place, with a notice of their own from
    the day after the decision. Returns the objection and that substitute."""
    r = round_to_run(session, principal, round_id, "decide an objection", RoundState.notice)
    o, n = objection_to_decide(session, r, objection_id)
    if outcome not in (ObjectionOutcome.upheld, ObjectionOutcome.dismissed):
        raise Invalid("unknown_outcome", "outcome is upheld or dismissed.", "处理结论应为 upheld 或 dismissed。",
                      field="outcome")
    if not o.raised_on <= decided_on <= today:
        raise Invalid("decision_date", f"decided_on must be between {o.raised_on} and today.",
                      f"处理日期须在 {o.raised_on} 至今天之间。", field="decided_on")
    o.outcome, o.decided_on, o.decision = ObjectionOutcome(outcome), decided_on, decision
    substitute = None
    if o.outcome == ObjectionOutcome.upheld:
        if n.outcome != NominationOutcome.struck:  # a second objection upheld finds the candidate struck already
            n.outcome = OUTCOME.move(n.outcome, NominationOutcome.struck, field="worker_id")
        substitute = session.execute(
            select(Nomination).where(Nomination.round_id == r.id, Nomination.status == NominationStatus.active,
                                     Nomination.outcome == NominationOutcome.reserve)
            .order_by(Nomination.rank).limit(1)
        ).scalar()
        if substitute is not None:
            start = decided_on + timedelta(days=1)
            substitute.outcome = OUTCOME.move(substitute.outcome, NominationOutcome.selected)
            substitute.notice_starts_on = start
            substitute.notice_ends_on = notice_ends_on(session, r, start, "decided_on")
    session.flush()
    return o, substitute


def objections_of(session: Session, round_id: int) -> list[tuple[Objection, Nomination]]:
    return list(session.execute(
        select(Objection, Nomination).join(Nomination, Nomination.id == Objection.nomination_id)
        .where(Nomination.round_id == round_id).order_by(Objection.id)
    ).all())
