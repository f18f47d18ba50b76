"""D-4 录用: which chosen candidates can be hired on a day, and what the hire
creates. Pure: the store loads the candidates, their notices and the
communities' room, calls these, and saves what they decide.

A candidate is ready when their 公示 (N working days on the D-10 calendar)
ended before the hire date and the notice has no open objection. The hire
date is not after today. The quota (S4-1, S4-3, D-9) is checked again at
hire: the rolls may have changed since the places were opened.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

import msgspec

from hr_service.recruitment.rules.recruitment import RecruitmentRule
from hr_service.recruitment.rules.steps import probation_ends_on
from hr_service.rules.staffing import Room, room_refusal
from hr_service.states import WorkerStatus
from shared.errors import Refusal, in_future


class NoticeTerm(msgspec.Struct, frozen=True):
    """A 公示 as the hire sees it: its days and its open objections."""

    id: int
    starts_on: date
    ends_on: date
    working_days: int
    open_objections: int = 0


class Candidate(msgspec.Struct, frozen=True):
    """A chosen candidate (status selected), the place and the notice they are in,
    and what the D-2 starting grade is derived from."""

    application_id: int
    notice_id: int | None
    community_code: str
    post: str
    education: str
    service_years: int = 0


class Waiting(msgspec.Struct, frozen=True):
    application_id: int
    reason: str


class Readiness(msgspec.Struct, frozen=True):
    """Who can be hired on the day, and who waits and why."""

    ready: list[Candidate]
    waiting: list[Waiting]

    def communities(self) -> list[str]:
        """The communities the ready candidates join, in a fixed order (for locking)."""
        return sorted({c.community_code for c in self.ready})


class Hire(msgspec.Struct, frozen=True):
    """One worker the hire puts on the rolls."""

    application_id: int
    community_code: str
    jurisdiction: str
    post: str
    education: str
    service_years: int


class HireDecision(msgspec.Struct, frozen=True):
    """What the hire creates: workers on probation from ``hired_on`` to
    ``probation_ends_on`` (D-4), each at the D-2 starting grade of their post,
    education and service."""

    hired_on: date
    probation_ends_on: date | None
    status: WorkerStatus
    hires: list[Hire]
    waiting: list[Waiting]


def _waits(c: Candidate, notice: NoticeTerm | None, hired_on: date) -> str | None:
    """Why ``c`` cannot be hired on ``hired_on``, or None."""
    if notice is None:
        return "no public notice yet"
    if not notice.ends_on < hired_on:
        return f"public notice {notice.id} runs until {notice.ends_on}"
    if notice.open_objections:
        return f"public notice {notice.id} has an open objection"
    return None


def _nobody_ready(candidates: list[Candidate], notices: dict[int, NoticeTerm], hired_on: date) -> Refusal:
    """The reason nobody can be hired: a notice still running, else an open objection."""
    mine = [notices[c.notice_id] for c in candidates if c.notice_id in notices]
    running = sorted((n for n in mine if not n.ends_on < hired_on), key=lambda n: n.id)
    if running:
        n = running[0]
        return Refusal(
            "notice_not_ended",
            f"The public notice runs from {n.starts_on} to {n.ends_on} ({n.working_days} working days); "
            f"hire after it ends.",
            f"公示期为{n.starts_on}至{n.ends_on}（{n.working_days}个工作日），公示期满后方可录用。",
            "hired_on", "D-4", 409, extra={"notice_id": n.id, "ends_on": n.ends_on.isoformat()},
        )
    if any(n.open_objections for n in mine):
        return Refusal("objection_open", "A public notice has an open objection; resolve it before hiring.",
                       "公示期内有未处理的异议，处理后方可录用。", "objections", "D-4", 409)
    return Refusal("nobody_to_hire", "No candidate has completed a public notice.", "没有公示期满的拟录用人选。",
                   "candidates", "D-4", 409)


def hire_readiness(candidates: Iterable[Candidate], notices: Iterable[NoticeTerm], hired_on: date,
                   as_of: date) -> Readiness | Refusal:
    """D-4: the chosen candidates whose notice ended before ``hired_on`` with no
    open objection are ready; the others wait. A hire dated after ``as_of``
    (today), or with nobody ready, is refused."""
    if hired_on > as_of:
        return Refusal.of(in_future("hired_on", hired_on, as_of))
    candidates = list(candidates)
    by_id = {n.id: n for n in notices}
    ready: list[Candidate] = []
    waiting: list[Waiting] = []
    for c in candidates:
        why = _waits(c, by_id.get(c.notice_id) if c.notice_id else None, hired_on)
        if why is None:
            ready.append(c)
        else:
            waiting.append(Waiting(c.application_id, why))
    if not ready:
        return _nobody_ready(candidates, by_id, hired_on)
    return Readiness(ready, waiting)


def hire_decision(readiness: Readiness, rooms: Mapping[str, Room], hired_on: date,
                  rule: RecruitmentRule) -> HireDecision | Refusal:
    """D-4 录用 of the ready candidates, or a refusal when a community would go
    over its quota on the hire date (S4-1, S4-3, D-9: ``rules.room_refusal``,
    the one check of every path that adds a worker; ``rooms`` holds every
    community in ``readiness.communities()``): the last vacancy can be filled,
    not one more."""
    joining = Counter(c.community_code for c in readiness.ready)
    for code in sorted(joining):
        refused = room_refusal(rooms[code], joining[code])
        if refused is not None:
            return refused
    hires = [Hire(c.application_id, c.community_code, rooms[c.community_code].district, c.post, c.education,
                  c.service_years) for c in readiness.ready]
    return HireDecision(hired_on, probation_ends_on(hired_on, rule), WorkerStatus.probation, hires,
                        readiness.waiting)
