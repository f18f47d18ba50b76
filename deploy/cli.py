"""The ``workforce`` command."""
from __future__ import annotations

import sys

import click

from shared.config import SERVICES, Settings


@click.group()
def main() -> None:
    """Workforce and training management for community workers (社区工作者)."""


@main.command()
def up() -> None:
    """Start the whole suite on its embedded defaults (Ctrl-C stops it)."""
    from deploy.launcher import up as run

    sys.exit(run(Settings.from_env()))


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

    generated = prepare(Settings.from_env())
    click.echo("Databases are at head.")
    if generated:
        click.echo(f"Admin account created. Username: admin  Password: {generated}")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("revision")
@click.argument("service", type=click.Choice(SERVICES))
@click.option("-m", "--message", required=True)
def db_revision(service: str, message: str) -> None:
    """Write a new migration for SERVICE from its tables."""
    from shared.migrate import revision

    revision(service, message)


@main.group()
def jobs() -> None:
    """Failed background jobs."""


@jobs.command("failed")
@click.option("--service", type=click.Choice(SERVICES), multiple=True)
def jobs_failed(service: tuple[str, ...]) -> None:
    """List messages that exhausted their retries."""
    from sqlalchemy import select

    from deploy.services import make_service

    settings = Settings.from_env()
    for name in service or SERVICES:
        svc = make_service(name, settings)
        t = svc.infra.failed_job
        with svc.db.read_session() as s:
            for r in s.execute(select(t).order_by(t.c.id)).mappings():
                state = f"re-driven {r['redriven_at']:%Y-%m-%d %H:%M}" if r["redriven_at"] else "waiting"
                click.echo(f"{name}\t{r['id']}\t{r['actor_name']}\t{r['message_id']}\t{state}\t{r['error']}")
        svc.db.dispose()


@jobs.command("redrive")
@click.option("--service", type=click.Choice(SERVICES), multiple=True)
@click.option("--id", "ids", type=int, multiple=True, help="only these failed-job ids")
def jobs_redrive(service: tuple[str, ...], ids: tuple[int, ...]) -> None:
    """Send failed messages again."""
    from deploy.services import make_service
    from shared.broker import Sender, redrive

    settings = Settings.from_env()
    if not settings.redis_url:
        raise click.ClickException("REDIS_URL is not set")
    sender = Sender(settings.redis_url)
    for name in service or SERVICES:
        svc = make_service(name, settings)
        n = redrive(svc.db, svc.infra.failed_job, sender, name, list(ids) or None)
        click.echo(f"{name}: re-drove {n} message(s)")
        svc.db.dispose()
    sender.close()


if __name__ == "__main__":
    main()
