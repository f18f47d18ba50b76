"""The worker's ledger (one line per completed session) and the obligations
of D-6: one worker's, and a jurisdiction's compliance report."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared.db import in_jurisdiction as in_scope
from shared.policy import Policies
from training_service import rules
from training_service.rules import ObligationRule
from training_service.states import RosterStatus
from training_service.tables import RosterWorker, TrainingCredit

OBLIGATIONS = "training_obligations"


def credits_of(s: Session, worker_id: int, year: int | None = None) -> list[TrainingCredit]:
    q = select(TrainingCredit).where(TrainingCredit.worker_id == worker_id)
    if year is not None:
        q = q.where(TrainingCredit.year == year)
    return list(s.execute(q.order_by(TrainingCredit.completed_on, TrainingCredit.id)).scalars())


def as_credit(c) -> rules.Credit:
    """A ledger line (or a row with its columns) as the obligations see it."""
    return rules.Credit(c.completed_on, c.tier, c.delivery, c.hours_ch)


def as_member(w: RosterWorker) -> rules.Member:
    return rules.Member(w.post, w.hired_on, w.probation_ends_on)


def rule_date(year: int, as_of: date) -> date:
    """The day whose obligations rule applies to ``year``: ``as_of``, or the year's last day if earlier."""
    return min(as_of, date(year, 12, 31))


def worker_obligations(
    s: Session, policies: Policies, w: RosterWorker, year: int, as_of: date,
) -> list[rules.Obligation]:
    rule: ObligationRule = policies.in_force(s, OBLIGATIONS, w.jurisdiction, rule_date(year, as_of))
    return rules.obligations(as_member(w), [as_credit(c) for c in credits_of(s, w.worker_id)], year, as_of, rule)


class ComplianceLine(NamedTuple):
    worker: RosterWorker
    obligation: rules.Obligation


def compliance(s: Session, policies: Policies, scope: str, year: int, as_of: date) -> tuple[int, list[ComplianceLine]]:
    """Every active worker in ``scope`` judged against D-6 for ``year``: how many
    were checked, and each obligation not met (open or behind) with its shortfall."""
    workers = list(s.execute(select(RosterWorker).where(
        in_scope(RosterWorker.jurisdiction, scope), RosterWorker.status == RosterStatus.active,
        or_(RosterWorker.hired_on.is_(None), RosterWorker.hired_on <= date(year, 12, 31)),
    ).order_by(RosterWorker.jurisdiction, RosterWorker.worker_id)).scalars())
    if not workers:
        return 0, []
    book = policies.book(s, (OBLIGATIONS,))
    on = rule_date(year, as_of)
    rule_for: dict[str, ObligationRule] = {j: book.in_force(OBLIGATIONS, j, on)
                                           for j in {w.jurisdiction for w in workers}}
    longest = max(r.every_years for r in rule_for.values())
    since = date(year - longest + 1, 1, 1)
    tc = TrainingCredit
    by_worker: dict[int, list[rules.Credit]] = defaultdict(list)
    for r in s.execute(
        select(tc.worker_id, tc.completed_on, tc.tier, tc.delivery, tc.hours_ch)
        .join(RosterWorker, RosterWorker.worker_id == tc.worker_id)
        .where(in_scope(RosterWorker.jurisdiction, scope), or_(tc.completed_on >= since, tc.tier == "induction"))
    ):
        by_worker[r.worker_id].append(as_credit(r))
    lines: list[ComplianceLine] = []
    for w in workers:
        for o in rules.obligations(as_member(w), by_worker.get(w.worker_id, []), year, as_of, rule_for[w.jurisdiction]):
            if o.status in rules.UNMET:
                lines.append(ComplianceLine(w, o))
    lines.sort(key=lambda x: (x.obligation.status != "behind", x.worker.jurisdiction, x.worker.worker_id))
    return len(workers), lines
