"""D-16: where a worker's net pay goes (bank and account number) and the bank
payment file of an approved pay run.

An account number is shown in full only to an HR officer whose jurisdiction
covers the worker (the administrator counts as one, as everywhere HR officers
act); anyone else who may see the worker (the worker on their own record,
another officer of the district) sees it masked, keeping the last 4 digits.

The bank file has one row per payslip of the run, never skipping one: a
worker without an account is listed with the remark 缺少银行账户, a net pay
of zero or less with 无需付款 (nothing to transfer; the amount is still
listed). Its 合计 row is the sum of the rows, which is the run's net total.
"""
from __future__ import annotations

import io
import re
from datetime import datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service.pay.tables import WorkerBankAccount
from hr_service.states import PayRunStatus
from hr_service.tables import PayRun, Payslip, Worker
from shared import tabular
from shared.auth import Principal, Role
from shared.errors import Conflict, Invalid, Problem
from shared.masking import mask
from shared.money import as_yuan

ACCOUNT_DIGITS = (8, 32)
BANK_MAX = 64
HEADER = ["姓名", "身份证号", "开户银行", "银行账号", "实发金额（元）", "备注"]
NO_ACCOUNT = "缺少银行账户"
NOTHING_TO_PAY = "无需付款"
TOTAL = "合计"


class BankAccountIn(msgspec.Struct, forbid_unknown_fields=True):
    """``PUT /workers/{id}/bank-account``: spaces in the number are allowed and dropped."""

    bank: str
    account_number: str


class BankAccountOut(msgspec.Struct):
    worker_id: int
    bank: str
    account_number: str
    masked: bool  # true: all but the last 4 digits hidden
    recorded_by: str
    recorded_at: datetime


def account_number(value: str) -> str:
    """The digits of an account number (spaces dropped): 8 to 32 of them, else 422."""
    digits = re.sub(r"\s+", "", value)
    lo, hi = ACCOUNT_DIGITS
    if not digits.isascii() or not digits.isdigit() or not lo <= len(digits) <= hi:
        raise Invalid("invalid_account_number", f"An account number is {lo} to {hi} digits (spaces allowed).",
                      f"银行账号须为 {lo} 至 {hi} 位数字（可含空格）。", field="account_number", clause="D-16")
    return digits


def bank_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > BANK_MAX:
        raise Invalid("invalid_bank", f"Name the bank (1 to {BANK_MAX} characters).",
                      f"开户银行须为 1 至 {BANK_MAX} 个字符。", field="bank", clause="D-16")
    return name


def sees_in_full(principal: Principal, jurisdiction: str) -> bool:
    """An HR officer (or the administrator) whose jurisdiction covers the worker's."""
    return principal.role in (Role.hr_officer, Role.admin) and principal.covers(jurisdiction)


def no_account(worker_id: int) -> Problem:
    return Problem("no_bank_account", f"Worker {worker_id} has no bank account recorded.",
                   "该社区工作者尚未登记银行账户。", clause="D-16", status=404)


def set_account(session: Session, worker: Worker, data: BankAccountIn, *, actor: str,
                now: datetime) -> WorkerBankAccount:
    """Record (or replace) the worker's account."""
    bank, number = bank_name(data.bank), account_number(data.account_number)
    row = session.execute(select(WorkerBankAccount).where(WorkerBankAccount.worker_id == worker.id)
                          .with_for_update()).scalar_one_or_none()
    if row is None:
        row = WorkerBankAccount(worker_id=worker.id)
        session.add(row)
    row.bank, row.account_number, row.recorded_by, row.recorded_at = bank, number, actor, now
    session.flush()
    return row


def account_out(session: Session, principal: Principal, worker: Worker) -> BankAccountOut:
    """The worker's account as ``principal`` may see it; 404 ``no_bank_account`` without one."""
    row = session.execute(select(WorkerBankAccount).where(WorkerBankAccount.worker_id == worker.id)).scalar()
    if row is None:
        raise no_account(worker.id)
    full = sees_in_full(principal, worker.jurisdiction)
    number = row.account_number if full else mask("account_number", row.account_number)
    return BankAccountOut(worker.id, row.bank, number or "", not full, row.recorded_by, row.recorded_at)


# --- the bank payment file -------------------------------------------------------------------------


class BankFile(msgspec.Struct):
    """The rows of a run's bank file (without the header and the total) and its counts."""

    rows: list[list]
    total_fen: int
    missing_accounts: int
    nothing_to_pay: int


def bank_file(session: Session, run: PayRun) -> BankFile:
    """One row per payslip of an approved run, in worker order; 409 before approval."""
    if run.status != PayRunStatus.closed:
        raise Conflict("pay_run_not_approved", f"The pay run of {run.month} for {run.jurisdiction} is {run.status}: "
                       "a bank file is made only once it is approved.", "工资批次审批通过后才能生成银行代发文件。",
                       clause="D-16", extra={"status": run.status})
    q = (select(Worker.name, Worker.id_number, WorkerBankAccount.bank, WorkerBankAccount.account_number,
                Payslip.net_pay)
         .select_from(Payslip).join(Worker, Worker.id == Payslip.worker_id)
         .outerjoin(WorkerBankAccount, WorkerBankAccount.worker_id == Payslip.worker_id)
         .where(Payslip.run_id == run.id).order_by(Payslip.worker_id))
    rows, total, missing, nothing = [], 0, 0, 0
    for name, id_number, bank, number, net in session.execute(q):
        if net <= 0:
            remark, nothing = NOTHING_TO_PAY, nothing + 1
        elif number is None:
            remark, missing = NO_ACCOUNT, missing + 1
        else:
            remark = ""
        rows.append([name, id_number, bank or "", number or "", as_yuan(net), remark])
        total += net
    return BankFile(rows, total, missing, nothing)


def bank_file_csv(f: BankFile) -> bytes:
    """UTF-8 with a BOM (Excel in China opens it as such); amounts with two decimals; every cell safe."""
    rows = [[*r[:4], f"{r[4]:.2f}", r[5]] for r in f.rows]
    rows.append([TOTAL, "", "", "", f"{as_yuan(f.total_fen):.2f}", ""])
    return tabular.csv_bytes(HEADER, rows)


def bank_file_xlsx(f: BankFile, title: str) -> bytes:
    """One sheet: ID and account numbers as text, amounts as exact two-decimal numbers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = tabular.sheet_title(title)
    tabular.append_rows(ws, [HEADER])
    for r in [*f.rows, [TOTAL, "", "", "", as_yuan(f.total_fen), ""]]:
        tabular.append_rows(ws, [r])
        ws.cell(ws.max_row, 5).number_format = "0.00"
        for col in (2, 4):
            ws.cell(ws.max_row, col).number_format = "@"
    for letter, width in zip("ABCDEF", (12, 22, 24, 36, 16, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
