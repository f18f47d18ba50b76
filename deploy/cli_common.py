"""What the ``workforce`` commands share: the client with the saved token,
the jurisdiction and month options, yuan, tables on the terminal and in files."""
from __future__ import annotations

import re
from pathlib import Path

import click

from shared import tabular
from shared.money import format_yuan


def logged_in_client():
    """The HTTP client with the saved token (``workforce login``)."""
    from deploy.client import Client

    client = Client()
    client.require_token()
    return client


def jurisdiction_of(client, jurisdiction: str | None) -> str:
    """The jurisdiction asked for, else the one of the token in use."""
    j = jurisdiction or client.claims().get("jur")
    if not j:
        raise click.ClickException("Name the jurisdiction with --jurisdiction.")
    return j


def checked_month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter("a month is YYYY-MM, e.g. 2025-07", param_hint="--month")
    return value


def yuan_text(fen: int) -> str:
    return format_yuan(int(fen))


def text_table(rows: list[list], header: list[str]) -> str:
    cells = [header] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells)


def file_format(fmt: str | None, out: Path) -> str:
    if fmt:
        return fmt
    return "xlsx" if out.suffix.lower() == ".xlsx" else "csv"


def write_workbook(out: Path, sheets: dict[str, tuple[list[str], list[list]]]) -> None:
    """An XLSX workbook of a sheet per title, each its header (frozen) then its rows, every cell safe."""
    out.write_bytes(tabular.xlsx_bytes(sheets))


def write_table(out: Path, fmt: str, header: list[str], rows: list[list], title: str) -> None:
    """One table to ``out`` as XLSX or CSV (UTF-8 with a BOM), every cell safe (``shared.tabular.safe_cell``)."""
    if fmt == "xlsx":
        write_workbook(out, {title: (header, rows)})
    else:
        out.write_bytes(tabular.csv_bytes(header, rows))


def file_options(command):
    """``--format csv|xlsx`` (default: from the file name) and ``-o FILE``, for an export."""
    command = click.option("-o", "--output", "out", required=True,
                           type=click.Path(dir_okay=False, path_type=Path))(command)
    return click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]),
                        help="default: from the file name")(command)
