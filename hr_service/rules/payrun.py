"""Whether a month's pay may be computed (again) for a jurisdiction (S0-2)."""
from __future__ import annotations

import msgspec

from hr_service.states import PayRunStatus
from shared.auth import district_in
from shared.errors import Refusal


class MonthRun(msgspec.Struct, frozen=True):
    """A pay run already stored for the month."""

    id: int
    jurisdiction: str
    status: str


def overlap(a: str, b: str) -> bool:
    """Two jurisdictions share workers when one lies within the other (D-8)."""
    return district_in(a, b) or district_in(b, a)


def pay_run_refusal(jurisdiction: str, month: str, runs: list[MonthRun]) -> Refusal | None:
    """A pay run of ``jurisdiction`` for ``month`` would pay the workers of the
    month's other runs it overlaps: refused when one of them is closed (a
    closed month never changes) or is another jurisdiction's draft (run one or
    the other). A draft of the same jurisdiction is computed again."""
    for r in runs:
        if not overlap(r.jurisdiction, jurisdiction):
            continue
        if r.status == PayRunStatus.closed:
            return Refusal("month_closed", f"The pay of {month} for {r.jurisdiction} is closed; it cannot change.",
                           f"{r.jurisdiction} {month} 的工资已结账，不能更改。", "month", "S0-2", status=409)
        if r.jurisdiction != jurisdiction:
            return Refusal("overlapping_pay_run", f"A draft pay run of {month} for {r.jurisdiction} covers some of "
                           f"the same workers; run one or the other.",
                           f"{month} 已有覆盖部分相同职工的 {r.jurisdiction} 工资草稿。", "jurisdiction", status=409)
    return None


def run_to_recompute(jurisdiction: str, runs: list[MonthRun]) -> MonthRun | None:
    """The month's draft of this very jurisdiction, if there is one."""
    return next((r for r in runs if r.jurisdiction == jurisdiction), None)
