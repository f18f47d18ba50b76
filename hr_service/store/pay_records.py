"""The records a payroll reads besides the grade history: special additional
deductions a worker declared (D-13), the wage contributions are declared on
for a year (D-14) and unpaid absence (D-15). ``rules.tax`` and ``rules.pay``
decide; this module loads and saves. The pay run reads these tables as they
stand: a deduction changed late is caught up by the cumulative method on the
next payslip; an absence reaching into paid months asks the next pay run to
make good the difference (``store.history.recheck``)."""
from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service.pay.tables import ContributionWage, TaxDeduction, UnpaidAbsence
from hr_service.rules.pay import Insurance, contribution_base
from hr_service.rules.tax import OPEN, Declaration, DeductionKind, IncomeTax, declaration_refusal
from hr_service.states import PayRunStatus
from hr_service.store.history import recheck
from hr_service.tables import PayRun, Payslip, Worker
from shared.dates import add_to_month, month_bounds, month_of
from shared.errors import Conflict, Invalid, NotFound, before_hire, check_year, ends_before_start, refuse_future
from shared.policy import Policies, PolicyBook

TAX = "income_tax"


# --- D-13: special additional deductions ------------------------------------------


def tax_rule(book: PolicyBook, jurisdiction: str, as_of: date) -> IncomeTax:
    """D-13: the income tax policy in force; without a version, the default
    the payroll withholds by (``rules.PayFigures``)."""
    try:
        return book.in_force(TAX, jurisdiction, as_of)
    except NotFound:
        return IncomeTax()


def tax_book(session: Session, policies: Policies) -> PolicyBook:
    """Every version of the income tax policy, read once."""
    return policies.book(session, (TAX,))


def kinds_in_force(session: Session, policies: Policies, jurisdiction: str, on: date) -> dict[str, DeductionKind]:
    """The kinds of deduction a worker of ``jurisdiction`` may declare on ``on`` (D-13)."""
    return tax_rule(tax_book(session, policies), jurisdiction, on).deductions


def kind_of(book: PolicyBook, d: TaxDeduction, jurisdiction: str) -> DeductionKind | None:
    """The kind of a recorded declaration as the policy in force on its first month words it."""
    return tax_rule(book, jurisdiction, month_bounds(d.from_month)[0]).deductions.get(d.kind)


def deductions(session: Session, worker_id: int) -> list[TaxDeduction]:
    """A worker's declarations by ``from_month``, then id."""
    return list(session.execute(select(TaxDeduction).where(TaxDeduction.worker_id == worker_id)
                                .order_by(TaxDeduction.from_month, TaxDeduction.id)).scalars())


def deduction_of(session: Session, worker_id: int, deduction_id: int) -> TaxDeduction:
    """The worker's declaration, or 404 (another worker's too)."""
    d = session.get(TaxDeduction, deduction_id)
    if d is None or d.worker_id != worker_id:
        raise NotFound("tax deduction", "专项附加扣除", deduction_id)
    return d


def closed_months(session: Session, worker_id: int, first: str, last: str) -> list[str]:
    """The months from ``first`` to ``last`` (YYYY-MM, inclusive) the worker
    has a payslip of a closed pay run for, in order: what D-13, D-14 and
    D-15 changes leave as it was paid."""
    return list(session.execute(select(Payslip.month).join(PayRun, PayRun.id == Payslip.run_id).where(
        Payslip.worker_id == worker_id, PayRun.status == PayRunStatus.closed.value,
        Payslip.month >= first, Payslip.month <= last).order_by(Payslip.month)).scalars())


CUMULATIVE_SINCE = "2019-01"
"""D-13: the cumulative method applies from 2019 (个人所得税法 2018, 61号公告)."""


def declaration_window(from_month: str, hired_on: date, today: date) -> None:
    """D-13: a declaration starts no earlier than the worker's hire month (nor
    2019, when the cumulative method began: records of past years may be
    entered) and not in a later year than this one (next year's are declared
    when it comes)."""
    earliest, latest = max(month_of(hired_on), CUMULATIVE_SINCE), f"{today.year}-12"
    if not earliest <= from_month <= latest:
        raise Invalid("from_month_out_of_range", f"from_month must be {earliest}..{latest}; {from_month} is not.",
                      f"起始月份须在 {earliest} 至 {latest} 之间（{from_month} 不在其中）。", field="from_month",
                      clause="D-13")


def _invalid(code: str, new: Declaration, rule: IncomeTax) -> Invalid:
    """A refusal of ``rules.tax.declaration_refusal`` on the declaration alone, naming its field."""
    if code == "unknown_deduction_kind":
        names = ", ".join(rule.deductions)
        return Invalid(code, f"kind must be one of {names}; '{new.kind}' is not.",
                       f"扣除项目须为以下之一：{names}（“{new.kind}”不是）。", field="kind", clause="D-13")
    if code == "deduction_above_maximum":
        kind = rule.deductions[new.kind]
        return Invalid(code, f"monthly_fen must be above 0 and at most {kind.max_monthly_fen} fen for {new.kind}; "
                       f"{new.monthly_fen} is not.",
                       f"{kind.zh}每月扣除额须大于 0 且不超过 {kind.max_monthly_fen} 分（{new.monthly_fen} 不符）。",
                       field="monthly_fen", clause="D-13")
    return ends_before_start("to_month", new.to_month, new.from_month, clause="D-13")  # empty_month_range


def _conflict(code: str, new: Declaration, existing: TaxDeduction) -> Conflict:
    """A refusal of ``rules.tax.declaration_refusal`` beside ``existing``, naming it."""
    where = f"declaration {existing.id} ({existing.kind}, {existing.from_month}..{existing.to_month or ''})"
    extra = {"existing_id": existing.id}
    if code == "deduction_excluded":
        return Conflict(code, f"{new.kind} cannot be declared beside {where} for the same months; end that one "
                        "first.", f"同一月份不能与已申报的{where}同时申报，请先终止已申报的一项。", field="from_month",
                        clause="D-13", extra=extra)
    return Conflict(code, f"{new.kind} is already declared for some of these months: {where}.",
                    f"部分月份已申报该扣除项目：{where}。", field="from_month", clause="D-13", extra=extra)


def check_declaration(new: Declaration, existing: list[TaxDeduction], rule: IncomeTax) -> None:
    """D-13: ``rules.tax.declaration_refusal`` alone, then beside each recorded
    declaration in turn, so that a refusal names the one in the way; a
    per-person kind names its person."""
    alone = declaration_refusal(new, [], rule)
    if alone is not None:
        raise _invalid(alone[0], new, rule)
    kind = rule.deductions[new.kind]
    if kind.per_person and not new.person:
        raise Invalid("person_required", f"{new.kind} is declared per person: name the person (a child, a parent).",
                      f"{kind.zh}按人申报，请填写对应人员。", field="person", clause="D-13")
    for d in existing:
        refusal = declaration_refusal(new, [Declaration(d.kind, d.monthly_fen, d.from_month, d.to_month, d.person)],
                                      rule)
        if refusal is not None:
            raise _conflict(refusal[0], new, d)


def declare(
    session: Session, book: PolicyBook, worker: Worker, *, kind: str, monthly_fen: int, from_month: str,
    to_month: str | None, person: str | None, actor: str, now: datetime, today: date,
) -> TaxDeduction:
    """D-13: record a declaration, checked against the worker's others by the
    policy in force for the worker's jurisdiction on the first day of ``from_month``."""
    start, _ = month_bounds(from_month, "from_month")
    if to_month is not None:
        month_bounds(to_month, "to_month")
    person = (person or "").strip() or None
    new = Declaration(kind, monthly_fen, from_month, to_month, person)
    declaration_window(from_month, worker.hired_on, today)
    check_declaration(new, _locked_deductions(session, worker.id), tax_rule(book, worker.jurisdiction, start))
    row = TaxDeduction(worker_id=worker.id, kind=kind, monthly_fen=monthly_fen, from_month=from_month,
                       to_month=to_month, person=person, recorded_by=actor, recorded_at=now)
    session.add(row)
    session.flush()
    return row


def end_deduction(session: Session, book: PolicyBook, worker: Worker, deduction_id: int,
                  to_month: str | None) -> TaxDeduction:
    """D-13: set (or clear) a declaration's last month, with the checks of a
    new one. Months already paid need no recheck: the cumulative method counts
    the year's deductions to date afresh on the next payslip, which catches up
    the difference (an earlier year's is settled by the annual reconciliation)."""
    if to_month is not None:
        month_bounds(to_month, "to_month")
    others = _locked_deductions(session, worker.id)
    d = deduction_of(session, worker.id, deduction_id)
    new = Declaration(d.kind, d.monthly_fen, d.from_month, to_month, d.person)
    check_declaration(new, [o for o in others if o.id != d.id],
                      tax_rule(book, worker.jurisdiction, month_bounds(d.from_month)[0]))
    d.to_month = to_month
    session.flush()
    return d


def remove_deduction(session: Session, worker: Worker, deduction_id: int) -> None:
    """D-13: delete a declaration recorded in error; one a closed payslip of the
    worker counted (a month of it paid) is ended with ``to_month`` instead (409)."""
    d = deduction_of(session, worker.id, deduction_id)
    paid = next(iter(closed_months(session, worker.id, d.from_month, d.to_month or OPEN)), None)
    if paid is not None:
        raise Conflict("deduction_used", f"Declaration {d.id} was counted by the closed payslip of {paid}; end it "
                       "with to_month instead.", f"该申报已计入 {paid} 已结账的工资单，请设置截止月份终止，不能删除。",
                       clause="D-13", extra={"paid_month": paid})
    session.delete(d)
    session.flush()


def _locked_deductions(session: Session, worker_id: int) -> list[TaxDeduction]:
    """The worker's declarations, the worker's row locked first so that two
    declarations at once are checked one after the other."""
    session.execute(select(Worker.id).where(Worker.id == worker_id).with_for_update())
    return deductions(session, worker_id)


# --- D-14: the declared contribution wage ----------------------------------------


def contribution_wages(session: Session, worker_id: int) -> list[ContributionWage]:
    return list(session.execute(select(ContributionWage).where(ContributionWage.worker_id == worker_id)
                                .order_by(ContributionWage.year)).scalars())


def base_day(year: int, today: date) -> date:
    """D-14: the day whose insurance policy shows a year's base: 1 July, the
    middle of the contribution year, or today for a year not yet that far. A
    payslip is charged by the policy in force on its month's last day, so a
    policy changed within the year holds the months on either side differently."""
    return min(date(year, 7, 1), today)


def base_fen(book: PolicyBook, jurisdiction: str, year: int, wage_fen: int, today: date) -> int | None:
    """D-14: the wage held within the floor and ceiling of the insurance policy
    on ``base_day``; None before the first insurance version."""
    try:
        ins: Insurance = book.in_force("insurance", jurisdiction, base_day(year, today))
    except NotFound:
        return None
    return contribution_base(wage_fen, ins)


class WageDeclared(NamedTuple):
    row: ContributionWage
    created: bool
    applies_from: str | None


def declare_wage(session: Session, worker: Worker, *, year: int, wage_fen: int, reason: str, actor: str,
                 now: datetime, today: date) -> WageDeclared:
    """D-14: HR declares the wage for a contribution year (basis ``declared``),
    for a year from the worker's hire to next year, replacing any recorded.
    It applies from the first month of the year (or of the hire) without a
    closed payslip of the worker: the closed months keep what they charged."""
    check_year(year, "year", (worker.hired_on.year, today.year + 1))
    if wage_fen <= 0:
        raise Invalid("invalid_wage", f"wage_fen must be above 0; {wage_fen} is not.",
                      f"申报工资须大于 0（{wage_fen}）。", field="wage_fen", clause="D-14")
    row = session.execute(select(ContributionWage).where(
        ContributionWage.worker_id == worker.id, ContributionWage.year == year).with_for_update()).scalar()
    created = row is None
    if row is None:
        row = ContributionWage(worker_id=worker.id, year=year)
        session.add(row)
    row.wage_fen, row.basis, row.reason, row.recorded_by, row.recorded_at = wage_fen, "declared", reason, actor, now
    session.flush()
    return WageDeclared(row, created, _first_open_month(session, worker, year))


def _first_open_month(session: Session, worker: Worker, year: int) -> str | None:
    closed = set(closed_months(session, worker.id, f"{year}-01", f"{year}-12"))
    month = max(f"{year}-01", month_of(worker.hired_on))
    while month <= f"{year}-12":
        if month not in closed:
            return month
        month = add_to_month(month, 1)
    return None


# --- D-15: unpaid absence ----------------------------------------------------------


def absences(session: Session, worker_id: int) -> list[UnpaidAbsence]:
    return list(session.execute(select(UnpaidAbsence).where(UnpaidAbsence.worker_id == worker_id)
                                .order_by(UnpaidAbsence.first_day, UnpaidAbsence.id)).scalars())


class AbsenceRecorded(NamedTuple):
    row: UnpaidAbsence
    closed_months: list[str]
    rechecked: bool


def record_absence(session: Session, worker: Worker, *, first_day: date, last_day: date, reason: str, actor: str,
                   now: datetime, today: date) -> AbsenceRecorded:
    """D-15: days absent without pay, on the rolls (from the hire to the last
    day, if the worker left), begun by today, overlapping no other absence.
    Its weekdays come off the paid days of its months; months already paid
    are made good by the next pay run (a recovery, D-12)."""
    if last_day < first_day:
        raise ends_before_start("last_day", last_day, first_day, clause="D-15")
    if first_day < worker.hired_on:
        raise before_hire("first_day", first_day, worker.hired_on, clause="D-15")
    if worker.left_on is not None and last_day > worker.left_on:
        raise Invalid("not_on_rolls", f"last_day {last_day} is after the worker's last day {worker.left_on}.",
                      f"结束日期（{last_day}）晚于离职日期（{worker.left_on}）。", field="last_day", clause="D-15")
    refuse_future(first_day, today, "first_day", clause="D-15")
    session.execute(select(Worker.id).where(Worker.id == worker.id).with_for_update())
    other = session.execute(select(UnpaidAbsence).where(
        UnpaidAbsence.worker_id == worker.id, UnpaidAbsence.first_day <= last_day,
        UnpaidAbsence.last_day >= first_day).order_by(UnpaidAbsence.first_day).limit(1)).scalar()
    if other is not None:
        raise Conflict("absence_overlaps", f"Absence {other.id} ({other.first_day}..{other.last_day}) covers some of "
                       "these days.", f"已登记的事假（{other.first_day} 至 {other.last_day}）与这些日期重叠。",
                       field="first_day", clause="D-15", extra={"existing_id": other.id})
    row = UnpaidAbsence(worker_id=worker.id, first_day=first_day, last_day=last_day, reason=reason,
                        recorded_by=actor, recorded_at=now)
    session.add(row)
    session.flush()
    done = recheck(session, worker, first_day, reason=f"unpaid absence {first_day}..{last_day}: {reason}",
                   clause="D-15", source=f"unpaid_absence:{row.id}", actor=actor, now=now)
    return AbsenceRecorded(row, closed_months(session, worker.id, month_of(first_day), month_of(last_day)), done > 0)


def remove_absence(session: Session, worker: Worker, absence_id: int, *, actor: str, now: datetime) -> bool:
    """D-15: delete an absence recorded in error; the months it took pay from
    that are already paid are made good by the next pay run (arrears). Whether
    a recheck was recorded."""
    a = session.get(UnpaidAbsence, absence_id)
    if a is None or a.worker_id != worker.id:
        raise NotFound("unpaid absence", "事假记录", absence_id)
    first_day, last_day = a.first_day, a.last_day
    session.delete(a)
    session.flush()
    return recheck(session, worker, first_day, reason=f"unpaid absence {first_day}..{last_day} withdrawn",
                   clause="D-15", source=f"unpaid_absence:{absence_id}", actor=actor, now=now) > 0
