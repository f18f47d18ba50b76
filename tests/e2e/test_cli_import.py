"""``workforce workers import`` against the running suite: a bad file writes
nothing and its report names row and field; a clean file (here .xlsx) is imported."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from deploy.cli import main
from deploy.demo import id_number

pytestmark = pytest.mark.e2e

HEADER = ["name", "id_number", "jurisdiction", "post", "hired_on", "community_code", "education", "service_years"]
DISTRICT = "hangzhou.gongshu"


def _rows(n: int, seq: int) -> list[list]:
    return [[f"导入{seq + i}", id_number("330105", date(1990, 1 + i, 5), seq + i), DISTRICT, "委员", "2019-03-01",
             "GS-01", "本科", i] for i in range(n)]


def _env(live, tmp_path) -> dict:
    return {**live.env(), "WORKFORCE_TOKEN": live.admin_token, "WORKFORCE_CONFIG_DIR": str(tmp_path / "cfg")}


def _count(live) -> int:
    return live.api("hr", live.admin_token).get("/workers", params={"jurisdiction": DISTRICT, "limit": 1}).json()["total"]


def test_a_bad_row_writes_nothing_and_is_reported_by_row_and_field(live, tmp_path):
    rows = _rows(3, 100)
    rows[1][1] = rows[1][1][:-1] + ("0" if rows[1][1][-1] != "0" else "1")  # row 3: wrong check character
    rows[2][3] = "主任"  # row 4: not a post of the pay scale
    rows.append(rows[0][:])  # row 5: the same person again
    path = tmp_path / "workers.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *rows])

    result = CliRunner().invoke(main, ["workers", "import", str(path)], env=_env(live, tmp_path))
    assert result.exit_code == 1, result.output
    assert "Nothing was written" in result.output
    assert _count(live) == 0

    with open(tmp_path / "workers.errors.csv", encoding="utf-8-sig") as fh:
        report = list(csv.DictReader(fh))
    assert [(r["row"], r["field"]) for r in report] == [("3", "id_number"), ("4", "post"), ("5", "id_number")]
    assert "check" in report[0]["reason"].lower() and report[0]["reason_zh"]
    assert "主任" in report[1]["reason"] and "岗位" in report[1]["reason_zh"]
    assert "row 2" in report[2]["reason"]

    dry = CliRunner().invoke(main, ["workers", "import", str(path), "--dry-run", "--errors", str(tmp_path / "e.csv")],
                             env=_env(live, tmp_path))
    assert dry.exit_code == 1 and "1 of 4 row(s) would be imported" in dry.output
    assert (tmp_path / "e.csv").exists() and _count(live) == 0


def test_a_clean_workbook_is_imported_and_a_second_run_is_refused_row_by_row(live, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in _rows(4, 200):
        ws.append(r[:4] + [date(2019, 3, 1)] + r[5:])  # a real date cell, as Excel keeps it
    path = tmp_path / "clean.xlsx"
    wb.save(path)

    result = CliRunner().invoke(main, ["workers", "import", str(path)], env=_env(live, tmp_path))
    assert result.exit_code == 0, result.output
    assert "Imported 4 worker(s)." in result.output
    assert _count(live) == 4
    assert not (tmp_path / "clean.errors.csv").exists()

    again = CliRunner().invoke(main, ["workers", "import", str(path)], env=_env(live, tmp_path))
    assert again.exit_code == 1
    with open(tmp_path / "clean.errors.csv", encoding="utf-8-sig") as fh:
        report = list(csv.DictReader(fh))
    assert {(r["row"], r["field"]) for r in report} == {(str(n), "id_number") for n in range(2, 6)}
    assert "该身份证号码已登记" in report[0]["reason_zh"]
    assert _count(live) == 4


def test_not_logged_in_is_said(live, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(",".join(HEADER) + "\n")
    env = {**live.env(), "WORKFORCE_CONFIG_DIR": str(tmp_path / "empty")}
    result = CliRunner().invoke(main, ["workers", "import", str(path)], env=env)
    assert result.exit_code == 1 and "workforce login" in result.output
