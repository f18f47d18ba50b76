"""``workforce accounts``: accounts through HR's ``/users`` API (D-18): list,
deactivate, reactivate, a one-time password, unlock, and workers' one-time
passwords in bulk written to slips."""
from __future__ import annotations

from pathlib import Path

import click

from deploy.cli_common import file_format, file_options, logged_in_client, text_table, write_table


def account_id(client, account: str) -> int:
    """ACCOUNT is an account id or a username (a worker's is their ID number)."""
    if account.isdigit() and len(account) < 12:
        return int(account)
    for u in client.pages("hr", "/users", {"q": account}):
        if u["username"] == account:
            return int(u["id"])
    raise click.ClickException(f"No account '{account}' among those you manage.")


def show(u: dict) -> None:
    state = "active" if u["active"] else f"deactivated ({u['deactivation_reason']})"
    click.echo(f"{u['id']}\t{u['username']}\t{u['role']}\t{u['jurisdiction']}\t{state}")


@click.group()
def accounts() -> None:
    """Accounts (D-18): list, deactivate, reactivate, reset a password, workers' passwords in bulk."""


@accounts.command("list")
@click.option("--role")
@click.option("--jurisdiction")
@click.option("--active/--inactive", default=None, help="only active, or only deactivated accounts")
@click.option("-q", "query", help="part of the username or the worker's name")
def list_accounts(role: str | None, jurisdiction: str | None, active: bool | None, query: str | None) -> None:
    """The accounts you manage (an administrator's jurisdiction, an officer's accounts below them)."""
    params = {k: v for k, v in {"role": role, "jurisdiction": jurisdiction, "q": query}.items() if v}
    if active is not None:
        params["active"] = str(active).lower()
    rows = [[u["id"], u["username"], u["role"], u["jurisdiction"], u["community_code"],
             "yes" if u["active"] else "no", "yes" if u["must_change_password"] else "",
             (u["locked_until"] or "")[:16]]
            for u in logged_in_client().pages("hr", "/users", params)]
    click.echo(text_table(rows, ["id", "username", "role", "jurisdiction", "community", "active",
                                 "must change", "locked until"]))


@accounts.command()
@click.argument("account")
@click.option("--reason", required=True, help="why the account is closed (kept with it)")
def deactivate(account: str, reason: str) -> None:
    """Close ACCOUNT: it cannot log in and its tokens stop at once on every service."""
    c = logged_in_client()
    show(c.post("hr", f"/users/{account_id(c, account)}/deactivate", {"reason": reason}))


@accounts.command()
@click.argument("account")
def reactivate(account: str) -> None:
    """Open ACCOUNT again (its earlier tokens stay revoked)."""
    c = logged_in_client()
    show(c.post("hr", f"/users/{account_id(c, account)}/reactivate"))


@accounts.command("reset-password")
@click.argument("account")
def reset_password(account: str) -> None:
    """Set a one-time password for ACCOUNT, printed this once; it must be changed at the next login."""
    c = logged_in_client()
    u = c.post("hr", f"/users/{account_id(c, account)}/one-time-password")
    click.echo(f"{u['username']}\t{u['one_time_password']}\t(must be changed at the next login)")


@accounts.command()
@click.argument("account")
def unlock(account: str) -> None:
    """Lift ACCOUNT's temporary lock after failed logins."""
    c = logged_in_client()
    show(c.post("hr", f"/users/{account_id(c, account)}/unlock"))


@accounts.command("issue-worker-passwords")
@click.option("--jurisdiction", required=True)
@click.option("--community", "community_code", help="only this community's workers")
@click.option("--all", "everyone", is_flag=True, help="also workers who had a password (it is replaced)")
@file_options
def issue_worker_passwords(jurisdiction: str, community_code: str | None, everyone: bool, fmt: str | None,
                           out: Path) -> None:
    """One-time passwords for the workers of JURISDICTION (by default those who
    never had one), written to a file of slips: worker, name, username (the
    ID number), one-time password. Keep the file safe and destroy it once handed out."""
    body = {"jurisdiction": jurisdiction, "community_code": community_code, "only_without_password": not everyone}
    rows = logged_in_client().post("hr", "/users/worker-accounts", body)["items"]
    write_table(out, file_format(fmt, out), ["worker_id", "name", "community", "username", "one_time_password"],
                [[r["worker_id"], r["name"], r["community_code"], r["username"], r["one_time_password"]]
                 for r in rows], "slips")
    click.echo(f"{len(rows)} one-time passwords written to {out}")
