"""``workforce export budget``: a month's pay against the community work fund
(S4-7a) and the bonus and welfare pool (S4-12), community by community, from
``GET /pay-budget``."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from deploy.cli_common import checked_month, file_format, file_options, logged_in_client, write_table
from shared.money import as_yuan

COLUMNS = [
    ("grade_pay", "职务等级工资"), ("bonus_pool", "奖金福利费"), ("bonus_paid", "已分配奖金"),
    ("employer_total", "单位缴费"), ("pay_cost", "人员支出"), ("fund", "工作经费"), ("fund_left", "经费结余"),
    ("pool_allowed", "30%核定奖金"), ("pool_difference", "奖金差额"),
]
"""The amounts of each period (the month, the year to date), fen → yuan, with their Chinese headers."""

HEADER = (["社区代码", "社区名称", "所属区", "核算状态", "人数", "户数", "年度工作经费（元）"]
          + [f"本月{zh}（元）" for _, zh in COLUMNS] + ["本月超支"]
          + ["年累计月数"] + [f"年累计{zh}（元）" for _, zh in COLUMNS] + ["年累计超支"])


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else as_yuan(fen)


def _period(p: dict) -> list:
    return [_yuan(p[k]) for k, _ in COLUMNS] + ["是" if p["over_fund"] else "否"]


def budget_rows(report: dict) -> list[list]:
    """One line per community and the totals line, amounts in yuan."""
    out = []
    for r in report["rows"]:
        out.append([r["community_code"] or "（无社区）", r["community_name"], r["district"], r["status"], r["workers"],
                    r["households"], _yuan(r["annual_fund"]), *_period(r["month"]),
                    r["year_to_date"]["months"], *_period(r["year_to_date"])])
    t = report["totals"]
    out.append(["合计", None, report["jurisdiction"], t["status"], t["workers"], None, _yuan(t["annual_fund"]),
                *_period(t["month"]), t["year_to_date"]["months"], *_period(t["year_to_date"])])
    return out


@click.command("budget")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--jurisdiction", help="default: the jurisdiction of the token in use")
@file_options
def export_budget(month: str, jurisdiction: str | None, fmt: str | None, out: Path) -> None:
    """Pay cost (grade pay, bonus pool, employer contributions) against each
    community's work fund (S4-7a) and the 30% pool (S4-12), for the month and
    the year to date, amounts in yuan, with a totals line."""
    client = logged_in_client()
    params = {"month": checked_month(month), **({"jurisdiction": jurisdiction} if jurisdiction else {})}
    report = client.get("hr", "/pay-budget", params=params)
    if not report["rows"]:
        raise click.ClickException(report.get("note") or f"No payslips for {month}.")
    rows = budget_rows(report)
    write_table(out, file_format(fmt, out), HEADER, rows, f"budget {month}")
    over = [r["community_code"] for r in report["rows"] if r["month"]["over_fund"]]
    click.echo(f"Wrote {len(report['rows'])} communit{'y' if len(report['rows']) == 1 else 'ies'} of "
               f"{report['jurisdiction']} {month} ({report['totals']['status']}) and the totals to {out}.")
    if over:
        click.echo(f"Over the month's work fund: {', '.join(c or '(no community)' for c in over)}.")
