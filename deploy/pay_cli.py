"""``workforce pay``: monthly pay runs (S0-2) and their D-16 maker-checker:
one officer computes and submits a run, another reviews and approves (or
rejects) it."""
from __future__ import annotations

import sys

import click

from deploy.cli_common import checked_month, jurisdiction_of, logged_in_client, text_table, yuan_text

_TOTAL_LINES = [
    ("grade_pay", "grade pay 等级工资"), ("welfare", "welfare 福利"),
    ("certificate_allowance", "certificate allowance 持证津贴"), ("service_allowance", "service allowance 工龄津贴"),
    ("talent_allowance", "leader-talent allowance 领军人才津贴"),
    ("bonus_share", "bonus 绩效奖金"), ("floor_top_up", "floor top-up 保底补差"), ("arrears", "arrears 补发/扣回"),
    ("rewards", "rewards 奖励"), ("gross", "gross 应发"),
    ("worker_deductions", "worker deductions 个人缴费"), ("income_tax", "income tax 个人所得税"),
    ("net_pay", "net pay 实发"),
    ("employer_total", "employer contributions 单位缴费"), ("total_cost", "total cost 总成本"),
    ("city_share", "city share 市级承担"), ("district_share", "district share 区级承担"),
]
_LABELS = dict(_TOTAL_LINES)


def _heading(run: dict) -> str:
    who = {"submitted": f", submitted by {run.get('submitted_by')}", "closed": f", approved by {run.get('closed_by')}"}
    return (f"Pay run {run['id']} {run['jurisdiction']} {run['month']} ({run['status']}{who.get(run['status'], '')}, "
            f"computed {run['computations']} time(s)): {run['totals'].get('workers', 0)} payslip(s)")


def _show_totals(run: dict) -> None:
    t = run["totals"]
    click.echo(_heading(run))
    for key, label in _TOTAL_LINES:
        if key in t:
            click.echo(f"  {label:<38} {yuan_text(t[key]):>16} yuan")
    if run.get("later_months_to_recompute"):
        click.echo(f"  later months to compute again: {', '.join(run['later_months_to_recompute'])}")


def _fen(value: int | None) -> str:
    return "" if value is None else yuan_text(value)


@click.group()
def pay() -> None:
    """Monthly pay runs: compute, submit, review, approve or reject (D-16)."""


@pay.command("run")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--jurisdiction", help="city or district (default: your own)")
def pay_run(month: str, jurisdiction: str | None) -> None:
    """Compute the month's draft payslips (again, if a draft exists) and print the totals."""
    client = logged_in_client()
    body = {"jurisdiction": jurisdiction_of(client, jurisdiction), "month": checked_month(month)}
    click.echo(f"Computing the pay of {body['jurisdiction']} for {month}…")
    run = client.post("hr", "/pay-runs", body)
    _show_totals(run)
    click.echo(f"When it is right: `workforce pay submit --run {run['id']}`; another HR officer then approves it.")


@pay.command("submit")
@click.option("--run", "run_id", required=True, type=int, help="the pay run's id")
def pay_submit(run_id: int) -> None:
    """Put a draft run forward for approval by another HR officer (D-16)."""
    run = logged_in_client().post("hr", f"/pay-runs/{run_id}/submit")
    click.echo(f"Pay run {run['id']} {run['jurisdiction']} {run['month']} submitted by {run['submitted_by']}: "
               "another HR officer with authority over it reviews and approves it.")


@pay.command("review")
@click.option("--run", "run_id", required=True, type=int, help="the pay run's id")
def pay_review(run_id: int) -> None:
    """The run's totals against last month's and the largest changes of net pay."""
    _print_review(logged_in_client().get("hr", f"/pay-runs/{run_id}/review"))


def _print_review(review: dict) -> None:
    run = review["run"]
    click.echo(_heading(run))
    before = review["previous_runs"]
    if not before:
        click.echo(f"No pay run of {review['previous_month']} over {run['jurisdiction']} to compare with.")
    else:
        click.echo(f"Against {review['previous_month']}: " + ", ".join(
            f"run {r['id']} {r['jurisdiction']} ({r['status']})" for r in before))
    rows: list[list] = []
    for t in review["totals"]:
        if t["key"] == "workers":
            rows.insert(0, ["workers 人数", t["current"], t["previous"], t["difference"]])
        elif t["key"] in _LABELS:
            rows.append([_LABELS[t["key"]], yuan_text(t["current"]), _fen(t["previous"]), _fen(t["difference"])])
    click.echo(text_table(rows, ["", "this month", "last month", "difference"]))
    if before:
        click.echo(f"Joined: {review['joined']}   gone: {review['gone']}")
    changes = review["largest_changes"]
    if changes:
        click.echo(f"Largest changes of net pay ({len(changes)}):")
        rows = [[c["worker_id"], c["name"], yuan_text(c["previous_net_pay"]), yuan_text(c["net_pay"]),
                 yuan_text(c["difference"]), f"{c['line']} {yuan_text(c['line_difference'])}"] for c in changes]
        click.echo(text_table(rows, ["worker", "name", "last month", "this month", "difference", "moved most"]))
    elif before:
        click.echo("No worker's net pay changed.")


@pay.command("approve")
@click.option("--run", "run_id", required=True, type=int, help="the pay run's id")
@click.option("--note", help="kept in the run's history")
@click.option("--yes", "-y", is_flag=True, help="approve without asking")
def pay_approve(run_id: int, note: str | None, yes: bool) -> None:
    """Approve a submitted run (not one you computed or submitted): the month is
    closed, its payslips never change, and the bank file can be made."""
    client = logged_in_client()
    run = client.get("hr", f"/pay-runs/{run_id}")
    if not yes:
        click.echo(_heading(run))
        click.echo(f"  net pay 实发 {yuan_text(run['totals'].get('net_pay', 0))} yuan")
        if not click.confirm(f"Approve pay run {run_id}? {run['month']} for {run['jurisdiction']} is then closed "
                             "and its payslips never change."):
            click.echo("Not approved.")
            sys.exit(1)
    run = client.post("hr", f"/pay-runs/{run_id}/approve", {"note": note} if note else {})
    click.echo(f"Approved by {run['closed_by']} at {run['closed_at']}: {run['month']} is closed. "
               f"Bank file: `workforce export bank-file --run {run_id} -o bank-{run['month']}.xlsx`.")


@pay.command("reject")
@click.option("--run", "run_id", required=True, type=int, help="the pay run's id")
@click.option("--reason", required=True, help="why (kept in the run's history)")
def pay_reject(run_id: int, reason: str) -> None:
    """Send a submitted run back to draft (its maker withdraws it the same way)."""
    run = logged_in_client().post("hr", f"/pay-runs/{run_id}/reject", {"reason": reason})
    click.echo(f"Pay run {run['id']} is a draft again: compute it again, then submit it.")
