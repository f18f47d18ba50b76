"""``workforce export payslips``: a month's payslips as a spreadsheet, one column
per kind of payslip line (D-16), headed in Chinese, amounts in yuan."""
from __future__ import annotations

from pathlib import Path

import click

from deploy.cli_common import checked_month, file_format, file_options, logged_in_client, write_table
from shared.money import as_yuan

FIRST = [("姓名", None), ("工号", "worker_id"), ("月份", "month"), ("社区", "community_code"), ("岗位", "post"),
         ("档次", "grade")]
"""The columns before the lines: who, which month, where and on which post and grade."""

MADE_GOOD = "补发/扣回（元）"
"""D-12: the month's arrears (补发) and recoveries (扣回), summed into one column."""


def line_columns() -> list[tuple[str, str]]:
    """(header, payslip field) for each kind of payslip line, in the payslip's
    order (``hr_service.pay.lines.LINE_KINDS``): amounts in yuan, the paid
    days in days (D-15). The arrears and recoveries share one column."""
    from hr_service.pay.lines import DAYS, LINE_KINDS

    out = []
    for k in LINE_KINDS:
        if k.kind == "recovery":
            continue
        if k.kind == "arrears":
            out.append((MADE_GOOD, k.column))
        else:
            out.append((f"{k.label_zh}（{'天' if k.kind in DAYS else '元'}）", k.column))
    return out


def payslip_table(slips: list[dict], names: dict[int, str]) -> tuple[list[str], list[list]]:
    """The header and one row per payslip (a row of ``/pay-runs/{id}/payslips``):
    fen and hundredths of a day both divided by 100."""
    lines = line_columns()
    header = [h for h, _ in FIRST] + [h for h, _ in lines]
    rows = [[names.get(s["worker_id"], "")] + [s[f] for _, f in FIRST[1:]]
            + [as_yuan(s[f]) for _, f in lines] for s in slips]
    return header, rows


@click.command("payslips")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--jurisdiction", help="only the pay run of this jurisdiction")
@file_options
def export_payslips(month: str, jurisdiction: str | None, fmt: str | None, out: Path) -> None:
    """The payslips of the month's pay run(s), one row per worker: 姓名, 工号,
    then one column per payslip line (等级工资（元）… 实发（元）), amounts in yuan."""
    client = logged_in_client()
    params = {"month": checked_month(month), **({"jurisdiction": jurisdiction} if jurisdiction else {})}
    runs = client.get("hr", "/pay-runs", params=params)
    if not runs:
        raise click.ClickException(f"No pay run for {month}"
                                   + (f" in {jurisdiction}" if jurisdiction else "")
                                   + f": run `workforce pay run --month {month}` first.")
    total = sum(r["totals"].get("workers", 0) for r in runs)
    names: dict[int, str] = {}
    for r in runs:
        names.update({w["id"]: w["name"] for w in client.pages("hr", "/workers", {"jurisdiction": r["jurisdiction"]})})
    slips: list[dict] = []
    with click.progressbar(length=total, label=f"Fetching {total} payslip(s)") as bar:
        for r in runs:
            for slip in client.pages("hr", f"/pay-runs/{r['id']}/payslips"):
                slips.append(slip)
                bar.update(1)
    if not slips:
        raise click.ClickException(f"The pay run(s) of {month} have no payslips.")
    header, rows = payslip_table(slips, names)
    write_table(out, file_format(fmt, out), header, rows, f"工资单 {month}")
    click.echo(f"Wrote {len(rows)} payslip(s) of {month} ({', '.join(r['status'] for r in runs)}) to {out}.")
