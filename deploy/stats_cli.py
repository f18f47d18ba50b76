"""``workforce stats``: the statistics by organisation level on a date (D-17)
from the three services, one sheet per part: the workforce (HR: headcount,
quota and vacancies, S4-1, D-9; age, education, gender, party members),
training person-times (S3-7) and certificate holders with the community
workers' share (S2-7), per district or street. XLSX (one workbook, a sheet
each) or CSV (a file each, ``stats.workforce.csv`` …)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import click

from deploy.cli_common import file_format, file_options, jurisdiction_of, logged_in_client, write_table, write_workbook

Table = tuple[list[str], list[list[Any]]]


class Getter(Protocol):
    def get(self, service: str, path: str, **kw: Any) -> Any: ...


def fetch(client: Getter, as_of: date, by: str, jurisdiction: str) -> dict[str, Any]:
    """The three services' answers for the date, level and jurisdiction."""
    params = {"as_of": as_of.isoformat(), "by": by, "jurisdiction": jurisdiction}
    return {
        "workforce": client.get("hr", "/statistics/workforce", params=params),
        "training": client.get("training", "/reports/statistics", params=params),
        "certificates": client.get("certs", "/statistics/holders", params=params),
    }


def workforce_table(answer: dict[str, Any]) -> Table:
    """One row per unit, then the total: headcount, quota, vacancies, party
    members, each age band, each education and gender seen."""
    units = [*answer["units"], answer["total"]]
    bands = list(answer["age_bands"]) + (["(unknown)"] if any("(unknown)" in u["by_age"] for u in units) else [])
    educations = sorted({k for u in units for k in u["by_education"]})
    genders = sorted({k for u in units for k in u["by_gender"]})
    header = ["unit", "headcount", "quota", "vacancies", "party_members", *(f"age {b}" for b in bands),
              *(f"education {e}" for e in educations), *(f"gender {g}" for g in genders)]
    rows = [[u["unit"], u["headcount"], u["quota"], u["vacancies"], u["party_members"],
             *(u["by_age"].get(b, 0) for b in bands), *(u["by_education"].get(e, 0) for e in educations),
             *(u["by_gender"].get(g, 0) for g in genders)] for u in units]
    return header, rows


def training_table(answer: dict[str, Any]) -> Table:
    """S3-7 person-times per unit, then the total."""
    rows = [[u["unit"], u["person_times"], u["completed_person_times"], u["workers"]] for u in answer["units"]]
    rows.append(["(total)", answer["person_times"], answer["completed_person_times"], answer["workers"]])
    return ["unit", "person_times", "completed_person_times", "workers"], rows


def certificates_table(answer: dict[str, Any]) -> Table:
    """S2-7 holders per unit and the community workers' share, then the total."""
    rows = [[u["jurisdiction"], u["holders"], u["community_workers"], Decimal(u["community_share_percent"])]
            for u in answer["by_jurisdiction"]]
    rows.append(["(total)", answer["holders"], answer["community_workers"],
                 Decimal(answer["community_share_percent"])])
    return ["unit", "holders", "community_workers", "community_share_percent"], rows


def tables(answers: dict[str, Any]) -> dict[str, Table]:
    return {"workforce": workforce_table(answers["workforce"]), "training": training_table(answers["training"]),
            "certificates": certificates_table(answers["certificates"])}


def write(out: Path, fmt: str, parts: dict[str, Table]) -> list[Path]:
    """XLSX: one workbook, a sheet per part. CSV: a file per part beside ``out``."""
    if fmt == "xlsx":
        write_workbook(out, parts)
        return [out]
    written = []
    for name, (header, rows) in parts.items():
        path = out.with_name(f"{out.stem}.{name}{out.suffix or '.csv'}")
        write_table(path, "csv", header, rows, name)
        written.append(path)
    return written


@click.command("stats")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD, default today")
@click.option("--by", type=click.Choice(["district", "street"]), default="district", show_default=True)
@click.option("--jurisdiction", default=None, help="default: the jurisdiction of the login in use")
@file_options
def stats(as_of: Any, by: str, jurisdiction: str | None, out: Path, fmt: str | None) -> None:
    """Statistics by level on a date (D-17): workforce, training person-times
    (S3-7) and certificate holders (S2-7) per district or street; -o stats.xlsx
    (a sheet per part) or stats.csv (a file per part)."""
    client = logged_in_client()
    day = as_of.date() if as_of is not None else date.today()
    parts = tables(fetch(client, day, by, jurisdiction_of(client, jurisdiction)))
    for path in write(out, file_format(fmt, out), parts):
        click.echo(f"Wrote {path}")
