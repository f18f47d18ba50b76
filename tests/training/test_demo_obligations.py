"""The demo district's D-6 compliance report lists only workers genuinely
behind. The demo (``deploy.demo.worker_bodies``) puts about a thousand
workers on the rolls, hired from 2006 to last year, without a probation end:
training's ``worker.hired`` handler gives each one ``rules.probation_end``
(D-4). The obligations are judged here as the report judges them, with no
induction on anyone's ledger (the demo records none)."""
from __future__ import annotations

from datetime import date

import pytest

from deploy.demo import Plan, worker_bodies
from training_service import rules
from training_service.rules import Member, ObligationRule

RULE = ObligationRule()


def members(today: date) -> list[Member]:
    out = []
    for b in worker_bodies(Plan(), today):
        hired = date.fromisoformat(b["hired_on"])
        out.append(Member(b["post"], hired, rules.probation_end(hired, RULE)))
    return out


@pytest.mark.parametrize("today", [date(2026, 11, 28), date(2026, 1, 5), date(2027, 7, 1)])
def test_only_workers_whose_probation_ended_this_year_without_induction_are_behind(today):
    population = members(today)
    behind = [(m, o) for m in population for o in rules.obligations(m, [], today.year, today, RULE)
              if o.status == "behind"]
    # during the year the yearly obligations are still open: only induction can be overdue
    assert {o.kind for _, o in behind} <= {"induction"}
    for m, o in behind:
        # genuinely behind: a probation that reached into this year and ended before today, no induction
        assert date(today.year, 1, 1) <= m.probation_ends_on == o.due_on < today
        assert m.hired_on.year >= today.year - 1
    hired_this_probation_window = [m for m in population
                                   if date(today.year, 1, 1) <= m.probation_ends_on < today]
    assert len(behind) == len(hired_this_probation_window)
    assert len(behind) < len(population) // 20  # not the 1,000 of 1,007 the report once counted


def test_no_long_serving_demo_worker_owes_induction():
    today = date(2026, 11, 28)
    veterans = [m for m in members(today) if m.hired_on.year < today.year - 1]
    assert len(veterans) > 800
    for m in veterans:
        assert rules.induction(m, [], today.year, today, RULE) is None
