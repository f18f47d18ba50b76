"""D-16: a payslip as a list of lines, each with its clause.

``LINE_KINDS`` is the catalogue, in display order: what each line is called
(Chinese and English), which payslip column it reads, the clause it rests on
and its group:

earning
    grade pay, welfare, allowances, bonus share, floor top-up, then one line
    per reward the run pays (S4-13, the award's reason as its note) and one
    per month made good (D-12, ``covers`` the month, the reason as its note;
    补发 above zero, 扣回 below), in month order. They add up to the gross.
total
    the gross (应发合计) after the earnings, the net pay (实发) after the
    deductions: gross − deductions = net pay.
deduction
    the worker's contributions (S4-11, S0-2, D-14) and the income tax withheld (D-13).
employer
    the employer's contributions and their total: a cost of the employer,
    shown for information, not taken from the pay.
info
    the paid days (D-15; the amount in hundredths of a day, 2175 = 21.75
    days), the contribution base (D-14) and the year's withholding figures (D-13).

A line whose amount is 0 is left out, except grade pay, gross and net pay.
Amounts are in fen.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec
from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.sqlbits import statement

EARNING, DEDUCTION, TOTAL, EMPLOYER, INFO = "earning", "deduction", "total", "employer", "info"
GROUPS = (EARNING, DEDUCTION, TOTAL, EMPLOYER, INFO)


class LineKind(msgspec.Struct, frozen=True):
    """One kind of payslip line: the payslip column it reads, its labels, clause and group."""

    kind: str
    column: str
    label_zh: str
    label_en: str
    clause: str
    group: str


class Line(msgspec.Struct):
    """One line of a payslip: ``amount`` in fen (``paid_days`` in hundredths of
    a day); ``covers`` the month an arrears or recovery line makes good
    (YYYY-MM), ``note`` the reason of a reward or of a month made good."""

    kind: str
    label_zh: str
    label_en: str
    amount: int
    clause: str
    group: str
    covers: str | None = None
    note: str | None = None


class Reward(msgspec.Struct, frozen=True):
    """A reward paid by a payslip (S4-13): its amount in fen and the award's reason."""

    amount: int
    reason: str


_INSURANCES = (("pension", "养老保险", "Pension insurance"), ("medical", "医疗保险", "Medical insurance"),
               ("unemployment", "失业保险", "Unemployment insurance"), ("maternity", "生育保险", "Maternity insurance"),
               ("work_injury", "工伤保险", "Work-injury insurance"), ("housing_fund", "住房公积金", "Housing fund"))


def _contribution(side: str, key: str, zh: str, en: str) -> LineKind:
    """An employee (``ee``) or employer (``er``) contribution: the five insurances
    (S4-11) and the housing fund (S0-2), on the declared base (D-14)."""
    who_zh, who_en, group = ("个人", "employee", DEDUCTION) if side == "ee" else ("单位", "employer", EMPLOYER)
    clause = "S0-2, D-14" if key == "housing_fund" else "S4-11, D-14"
    return LineKind(f"{side}_{key}", f"{side}_{key}", f"{zh}（{who_zh}）", f"{en} ({who_en})", clause, group)


LINE_KINDS: tuple[LineKind, ...] = (
    LineKind("grade_pay", "grade_pay", "等级工资", "Grade pay", "S4-10, D-2", EARNING),
    LineKind("welfare", "welfare", "福利", "Welfare", "S4-9", EARNING),
    LineKind("certificate_allowance", "certificate_allowance", "持证津贴", "Certificate allowance", "D-3", EARNING),
    LineKind("service_allowance", "service_allowance", "工龄津贴", "Length-of-service allowance", "D-3", EARNING),
    LineKind("talent_allowance", "talent_allowance", "领军人才津贴", "Leader-talent allowance", "D-7", EARNING),
    LineKind("bonus_share", "bonus_share", "绩效奖金", "Performance bonus", "S4-12, S2-5", EARNING),
    LineKind("floor_top_up", "floor_top_up", "保底补差", "Pay-floor top-up", "S0-2", EARNING),
    LineKind("rewards", "rewards", "奖励", "Reward", "S4-13", EARNING),
    LineKind("arrears", "arrears", "补发", "Arrears", "D-12", EARNING),
    LineKind("recovery", "arrears", "扣回", "Recovery", "D-12", EARNING),
    LineKind("gross", "gross", "应发合计", "Gross pay", "D-16", TOTAL),
    *(_contribution("ee", *i) for i in _INSURANCES),
    LineKind("income_tax", "income_tax", "个人所得税", "Income tax", "D-13", DEDUCTION),
    LineKind("net_pay", "net_pay", "实发", "Net pay", "D-16", TOTAL),
    *(_contribution("er", *i) for i in _INSURANCES),
    LineKind("employer_total", "employer_total", "单位缴费合计", "Employer contributions, total", "S0-2, D-14",
             EMPLOYER),
    LineKind("paid_days", "paid_days", "计薪天数", "Paid days", "D-15", INFO),
    LineKind("contribution_base", "contribution_base", "缴费基数", "Contribution base", "D-14", INFO),
    LineKind("taxable_to_date", "taxable_to_date", "累计应纳税所得额", "Taxable income to date", "D-13", INFO),
    LineKind("tax_due_to_date", "tax_due_to_date", "累计应纳税额", "Tax due to date", "D-13", INFO),
    LineKind("tax_withheld_before", "tax_withheld_before", "累计已预扣税额", "Tax withheld earlier this year", "D-13",
             INFO),
)
"""Every kind of payslip line, in display order (D-16)."""

KINDS = {k.kind: k for k in LINE_KINDS}
KEPT = frozenset({"grade_pay", "gross", "net_pay"})
"""Lines shown even when their amount is 0."""
DAYS = frozenset({"paid_days"})
"""Lines counted in hundredths of a day, not in fen."""


def _line(k: LineKind, amount: int, covers: str | None = None, note: str | None = None) -> Line:
    return Line(k.kind, k.label_zh, k.label_en, amount, k.clause, k.group, covers, note)


def lines_of(values: Mapping[str, int], adjustments: Sequence[rules.Adjustment] = (),
             rewards: Sequence[Reward] = ()) -> list[Line]:
    """The lines of a payslip, from its columns (``values``), the months it
    makes good (D-12) and the rewards it pays (S4-13), in ``LINE_KINDS``
    order; lines of 0 left out but for grade pay, gross and net pay. The
    arrears and recoveries are one line each, in month order, where the
    catalogue has arrears."""
    out: list[Line] = []
    for k in LINE_KINDS:
        if k.kind == "rewards":
            out.extend(_line(k, r.amount, note=r.reason) for r in rewards if r.amount)
        elif k.kind == "arrears":
            for a in sorted(adjustments, key=lambda a: a.covers):
                if a.amount:
                    made_good = KINDS[a.kind]
                    out.append(Line(made_good.kind, made_good.label_zh, made_good.label_en, a.amount, a.clause,
                                    made_good.group, a.covers, a.reason))
        elif k.kind == "recovery":
            continue  # beside the arrears, in month order
        elif values[k.column] or k.kind in KEPT:
            out.append(_line(k, values[k.column]))
    return out


def rewards_of(session: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list[Reward]]:
    """S4-13: the rewards each (run, worker) of ``pairs`` pays, in the order
    they were awarded, in one query however many."""
    if not pairs:
        return {}
    p = {"runs": sorted({r for r, _ in pairs}), "workers": sorted({w for _, w in pairs})}
    stmt = statement("SELECT paid_run_id, worker_id, amount_fen, reason FROM reward_award "
                     "WHERE paid_run_id IN :runs AND worker_id IN :workers ORDER BY id", p).bindparams(
        bindparam("runs", expanding=True), bindparam("workers", expanding=True))
    out: dict[tuple[int, int], list[Reward]] = {}
    for run_id, worker_id, amount, reason in session.execute(stmt, p):
        out.setdefault((run_id, worker_id), []).append(Reward(amount, reason))
    return out
