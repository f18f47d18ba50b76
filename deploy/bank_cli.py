"""``workforce export bank-file``: the bank payment file of an approved pay run (D-16)."""
from __future__ import annotations

from pathlib import Path

import click

from deploy.cli_common import file_format, file_options, logged_in_client, yuan_text


@click.command("bank-file")
@click.option("--run", "run_id", required=True, type=int, help="the approved pay run's id")
@file_options
def export_bank_file(run_id: int, fmt: str | None, out: Path) -> None:
    """One row per payslip (name, ID number, bank, account, net pay in yuan,
    remark) and the total, which is the run's net total."""
    kind = file_format(fmt, out)
    r = logged_in_client().request("GET", "hr", f"/pay-runs/{run_id}/bank-file", params={"format": kind})
    out.write_bytes(r.content)
    rows, missing = int(r.headers["X-Bank-File-Rows"]), int(r.headers["X-Bank-File-Missing-Accounts"])
    click.echo(f"Wrote the bank file of pay run {run_id} to {out}: {rows} row(s), "
               f"net total {yuan_text(int(r.headers['X-Bank-File-Total-Fen']))} yuan.")
    if missing:
        click.echo(f"{missing} worker(s) to pay have no bank account (备注 缺少银行账户): record them with "
                   "PUT /workers/{id}/bank-account and make the file again.", err=True)
