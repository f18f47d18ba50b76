"""The ``workforce`` command."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from deploy import accounts_cli, audit_cli, bank_cli, budget_cli, calendar_cli, pay_cli, payslip_export, topology
from deploy.cli_common import file_format, file_options, jurisdiction_of, logged_in_client, text_table, write_table
from deploy.stats_cli import stats


@click.group()
def main() -> None:
    """Workforce and training management for community workers (社区工作者)."""


main.add_command(calendar_cli.calendar)
main.add_command(accounts_cli.accounts)
main.add_command(pay_cli.pay)
main.add_command(audit_cli.audit)
main.add_command(stats)


@main.command()
def up() -> None:
    """Start the whole suite on its embedded defaults (Ctrl-C stops it)."""
    from deploy.launcher import up as run

    sys.exit(run(topology.settings()))


@main.command()
@click.option("-u", "--username", prompt=True)
@click.option("-p", "--password", prompt=True, hide_input=True)
def login(username: str, password: str) -> None:
    """Log in to the HR service and keep the token for later commands."""
    from deploy.client import Client, credentials_file, save_token

    client = Client(token="")
    body = client.login(username, password)
    save_token(body["access_token"], username, client.urls["hr"])
    click.echo(f"Logged in as {username} ({body['role']}, {body['jurisdiction']}) until {body['expires_at']}.")
    click.echo(f"Token kept in {credentials_file()}.")


@main.command()
def migrate() -> None:
    """Apply migrations and policy seeds to every service database."""
    from deploy.services import prepare

    generated = prepare(topology.settings())
    click.echo("Databases are at head.")
    if generated:
        click.echo(f"Admin account created. Username: admin  Password: {generated}")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("revision")
@click.argument("service", type=click.Choice(topology.SERVICES))
@click.option("-m", "--message", required=True)
def db_revision(service: str, message: str) -> None:
    """Write a new migration for SERVICE from its tables."""
    from shared.migrate import revision

    revision(topology.PACKAGES[service], message)


@main.group()
def jobs() -> None:
    """Failed background jobs."""


@jobs.command("failed")
@click.option("--service", type=click.Choice(topology.SERVICES), multiple=True)
def jobs_failed(service: tuple[str, ...]) -> None:
    """List messages that exhausted their retries."""
    from sqlalchemy import select

    from deploy.services import make_service

    settings = topology.settings()
    for name in service or topology.SERVICES:
        svc = make_service(name, settings)
        t = svc.infra.failed_job
        with svc.db.read_session() as s:
            for r in s.execute(select(t).order_by(t.c.id)).mappings():
                state = f"re-driven {r['redriven_at']:%Y-%m-%d %H:%M}" if r["redriven_at"] else "waiting"
                click.echo(f"{name}\t{r['id']}\t{r['actor_name']}\t{r['message_id']}\t{state}\t{r['error']}")
        svc.db.dispose()


@jobs.command("redrive")
@click.option("--service", type=click.Choice(topology.SERVICES), multiple=True)
@click.option("--id", "ids", type=int, multiple=True, help="only these failed-job ids")
def jobs_redrive(service: tuple[str, ...], ids: tuple[int, ...]) -> None:
    """Send failed messages again."""
    from deploy.services import make_service
    from shared.broker import Sender, redrive

    settings = topology.settings()
    if not settings.redis_url:
        raise click.ClickException("REDIS_URL is not set")
    sender = Sender(settings.redis_url)
    for name in service or topology.SERVICES:
        svc = make_service(name, settings)
        n = redrive(svc.db, svc.infra.failed_job, sender, name, list(ids) or None)
        click.echo(f"{name}: re-drove {n} message(s)")
        svc.db.dispose()
    sender.close()


@jobs.command("parked")
@click.option("--service", type=click.Choice(topology.SERVICES), multiple=True)
def jobs_parked(service: tuple[str, ...]) -> None:
    """Events kept until the ones before them in their entity's order arrive
    (docs/events.md, "Order per entity"). One waiting long means its
    predecessor failed: see `jobs failed`, mend, `jobs redrive`."""
    from sqlalchemy import select

    from deploy.services import make_service

    settings = topology.settings()
    for name in service or topology.SERVICES:
        svc = make_service(name, settings)
        parked, streams = svc.infra.parked_event, svc.infra.event_stream
        q = (select(parked.c.stream, parked.c.seq, parked.c.event_id, parked.c.parked_at, streams.c.last_seq)
             .join(streams, streams.c.stream == parked.c.stream, isouter=True)
             .order_by(parked.c.parked_at))
        with svc.db.read_session() as s:
            for r in s.execute(q):
                click.echo(f"{name}\t{r.stream}\t#{r.seq} (applied up to #{r.last_seq or 0})\t{r.event_id}\t"
                           f"kept since {r.parked_at:%Y-%m-%d %H:%M:%S}")
        svc.db.dispose()


# --- workers -----------------------------------------------------------------------------


@main.group()
def workers() -> None:
    """Workers on HR's rolls."""


@workers.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path),
              help="where to write the per-row error report (default: FILE.errors.csv next to FILE)")
@click.option("--dry-run", is_flag=True, help="check the whole file and write nothing")
@click.option("--partial", is_flag=True, help="import the good rows even when some rows are bad")
def workers_import(file: Path, errors_path: Path | None, dry_run: bool, partial: bool) -> None:
    """Put the workers of FILE (CSV or .xlsx) on the rolls.

    The header names are the fields of ``POST /workers``: name, id_number,
    jurisdiction, post, hired_on (required) and grade, community_code,
    education, service_years, status, probation_ends_on and the record's
    personal columns (gender, ethnicity, political_status, party_member_since,
    phone, email, address, emergency_contact_*). Every row is checked
    here first, then the file goes to HR's ``POST /workers/import`` in one
    request, which checks it again (an ID number already on the rolls, each
    community's quota, too) and writes all rows or none. A file with a bad
    row writes nothing (the project's rule for bulk uploads) unless --partial
    is given, which imports the good rows. Problems go to a report with the
    row number, the field and the reason in English and Chinese."""
    from deploy import importing

    client = logged_in_client()
    report = errors_path or importing.default_report(file)
    try:
        sheet = importing.read_sheet(file)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot read {file}: {exc}") from exc
    book = importing.PolicyBook(client)
    scope = client.claims().get("jur")
    with click.progressbar(length=len(sheet.rows), label=f"Checking {len(sheet.rows)} row(s)") as bar:
        errors = importing.check(sheet, scope, book, bar.update)
    good = [r for r in sheet.rows if r.body is not None]
    # HR checks the rest (the rolls): for real only when the file is clean or --partial, else as a dry run
    write = not dry_run and (partial or not errors)
    with click.progressbar(length=len(good), label=f"{'Importing' if write else 'Checking with HR'} "
                                                   f"{len(good)} row(s)") as bar:
        result = importing.import_rows(client, good, dry_run=not write, partial=write and partial)
        bar.update(len(good))
    errors = sorted(errors + result.errors, key=lambda e: (e.row, e.field))
    bad_rows = sorted({e.row for e in errors})
    if errors:
        importing.write_report(report, errors)
        click.echo(f"{len(bad_rows)} row(s) with problems ({len(errors)} problem(s)); report: {report}", err=True)
        for e in errors[:10]:
            click.echo(f"  row {e.row} {e.field or '-'}: {e.reason} / {e.reason_zh}", err=True)
        if len(errors) > 10:
            click.echo(f"  … and {len(errors) - 10} more in the report", err=True)
    if dry_run:
        ok = len({r.number for r in good} - set(bad_rows))
        click.echo(f"Dry run: {ok} of {len(sheet.rows)} row(s) would be imported; nothing was written.")
        sys.exit(1 if errors else 0)
    if not result.created and errors:
        click.echo("Nothing was written: fix the rows in the report and run again"
                   + ("." if partial else " (or --partial to import the good rows)."), err=True)
        sys.exit(1)
    click.echo(f"Imported {len(result.created)} worker(s).")
    sys.exit(1 if errors else 0)


# --- the step increment --------------------------------------------------------------------


@main.group()
def increment() -> None:
    """The step increment (S4-10): one grade up every 1 July for those assessed 合格 or better."""


def _show_step_run(r: dict, show: int) -> None:
    counts = ", ".join(f"{k} {v}" for k, v in sorted(r["counts"].items())) or "nobody in scope"
    click.echo(f"Step increment {r['jurisdiction']} effective {r['effective_on']} "
               f"(assessment year {r['assessment_year']}): {counts}")
    click.echo(f"  move up one grade: {r['moved']}   do not move: {r['not_moved_total']}")
    if r.get("not_due"):
        click.echo(f"  not due on this date in: {', '.join(r['not_due'])}")
    if r["not_moved"] and show:
        rows = [[o["worker_id"], o["name"], o["post"], o["from_grade"], o["outcome"], o["reason"]]
                for o in r["not_moved"][:show]]
        click.echo("Who does not move, and why:")
        click.echo(text_table(rows, ["worker", "name", "post", "grade", "outcome", "reason"]))
        if r["not_moved_total"] > show:
            click.echo(f"  … {r['not_moved_total'] - show} more (--show N, or --report FILE for all)")


@increment.command("run")
@click.option("--effective", "effective", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="the effective date, YYYY-MM-DD (1 July)")
@click.option("--jurisdiction", help="city or district (default: your own)")
@click.option("--dry-run", is_flag=True, help="only show what would happen")
@click.option("--yes", "-y", is_flag=True, help="run without asking")
@click.option("--show", type=int, default=20, show_default=True, help="how many non-movers to list")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="write every non-mover of the dry run to this CSV")
def increment_run(effective, jurisdiction: str | None, dry_run: bool, yes: bool, show: int,
                  report: Path | None) -> None:
    """Dry-run the increment, show who moves and who does not and why, then run it."""
    client = logged_in_client()
    body = {"jurisdiction": jurisdiction_of(client, jurisdiction), "effective_on": effective.date().isoformat()}
    preview = client.post("hr", "/step-runs", {**body, "dry_run": True})
    click.echo(f"Run before (run {preview['id']}), as stored:" if preview.get("repeated")
               else "Dry run (nothing written):")
    _show_step_run(preview, show)
    if report:
        write_table(report, "csv", ["worker_id", "name", "jurisdiction", "post", "grade", "outcome", "reason",
                                    "reason_zh", "assessment_grade"],
                    [[o["worker_id"], o["name"], o["jurisdiction"], o["post"], o["from_grade"], o["outcome"],
                      o["reason"], o["reason_zh"], o["assessment_grade"] or ""] for o in preview["not_moved"]],
                    "non-movers")
        click.echo(f"Non-movers written to {report}"
                   + (f" (the first {len(preview['not_moved'])} of {preview['not_moved_total']})"
                      if len(preview["not_moved"]) < preview["not_moved_total"] else ""))
    if dry_run:
        return
    if preview.get("repeated"):
        click.echo(f"Nothing to do: the step run of {body['effective_on']} is done (run {preview['id']}). A worker "
                   "assessed since is moved by a supplementary run (POST /step-runs/supplementary, D-12).")
        return
    if not yes and not click.confirm(f"Move {preview['moved']} worker(s) up one grade from {body['effective_on']}?"):
        click.echo("Not run.")
        sys.exit(1)
    done = client.post("hr", "/step-runs", {**body, "dry_run": False})
    if done.get("repeated"):
        click.echo(f"Already run for {body['effective_on']} (run {done['id']}): nothing changed.")
    else:
        click.echo(f"Step run {done['id']} done: {done['moved']} moved up, {done['not_moved_total']} did not "
                   f"(details: GET /step-runs/{done['id']}/outcomes).")


# --- exports ----------------------------------------------------------------------------------


@main.group()
def export() -> None:
    """Spreadsheets for the office: payslips, attendance."""


export.add_command(payslip_export.export_payslips)
export.add_command(bank_cli.export_bank_file)
export.add_command(budget_cli.export_budget)


@export.command("attendance")
@click.option("--session", "session_id", required=True, type=int, help="the training session's id")
@file_options
def export_attendance(session_id: int, fmt: str | None, out: Path) -> None:
    """A session's attendance sheet as training serves it (marks per day, rate, completion)."""
    client = logged_in_client()
    kind = file_format(fmt, out)
    data = client.get_bytes("training", f"/sessions/{session_id}/attendance.{kind}")
    out.write_bytes(data)
    click.echo(f"Wrote the attendance of session {session_id} to {out} ({len(data)} bytes).")


# --- the demo ------------------------------------------------------------------------------------


@main.command()
@click.option("--admin-password", help="log in as admin with this password (else the saved token is used)")
@click.option("--admin-username", default="admin", show_default=True)
@click.option("--workers", "n_workers", type=click.IntRange(10, 20_000), default=1000, show_default=True,
              help="how many workers to put on the rolls")
@click.option("--district", default="hangzhou.xihu", show_default=True, help="the demo district's jurisdiction")
@click.option("--password", default="demo-pass-1", show_default=True, help="the password of every demo account")
def demo(admin_password: str | None, admin_username: str, n_workers: int, district: str, password: str) -> None:
    """Seed a demo district through the public APIs and print what to try."""
    from deploy import demo as seeding
    from deploy.client import Client

    client = Client()
    if admin_password:
        client.token = client.login(admin_username, admin_password)["access_token"]
    client.require_token()
    seeding.run(client, seeding.Plan(district=district, workers=n_workers, password=password))


if __name__ == "__main__":
    main()
