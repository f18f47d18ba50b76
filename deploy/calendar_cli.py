"""``workforce calendar``: the D-10 working-day calendar of the services that
count working days, read and loaded through their ``/calendar`` APIs."""
from __future__ import annotations

import json
from pathlib import Path

import click

CALENDAR_SERVICES = ("hr", "certs")
"""The services that keep a working-day calendar: recruitment's 公示 (D-4), the talent round's (D-7)."""


def client():
    """The HTTP client with the saved token (``workforce login``)."""
    from deploy.client import Client

    c = Client()
    c.require_token()
    return c


@click.group()
def calendar() -> None:
    """The working-day calendar (D-10): the years loaded, a year's days, loading a year."""


@calendar.command("list")
def list_years() -> None:
    """The years loaded on each service, with the source, loader and time of the version in force."""
    c = client()
    for service in CALENDAR_SERVICES:
        for y in c.get(service, "/calendar"):
            click.echo(f"{service}\t{y['year']}\t{y['holidays']} holidays\t{y['working_days']} make-up days\t"
                       f"v{y['versions']}\t{y['created_by']}\t{y['created_at'][:16]}\t{y['source']}")


@calendar.command("show")
@click.argument("year", type=int)
@click.option("--service", type=click.Choice(CALENDAR_SERVICES), default="hr", show_default=True)
def show(year: int, service: str) -> None:
    """A year's holidays and make-up working days in force, and how many earlier versions it has."""
    y = client().get(service, f"/calendar/{year}")
    v = y["in_force"]
    click.echo(f"{year}: {v['source']} (loaded by {v['created_by']} at {v['created_at'][:16]}; "
               f"{len(y['earlier'])} earlier versions)")
    click.echo("holidays: " + " ".join(v["holidays"]))
    click.echo("make-up working days: " + " ".join(v["working_days"]))


@calendar.command("load")
@click.argument("year", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(year: int, file: Path) -> None:
    """Load YEAR on every service from FILE, a JSON object with ``holidays``,
    ``working_days``, ``source`` and ``note`` (administrators). A service
    that refuses stops the command; those before it keep their new version."""
    try:
        body = json.loads(file.read_text("utf-8"))
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="FILE") from exc
    c = client()
    for service in CALENDAR_SERVICES:
        y = c.put(service, f"/calendar/{year}", json=body)
        click.echo(f"{service}: {year} loaded, {len(y['in_force']['holidays'])} holidays, "
                   f"{len(y['in_force']['working_days'])} make-up working days "
                   f"({len(y['earlier'])} earlier versions kept)")
