"""Pay against the community work fund (S4-7a) and the bonus and welfare pool
(S4-12), for one community over one month or the year so far. Pure: the
store (``hr_service.pay.budget``) adds up the stored payslips and the fund,
and calls these. Amounts are fen; rounding is half up to the fen.

- the pay cost is grade pay + the bonus and welfare pool + the employer's
  contributions (S4-7a: 社区年工作经费含社区工作者工资、福利、奖金);
- the fund of ``n`` months is the year's S4-7a fund × n / 12, rounded once;
- what is left is the fund less the pay cost, negative when over;
- the pool the grade pay allows is grade pay × the pool's ratio (S4-12, 30%).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

import msgspec

from shared.money import BP, Fen, round_half_up

MONTHS_IN_YEAR = 12


def fund_for_months(annual_fen: Fen, months: int) -> Fen:
    """S4-7a 社区年工作经费: an annual fund, so ``months`` of it are
    ``annual × months / 12``, rounded half up once (not month by month)."""
    if not 0 <= months <= MONTHS_IN_YEAR:
        raise ValueError("months is 0..12")
    return round_half_up(Fraction(annual_fen * months, MONTHS_IN_YEAR))


def pay_cost(grade_pay: Fen, bonus_pool: Fen, employer_total: Fen) -> Fen:
    """What the fund pays for the workers: grade pay, the bonus and welfare pool
    (S4-12, the pool's amount, paid in full) and the employer's contributions."""
    return grade_pay + bonus_pool + employer_total


def fund_left(fund: Fen | None, cost: Fen) -> Fen | None:
    """The fund less the pay cost: negative when the pay is over the fund;
    None where there is no fund (workers without a community)."""
    return None if fund is None else fund - cost


def pool_allowed(grade_pay_by_ratio: Iterable[tuple[Fen, int]]) -> Fen:
    """S4-12 奖金、福利费，按社区工作人员职务等级工资的30%安排: Σ grade pay × the
    ratio in force for it (basis points), rounded half up once. A run pools
    a community's grade pay the same way, so the two differ only where a
    worker without a community is a pool of their own (each rounded) or the
    ratio changed after the run."""
    return round_half_up(sum((Fraction(pay * ratio_bp, BP) for pay, ratio_bp in grade_pay_by_ratio), Fraction(0)))


def run_status(statuses: Sequence[str]) -> str:
    """The status of the pay runs behind some payslips: the one they share,
    else ``mixed``; ``none`` without any."""
    found = sorted(set(statuses))
    if not found:
        return "none"
    return found[0] if len(found) == 1 else "mixed"


class BudgetFigures(msgspec.Struct, frozen=True):
    """A community's pay against its fund over some months (fen)."""

    months: int  # months with payslips
    payslips: int
    grade_pay: Fen
    bonus_pool: Fen  # S4-12: each pool once, as the run computed it
    bonus_paid: Fen  # Σ bonus shares (the pool less what was left unallocated)
    employer_total: Fen
    pay_cost: Fen  # grade pay + bonus pool + employer contributions
    fund: Fen | None  # S4-7a for the months (None: no community, no fund)
    fund_left: Fen | None  # fund − pay cost; negative = over
    over_fund: bool
    pool_allowed: Fen  # S4-12: grade pay × the ratio in force
    pool_difference: Fen  # bonus pool − pool allowed


def figures(*, months: int, payslips: int, grade_pay: Fen, bonus_pool: Fen, bonus_paid: Fen, employer_total: Fen,
            fund: Fen | None, allowed: Fen) -> BudgetFigures:
    """Put one community's (or a total's) sums together."""
    cost = pay_cost(grade_pay, bonus_pool, employer_total)
    left = fund_left(fund, cost)
    return BudgetFigures(months, payslips, grade_pay, bonus_pool, bonus_paid, employer_total, cost, fund, left,
                         left is not None and left < 0, allowed, bonus_pool - allowed)


def total(rows: Sequence[BudgetFigures], months: int) -> BudgetFigures:
    """The figures of several communities added up (``months``: those with
    any payslip). The fund and what is left count only the rows with a fund:
    the pay of workers without a community is in the pay cost, not charged to
    any community's fund (None when no row has one)."""
    funded = [r for r in rows if r.fund is not None]
    fund = sum(r.fund or 0 for r in funded) if funded else None
    left = sum(r.fund_left or 0 for r in funded) if funded else None
    return BudgetFigures(
        months, sum(r.payslips for r in rows), sum(r.grade_pay for r in rows), sum(r.bonus_pool for r in rows),
        sum(r.bonus_paid for r in rows), sum(r.employer_total for r in rows), sum(r.pay_cost for r in rows), fund,
        left, left is not None and left < 0, sum(r.pool_allowed for r in rows), sum(r.pool_difference for r in rows))
