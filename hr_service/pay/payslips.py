"""Payslips: a stored one, a preview computed the way a run would, a run's
list, and a worker's history; each with its lines (D-16, ``lines``)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.pay.arrears import adjustments_of
from hr_service.pay.figures import figures
from hr_service.pay.lines import Line, Reward, lines_of, rewards_of
from hr_service.pay.sql import COLUMNS, base_params, earlier_runs, payslip_sql
from hr_service.sqlbits import dialect, in_scope, no_jit, statement, worker_jurisdictions
from hr_service.store.policies import POLICIES
from hr_service.tables import PayRun, Payslip, Worker
from shared.dates import add_to_month, month_bounds, month_of
from shared.errors import Conflict, Invalid, NotFound
from shared.paging import fetch_page
from shared.policy import Policies


class PayslipHeader(msgspec.Struct):
    """Whose payslip, which month and run, and the facts it was computed from."""

    worker_id: int
    month: str
    status: str  # preview | draft | closed
    run_id: int | None
    jurisdiction: str
    community_code: str | None
    pool_key: str
    post: str
    grade: int
    performance_score: float
    service_years: int


class PayslipRow(PayslipHeader):
    """A payslip as a row of a pay run's listing: the header, then every amount
    of ``rules.PayLines`` in its order (the CLI's export keeps this column
    order; tests/hr/test_pay_api.py checks the two lists agree)."""

    grade_pay: int
    welfare: int
    certificate_allowance: int
    service_allowance: int
    talent_allowance: int
    bonus_pool: int
    bonus_share: int
    paid_days: int
    paid_days_to_date: int
    floor_to_date: int
    months_to_date: int
    paid_before: int
    paid_to_date: int
    floor_top_up: int
    arrears: int
    rewards: int
    gross: int
    contribution_wage: int
    contribution_base: int
    er_pension: int
    er_medical: int
    er_unemployment: int
    er_maternity: int
    er_work_injury: int
    er_housing_fund: int
    employer_total: int
    ee_pension: int
    ee_medical: int
    ee_unemployment: int
    ee_maternity: int
    ee_work_injury: int
    ee_housing_fund: int
    worker_deductions: int
    income_to_date: int
    basic_deduction_to_date: int
    contributions_to_date: int
    special_deductions_to_date: int
    taxable_to_date: int
    tax_due_to_date: int
    tax_withheld_before: int
    income_tax: int
    net_pay: int
    total_cost: int
    city_share: int
    district_share: int


class AdjustmentLine(msgspec.Struct):
    """D-12: an earlier month made good on this payslip: ``amount`` in fen,
    above zero arrears (补发), below zero a recovery (扣回); the payslip's
    ``arrears`` is the sum of its lines."""

    covers: str  # YYYY-MM
    kind: str  # arrears | recovery
    amount: int
    reason: str
    clause: str


class PayslipOut(PayslipRow):
    """A worker's payslip: the row, the months it makes good (D-12), its id
    (None for a preview) and its lines (D-16, ``hr_service.pay.lines``)."""

    adjustments: list[AdjustmentLine] = []
    id: int | None = None
    lines: list[Line] = []


def line_out(a: rules.Adjustment) -> AdjustmentLine:
    return AdjustmentLine(a.covers, a.kind, a.amount, a.reason, a.clause)


STORED = select(Payslip, PayRun.status).join(PayRun, PayRun.id == Payslip.run_id)
"""Stored payslips with the status of their run."""


def _slip(values: dict, month: str, status: str, run_id: int | None, out: type = PayslipOut, **extra) -> Any:
    """The payslip of a row of ``COLUMNS``: the score in points, not hundredths."""
    v = dict(values)
    score = v.pop("score_centi")
    return out(month=month, status=status, run_id=run_id, performance_score=score / 100, **v, **extra)


def _row(slip: Payslip, status: str) -> PayslipRow:
    return _slip({c: getattr(slip, c) for c in COLUMNS}, slip.month, status, slip.run_id, PayslipRow)


def _stored(slip: Payslip, status: str, made_good: list[rules.Adjustment], rewards: list[Reward]) -> PayslipOut:
    values = {c: getattr(slip, c) for c in COLUMNS}
    return _slip(values, slip.month, status, slip.run_id, adjustments=[line_out(a) for a in made_good],
                 id=slip.id, lines=lines_of(values, made_good, rewards))


def _with_lines(session: Session, rows: Sequence[Row]) -> list[PayslipOut]:
    """Stored payslips with their lines: the months made good and the rewards
    paid, two more queries however many payslips."""
    pairs = [(slip.run_id, slip.worker_id) for slip, _ in rows]
    made_good = adjustments_of(session, pairs)
    rewards = rewards_of(session, pairs)
    return [_stored(slip, status, made_good.get((slip.run_id, slip.worker_id), []),
                    rewards.get((slip.run_id, slip.worker_id), [])) for slip, status in rows]


def _preview(session: Session, worker: Worker, month: str, policies: Policies) -> dict:
    """The worker's payslip columns computed as a run over their community
    would (the share depends on the pool), without storing anything."""
    p = base_params(month)
    scope_sql = in_scope("w", p, worker.jurisdiction)
    if worker.community_code is not None:
        scope_sql += " AND w.community_code = :cc"
        p["cc"] = worker.community_code
    else:
        scope_sql += " AND w.id = :wid"
        p["wid"] = worker.id
    f = figures(session, policies, worker_jurisdictions(session, p, scope_sql), p["end"])
    p["earlier_runs"] = earlier_runs(session, p)
    sql = payslip_sql(dialect(session), p, scope_sql, f)
    no_jit(session)
    p["me"] = worker.id
    row = session.execute(statement(
        f"SELECT {', '.join(COLUMNS)} FROM ({sql}) AS computed WHERE worker_id = :me", p), p).first()
    if row is None:
        raise NotFound("payslip for month", "工资单", month, field="month")
    return dict(zip(COLUMNS, row, strict=True))


def payslip_of(session: Session, worker: Worker, month: str, policies: Policies = POLICIES) -> PayslipOut:
    """The stored payslip of a pay run, with its lines, or a preview computed
    the same way (over the worker's community, whose pool the share depends
    on); a preview makes no earlier month good (D-12) and pays no reward
    (S4-13): the run does."""
    month_bounds(month)
    stored = session.execute(STORED.where(Payslip.worker_id == worker.id, Payslip.month == month)).all()
    if stored:
        return _with_lines(session, stored)[0]
    values = _preview(session, worker, month, policies)
    if values["grade_pay"] < 0:
        raise Conflict("no_grade_pay", f"The pay scale in force has no amount for {values['post']} grade "
                       f"{values['grade']}.", "现行工资标准中没有该岗位档次的金额。", clause="D-2")
    return _slip(values, month, "preview", None, lines=lines_of(values))


def stored_payslip(session: Session, payslip_id: int) -> PayslipOut:
    """A stored payslip by its id, with its lines; 404 when there is none."""
    rows = session.execute(STORED.where(Payslip.id == payslip_id)).all()
    if not rows:
        raise NotFound("payslip", "工资单", payslip_id)
    return _with_lines(session, rows)[0]


def list_payslips(session: Session, run_id: int, limit: int, offset: int) -> tuple[list[PayslipRow], int]:
    """One page of a run's payslips by worker, and how many it has."""
    run = session.get(PayRun, run_id)
    if run is None:
        raise NotFound("pay run", "工资批次", run_id)
    rows, total = fetch_page(session, select(Payslip).where(Payslip.run_id == run_id), [Payslip.worker_id],
                             limit, offset)
    return [_row(slip, run.status) for slip in rows.scalars()], total


def month_range(first: str | None, last: str | None, today: date, default_months: int = 12) -> tuple[str, str]:
    """``from``/``to`` of a payslip listing (YYYY-MM, inclusive): ``to`` defaults
    to this month and ``from`` to ``default_months`` months up to ``to``."""
    if last is None:
        last = month_of(today)
    month_bounds(last, "to")
    if first is None:
        first = add_to_month(last, -(default_months - 1))
    month_bounds(first, "from")
    if first > last:
        raise Invalid("empty_month_range", f"from {first} is after to {last}.",
                      f"起始月份 {first} 晚于截止月份 {last}。",
                      field="from")
    return first, last


def stored_payslips(session: Session, worker_id: int, first: str, last: str) -> list[PayslipOut]:
    """The worker's payslips of draft and closed pay runs from ``first`` to
    ``last`` (YYYY-MM), by month, with their adjustment lines: two queries
    however many months."""
    rows = session.execute(
        STORED.where(Payslip.worker_id == worker_id, Payslip.month >= first, Payslip.month <= last)
        .order_by(Payslip.month)
    ).all()
    return _with_lines(session, rows)
