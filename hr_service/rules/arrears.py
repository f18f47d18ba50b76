"""D-12: a change reaching back into paid months, made good on the next payslip.

D-12 "A change reaching back into paid months is made good on the next
payslip, one arrears (补发) or recovery (扣回) line per month covered; a closed
pay run is never rewritten."

The pay run of a month computes each closed month a change covers again, as
the pay rules give it now (``rules.pool_payslips`` with the facts and figures
of that month), and pays or recovers the difference from what was paid for it.
``hr_service.pay.arrears`` implements this in SQL, month by month and
set-based over the workers.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

ARREARS = "arrears"
RECOVERY = "recovery"
CLAUSE = "D-12"


class Adjustment(msgspec.Struct, frozen=True):
    """One line of a payslip making good an earlier month (``covers``, YYYY-MM):
    ``amount`` in fen, above zero an arrears (补发), below zero a recovery (扣回)."""

    covers: str
    amount: int
    reason: str
    clause: str = CLAUSE

    @property
    def kind(self) -> str:
        return adjustment_kind(self.amount)


def adjustment_kind(amount: int) -> str:
    """D-12: 补发 (arrears) when more is due, 扣回 (recovery) when less."""
    return ARREARS if amount > 0 else RECOVERY


def months_made_good(since: str, month: str, closed: Iterable[str]) -> list[str]:
    """D-12: the closed months (YYYY-MM) the pay run of ``month`` makes good
    for a change reaching back to ``since``: those from ``since`` up to, not
    including, ``month``, in order. A closed pay run is never rewritten: the
    difference is paid in ``month``."""
    return sorted({m for m in closed if since <= m < month})


def paid_for(gross: int, arrears: int, made_good: int, rewards: int = 0) -> int:
    """D-12: what was paid for a month: its payslip's pay and welfare (``gross``
    without the ``arrears`` it carried for still earlier months and the
    ``rewards`` it paid, S4-13) plus what later closed runs already made good
    for it."""
    return gross - arrears - rewards + made_good


def year_so_far_made_good(paid_to_date: int, adjustments: Mapping[str, int], month: str) -> int:
    """S0-2, D-12: the pay and welfare of the year before ``month`` as made
    good: the previous payslip's ``paid_to_date`` plus every adjustment for
    the year's earlier months (closed runs' and this run's). A month computed
    again takes this as its year so far, so that its floor top-up sees the
    earlier months as they are now due."""
    return paid_to_date + sum(a for covers, a in adjustments.items()
                              if covers[:4] == month[:4] and covers < month)


def adjustment_lines(due_now: Mapping[str, int], paid: Mapping[str, int], reason: str) -> list[Adjustment]:
    """D-12: for each month covered (YYYY-MM → fen), what its pay and welfare
    come to now less what was paid for it: one line per month that differs, in
    month order, none where they agree. The payslip's ``arrears`` is their sum."""
    return [Adjustment(covers, due_now[covers] - paid[covers], reason)
            for covers in sorted(due_now) if due_now[covers] != paid[covers]]
