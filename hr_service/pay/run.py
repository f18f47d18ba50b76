"""A month's pay run: computed (again) as a draft, then submitted and approved
by another officer, closed for good (S0-2, D-16: ``hr_service.pay.approval``)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import cast

import msgspec
from sqlalchemy import CursorResult, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.pay.arrears import make_good, take_rechecks
from hr_service.pay.figures import figures_from, pay_book
from hr_service.pay.sql import COLUMNS, MONEY_COLUMNS, RUN, base_params, earlier_runs, payslip_sql
from hr_service.pay.tables import PayRunEvent
from hr_service.sqlbits import dialect, in_scope, no_jit, statement, worker_jurisdictions
from hr_service.states import PayRunStatus
from hr_service.store.policies import POLICIES
from hr_service.tables import PayRun
from shared.dates import DAY, month_of
from shared.errors import Conflict, refuse_future
from shared.policy import Policies
from shared.web import LOCAL_TZ


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
    submitted_by: str | None  # D-16: the maker, while the run waits for approval
    submitted_at: datetime | None
    closed_by: str | None  # D-16: the approver
    closed_at: datetime | None
    later_months_to_recompute: list[str] = []


def run_out(r: PayRun, later: list[str] | None = None) -> PayRunOut:
    return PayRunOut(r.id, r.jurisdiction, r.month, r.status, r.computations, r.totals, r.policies, r.created_by,
                     r.created_at, r.computed_by, r.computed_at, r.submitted_by, r.submitted_at, r.closed_by,
                     r.closed_at, later or [])


def log_event(session: Session, run: PayRun, action: str, actor: str, now: datetime, note: str | None = None) -> None:
    """D-16: append what was done to the run (computed, submitted, approved,
    rejected, withdrawn), by whom, when, why, with its totals at the time, in
    the transaction that did it."""
    session.add(PayRunEvent(run_id=run.id, action=action, actor=actor, at=now, note=note, totals=dict(run.totals)))


def _runs_of_month(session: Session, month: str) -> dict[int, PayRun]:
    """The month's runs, locked until the transaction ends, so that a run is
    not computed again while it is being submitted (D-16)."""
    q = select(PayRun).where(PayRun.month == month).with_for_update()
    return {r.id: r for r in session.execute(q).scalars()}


def _submitted(run: PayRun) -> Conflict:
    return Conflict("pay_run_submitted", f"The pay run of {run.month} for {run.jurisdiction} is submitted for "
                    "approval; reject it first to compute it again.",
                    f"{run.jurisdiction} {run.month} 的工资已提交审批，须先退回才能重新计算。", field="month",
                    clause="D-16")


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
    another run of the month (``rules.pay_run_refusal``) and a run submitted
    for approval (D-16: it is rejected first). Each computation is logged."""
    p = base_params(month)
    refuse_future(month, month_of(today), "month")
    stored = _runs_of_month(session, month)
    runs = [rules.MonthRun(r.id, r.jurisdiction, r.status) for r in stored.values()]
    refusal = rules.pay_run_refusal(jurisdiction, month, runs)
    if refusal is not None:
        raise refusal.problem()
    again = rules.run_to_recompute(jurisdiction, runs)
    if again is not None and again.status == PayRunStatus.submitted:
        raise _submitted(stored[again.id])
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
    take_rewards(session, p, scope_sql, again=again is not None)
    make_good(session, p, book)
    sql = payslip_sql(dialect(session), p, scope_sql, f, RUN)
    session.execute(statement(
        f"INSERT INTO payslip (run_id, month, {', '.join(COLUMNS)}) SELECT :run_id, :month, {', '.join(COLUMNS)} "
        f"FROM ({sql}) AS computed", p), p)
    run.totals = _totals(session, run.id)
    run.policies = f.used
    run.computations += 1
    run.computed_by, run.computed_at = actor, now
    log_event(session, run, "computed", actor, now)
    session.flush()
    return run_out(run, _later_months(session, jurisdiction, month)), again is None


NOT_SUMMED = ("bonus_pool", "paid_days", "paid_days_to_date", "floor_to_date", "months_to_date", "paid_before",
              "paid_to_date", "contribution_wage", "contribution_base", "income_to_date", "basic_deduction_to_date",
              "contributions_to_date", "special_deductions_to_date", "taxable_to_date", "tax_due_to_date",
              "tax_withheld_before")
"""Payslip columns that are not added up in a run's totals: figures of the year
so far, days, the declared wage and base (pools are added once each)."""


def take_rewards(session: Session, p: dict, scope_sql: str, *, again: bool) -> None:
    """S4-13: the draft ``:run_id`` takes the rewards awarded by the month's end
    and not yet paid, of its workers (on the rolls in the month); computed
    again, it first gives back those it held. Its payslips add them up as
    ``rewards``; once it is closed they are paid for good."""
    if again:
        session.execute(statement("UPDATE reward_award SET paid_run_id = NULL WHERE paid_run_id = :run_id", p), p)
    p["next_start"] = datetime.combine(p["end"] + DAY, time(), LOCAL_TZ).astimezone(UTC)
    session.execute(statement(
        "UPDATE reward_award SET paid_run_id = :run_id WHERE paid_run_id IS NULL AND created_at < :next_start "
        "AND EXISTS (SELECT 1 FROM worker w WHERE w.id = reward_award.worker_id AND " + scope_sql
        + " AND w.hired_on <= :end AND (w.left_on IS NULL OR w.left_on >= :start))", p), p)


def record_contribution_wages(session: Session, run: PayRun, actor: str, now: datetime) -> int:
    """D-14: when a run is approved, the wage each of its workers' contributions
    were declared on becomes their wage for the year, unless one is recorded:
    last year's average, or a new hire's starting wage (``rules.declared_wage``).
    Returns how many were recorded."""
    p = {"run_id": run.id, "year": int(run.month[:4]), "ly_first": f"{int(run.month[:4]) - 1}-01",
         "ly_last": f"{int(run.month[:4]) - 1}-12", "actor": actor, "now": now}
    result = session.execute(statement(
        "INSERT INTO contribution_wage (worker_id, year, wage_fen, basis, recorded_by, recorded_at) "
        "SELECT ps.worker_id, :year, ps.contribution_wage, "
        "CASE WHEN EXISTS (SELECT 1 FROM payslip ly WHERE ly.worker_id = ps.worker_id AND ly.month >= :ly_first "
        "AND ly.month <= :ly_last AND ly.paid_days_to_date > 0) THEN 'last_year_average' ELSE 'starting_wage' END, "
        ":actor, :now FROM payslip ps WHERE ps.run_id = :run_id "
        # the unique key keeps a wage already recorded (a NOT EXISTS here would scan the table being filled)
        "ON CONFLICT (worker_id, year) DO NOTHING", p), p)
    return cast(CursorResult, result).rowcount


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

