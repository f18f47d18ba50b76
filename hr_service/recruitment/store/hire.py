"""D-4 录用: the store side of a hire. It loads the chosen candidates, their
notices and the communities' room, asks ``rules.hire_readiness`` and
``rules.hire_decision``, and saves what they decide: workers on probation at
the D-2 starting grade, ``worker.hired`` published in the same transaction."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from hr_service import store as hr_store
from hr_service.recruitment import rules
from hr_service.recruitment.states import APPLICATION, ApplicationStatus
from hr_service.recruitment.store.campaigns import (
    applications_of,
    campaign,
    maybe_close,
    posts_of,
    record_step,
    recruitment_rule,
    require_step,
)
from hr_service.recruitment.store.notices import notice_terms
from hr_service.recruitment.tables import Application, Campaign
from hr_service.store.rolls import check_room
from hr_service.tables import Worker
from shared.auth import Principal
from shared.policy import Policies


@dataclass
class HireResult:
    hired: list[tuple[Application, Worker]]
    waiting: list[tuple[Application, str]]
    probation_ends_on: date | None


def _candidates(s: Session, c: Campaign) -> list[tuple[Application, rules.Candidate]]:
    """The campaign's chosen candidates, each with the place they were chosen for."""
    posts = {p.id: p for p in posts_of(s, c.id)}
    return [(a, rules.Candidate(a.id, a.notice_id, posts[a.post_id].community_code, posts[a.post_id].post,
                                a.education, a.service_years))
            for a in applications_of(s, c.id, ApplicationStatus.selected)]


def _save(s: Session, principal: Principal, policies: Policies, decision: rules.HireDecision,
          apps: dict[int, Application], now: datetime) -> list[tuple[Application, Worker]]:
    """Each hire a worker on the rolls; HR's ``create_worker`` derives the D-2
    starting grade, records it and publishes worker.hired. The hire terms are
    read once for all of them."""
    book = hr_store.terms_book(s, policies)
    hired: list[tuple[Application, Worker]] = []
    for h in decision.hires:
        a = apps[h.application_id]
        w = hr_store.create_worker(
            s, name=a.name, id_number=a.id_number, jurisdiction=h.jurisdiction, community_code=h.community_code,
            post=h.post, hired_on=decision.hired_on, now=now, education=h.education, service_years=h.service_years,
            birth_date=a.birth_date, status=decision.status, probation_ends_on=decision.probation_ends_on,
            actor=principal.sub, book=book, room_checked=True,  # the quota was checked for them all at once
        )
        a.status, a.worker_id = APPLICATION.move(a.status, ApplicationStatus.hired), w.id
        hired.append((a, w))
    return hired


def hire(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, hired_on: date, as_of: date,
         now: datetime) -> HireResult:
    """D-4 录用: the candidates of every notice that has ended with no open
    objection become workers on probation, at the starting grade of D-2."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "hire")
    chosen = _candidates(s, c)
    readiness = rules.hire_readiness([x for _, x in chosen], notice_terms(s, c.id), hired_on, as_of)
    if isinstance(readiness, rules.Refusal):
        raise readiness.problem()
    rule = recruitment_rule(s, policies, c)
    joining = Counter(c.community_code for c in readiness.ready)
    rooms = {code: check_room(s, policies, code, hired_on, joining[code], until=as_of)
             for code in readiness.communities()}  # S4-1, S4-3, D-9: each locked, in code order
    decision = rules.hire_decision(readiness, rooms, hired_on, rule)
    if isinstance(decision, rules.Refusal):
        raise decision.problem()
    apps = {a.id: a for a, _ in chosen}
    hired = _save(s, principal, policies, decision, apps, now)
    record_step(s, c, "hire", principal.sub, as_of, now, hired_on=hired_on.isoformat(),
                probation_ends_on=decision.probation_ends_on.isoformat() if decision.probation_ends_on else None,
                workers={str(a.id): w.id for a, w in hired})
    s.flush()
    maybe_close(s, c, principal.sub, as_of, now)
    return HireResult(hired, [(apps[w.application_id], w.reason) for w in decision.waiting],
                      decision.probation_ends_on)
