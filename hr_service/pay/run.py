"""A month's pay run: computed (again) as a draft, then closed for good (S0-2)."""
from __future__ import annotations

from datetime import date, datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.pay.arrears import make_good, take_rechecks
from hr_service.pay.figures import figures_from, pay_book
from hr_service.pay.sql import COLUMNS, MONEY_COLUMNS, RUN, base_params, earlier_runs, payslip_sql
from hr_service.sqlbits import dialect, in_scope, no_jit, statement, worker_jurisdictions
from hr_service.states import PAY_RUN, PayRunStatus
from hr_service.store.policies import POLICIES
from hr_service.tables import PayRun
from shared.dates import month_of
from shared.errors import Conflict, refuse_future
from shared.policy import Policies


class PayRunOut(msgspec.Struct):
    id: int
    jurisdiction: str
    month: str
    status: str
    computations: int
    totals: dict
    policies: dict
    created_by: str
    created_at: datetime
    computed_by: str
    computed_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    later_months_to_recompute: list[str] = []


def run_out(r: PayRun, later: list[str] | None = None) -> PayRunOut:
    return PayRunOut(r.id, r.jurisdiction, r.month, r.status, r.computations, r.totals, r.policies, r.created_by,
                     r.created_at, r.computed_by, r.computed_at, r.closed_by, r.closed_at, later or [])


def _runs_of_month(session: Session, month: str) -> dict[int, PayRun]:
    return {r.id: r for r in session.execute(select(PayRun).where(PayRun.month == month)).scalars()}


def _draft(session: Session, jurisdiction: str, month: str, actor: str, now: datetime) -> PayRun:
    """A new draft run, or 409 when another request is creating the same one."""
    run = PayRun(jurisdiction=jurisdiction, month=month, status=PayRunStatus.draft, policies={}, totals={},
                 computations=0, created_by=actor, created_at=now, computed_by=actor, computed_at=now)
    session.add(run)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("pay_run_busy", "This pay run is being created by someone else.", "该工资计算正在进行。",
                       field="month") from exc
    return run


def run_pay(
    session: Session, *, jurisdiction: str, month: str, actor: str, now: datetime, today: date,
    policies: Policies = POLICIES,
) -> tuple[PayRunOut, bool]:
    """Compute (or compute again) the draft pay run of ``jurisdiction`` for
    ``month`` and store every payslip, with the arrears and recoveries of
    earlier months its workers are due (D-12, ``hr_service.pay.arrears``).
    Returns the run and whether it is new. A month not yet begun is 422; a
    closed month is 409, and so is a run over a jurisdiction that overlaps
    another run of the month (``rules.pay_run_refusal``)."""
    p = base_params(month)
    refuse_future(month, month_of(today), "month")
    stored = _runs_of_month(session, month)
    runs = [rules.MonthRun(r.id, r.jurisdiction, r.status) for r in stored.values()]
    refusal = rules.pay_run_refusal(jurisdiction, month, runs)
    if refusal is not None:
        raise refusal.problem()
    again = rules.run_to_recompute(jurisdiction, runs)
    if again is None:
        run = _draft(session, jurisdiction, month, actor, now)
    else:
        run = stored[again.id]
        session.execute(statement("DELETE FROM payslip WHERE run_id = :run_id", {"run_id": run.id}),
                        {"run_id": run.id})
    scope_sql = in_scope("w", p, jurisdiction)
    book = pay_book(session, policies)
    f = figures_from(book, worker_jurisdictions(session, p, scope_sql), p["end"])
    p["run_id"] = run.id
    p["earlier_runs"] = earlier_runs(session, p)
    no_jit(session)
    take_rechecks(session, p, scope_sql, again=again is not None)
    make_good(session, p, book)
    sql = payslip_sql(dialect(session), p, scope_sql, f, RUN)
    session.execute(statement(
        f"INSERT INTO payslip (run_id, month, {', '.join(COLUMNS)}) SELECT :run_id, :month, {', '.join(COLUMNS)} "
        f"FROM ({sql}) AS computed", p), p)
    run.totals = _totals(session, run.id)
    run.policies = f.used
    run.computations += 1
    run.computed_by, run.computed_at = actor, now
    session.flush()
    return run_out(run, _later_months(session, jurisdiction, month)), again is None


NOT_SUMMED = ("bonus_pool", "floor_to_date", "months_to_date", "paid_before", "paid_to_date", "contribution_base")
"""Payslip columns that are not added up in a run's totals (pools are added once each)."""


def _no_grade_pay(session: Session, p: dict, count: int) -> Conflict:
    missing = session.execute(statement(
        "SELECT worker_id, post, grade FROM payslip WHERE run_id = :run_id AND grade_pay < 0 "
        "ORDER BY worker_id LIMIT 10", p), p).all()
    return Conflict("no_grade_pay", f"{count} worker(s) hold a post and grade the pay scale in force has no "
                    f"amount for, e.g. " + ", ".join(f"worker {w} ({po} grade {g})" for w, po, g in missing)
                    + "; change their post or grade, or add a pay scale version.",
                    f"{count} 名职工的岗位档次在现行工资标准中没有金额。", clause="D-2",
                    extra={"workers": [m[0] for m in missing]})


def _totals(session: Session, run_id: int) -> dict:
    p = {"run_id": run_id}
    names = [c for c in MONEY_COLUMNS if c not in NOT_SUMMED]
    sums = ", ".join(f"CAST(COALESCE(SUM({c}), 0) AS BIGINT)" for c in names)
    row = session.execute(statement(
        f"SELECT COUNT(*), SUM(CASE WHEN grade_pay < 0 THEN 1 ELSE 0 END), {sums} FROM payslip WHERE run_id = :run_id",
        p), p).one()
    if row[1]:
        raise _no_grade_pay(session, p, row[1])
    totals = {"workers": int(row[0] or 0), **{n: int(v) for n, v in zip(names, row[2:], strict=True)}}
    pools = session.execute(statement(
        "SELECT CAST(COALESCE(SUM(bp), 0) AS BIGINT) FROM "
        "(SELECT pool_key, MAX(bonus_pool) AS bp FROM payslip WHERE run_id = :run_id GROUP BY pool_key) AS pools",
        p), p).scalar_one()
    totals["bonus_pool"] = int(pools)
    totals["bonus_pool_unallocated"] = int(pools) - totals["bonus_share"]
    return totals


def _later_months(session: Session, jurisdiction: str, month: str) -> list[str]:
    year_last = f"{month[:4]}-12"
    runs = session.execute(select(PayRun.month, PayRun.jurisdiction).where(
        PayRun.month > month, PayRun.month <= year_last)).all()
    return sorted({m for m, j in runs if rules.overlap(j, jurisdiction)})


def close_pay_run(session: Session, run: PayRun, *, actor: str, now: datetime) -> PayRunOut:
    """Close a month: its payslips and adjustment lines become immutable, and
    the rechecks it took (D-12) are settled by it for good."""
    if not PAY_RUN.can(run.status, PayRunStatus.closed):
        raise Conflict("month_closed", f"The pay run of {run.month} is already closed.", f"{run.month} 的工资已结账。",
                       field="month", clause="S0-2")
    run.status, run.closed_by, run.closed_at = PayRunStatus.closed, actor, now
    session.flush()
    return run_out(run)
