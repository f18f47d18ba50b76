"""``workforce audit export``: a service's audit log (D-18) as a spreadsheet,
fetched page by page from its ``GET /audit`` with the filters given."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from deploy.cli_common import file_format, file_options, logged_in_client, write_table
from shared.web import LOCAL_TZ

COLUMNS = [("时间（北京时间）", "at"), ("操作人", "actor"), ("角色", "role"), ("地址", "address"), ("请求", "request"),
           ("对象", "entity"), ("主键", "entity_key"), ("操作", "action"), ("辖区", "jurisdiction"),
           ("变更", "changes")]
"""The columns: when, who, role, address, request, entity, key, action, jurisdiction, what changed (JSON)."""

PAGE = 500


def audit_row(entry: dict) -> list:
    """One exported row: the time in Beijing time to the second, what changed as JSON."""
    def cell(f: str) -> object:
        if f == "at":
            return datetime.fromisoformat(entry[f]).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")
        return json.dumps(entry[f], ensure_ascii=False, sort_keys=True) if f == "changes" else entry[f]
    return [cell(f) for _, f in COLUMNS]


@click.group()
def audit() -> None:
    """The audit log of every change (D-18)."""


@audit.command("export")
@click.option("--service", type=click.Choice(["hr", "training", "certs"]), required=True)
@click.option("--entity", help="a table, e.g. worker")
@click.option("--entity-key", help="with --entity: one record's key")
@click.option("--actor", help="a username, event:<type> or job:<name>")
@click.option("--action", type=click.Choice(["insert", "update", "delete"]))
@click.option("--from", "since", help="a date (YYYY-MM-DD) or an ISO datetime")
@click.option("--to", "until", help="a date (inclusive) or an ISO datetime")
@file_options
def export_audit(service: str, entity: str | None, entity_key: str | None, actor: str | None, action: str | None,
                 since: str | None, until: str | None, fmt: str | None, out: Path) -> None:
    """The audit rows the filters select, newest first, one row per change; the
    changes as JSON ({field: [before, after]})."""
    client = logged_in_client()
    params = {k: v for k, v in (("entity", entity), ("entity_key", entity_key), ("actor", actor),
                                ("action", action), ("from", since), ("to", until)) if v}
    rows: list[list] = []
    offset, total = 0, None
    while total is None or offset < total:
        page = client.get(service, "/audit", params={**params, "limit": PAGE, "offset": offset})
        total = page["total"]
        rows.extend(audit_row(e) for e in page["items"])
        offset += PAGE
        click.echo(f"{min(offset, total)}/{total} audit row(s) of {service}", err=True)
        if not page["items"]:
            break
    write_table(out, file_format(fmt, out), [h for h, _ in COLUMNS], rows, f"审计日志 {service}")
    click.echo(f"Wrote {len(rows)} audit row(s) of {service} to {out}.")
