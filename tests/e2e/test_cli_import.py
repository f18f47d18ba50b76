"""``workforce workers import`` against the running suite: a bad file writes
nothing and its report names row and field; a clean file (here .xlsx) is
imported in one request to HR's ``POST /workers/import``; an ID number already
on the rolls refuses the whole file too, unless --partial."""
from __future__ import annotations

import csv
import time
from datetime import date, timedelta

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


@pytest.fixture(autouse=True, scope="module")
def communities(live):
    """The communities the files name, registered with room for the D-9 cap of 15 each (S4-1)."""
    hr = live.api("hr", live.admin_token)
    for code in ["GS-01", *(f"GS-K{i:02d}" for i in range(70))]:
        r = hr.post("/communities", json={"code": code, "name": code, "district": DISTRICT, "households": 6000,
                                          "effective_from": "2000-01-01"})
        assert r.status_code in (201, 409), r.text


def _env(live, tmp_path) -> dict:
    return {**live.env(), "WORKFORCE_TOKEN": live.admin_token, "WORKFORCE_CONFIG_DIR": str(tmp_path / "cfg")}


def _count(live) -> int:
    hr = live.api("hr", live.admin_token)
    return hr.get("/workers", params={"jurisdiction": DISTRICT, "limit": 1}).json()["total"]


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
    assert again.exit_code == 1 and "Nothing was written" in again.output
    with open(tmp_path / "clean.errors.csv", encoding="utf-8-sig") as fh:
        report = list(csv.DictReader(fh))
    assert {(r["row"], r["field"]) for r in report} == {(str(n), "id_number") for n in range(2, 6)}
    assert "该身份证号码已登记" in report[0]["reason_zh"]
    assert _count(live) == 4


def test_an_id_on_the_rolls_writes_nothing_unless_partial(live, tmp_path):
    first = _rows(1, 300)
    path = tmp_path / "one.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *first])
    assert CliRunner().invoke(main, ["workers", "import", str(path)], env=_env(live, tmp_path)).exit_code == 0
    before = _count(live)

    rows = _rows(3, 310)
    rows.insert(1, first[0])  # row 3: already on the rolls, which only HR can tell
    path = tmp_path / "mixed.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    env = _env(live, tmp_path)
    dry = CliRunner().invoke(main, ["workers", "import", str(path), "--dry-run"], env=env)
    assert dry.exit_code == 1 and "3 of 4 row(s) would be imported" in dry.output, dry.output

    result = CliRunner().invoke(main, ["workers", "import", str(path)], env=env)
    assert result.exit_code == 1 and "Nothing was written" in result.output, result.output
    assert _count(live) == before
    with open(tmp_path / "mixed.errors.csv", encoding="utf-8-sig") as fh:
        report = list(csv.DictReader(fh))
    assert [(r["row"], r["field"]) for r in report] == [("3", "id_number")]
    assert "该身份证号码已登记" in report[0]["reason_zh"]

    partial = CliRunner().invoke(main, ["workers", "import", str(path), "--partial"], env=env)
    assert partial.exit_code == 1 and "Imported 3 worker(s)." in partial.output, partial.output
    assert _count(live) == before + 3


def test_a_thousand_rows_go_in_one_request(live, tmp_path):
    rows = [[f"千人{i}", id_number("330105", date(1980, 1, 1) + timedelta(days=i), 400 + i % 500), DISTRICT,
             "委员", "2019-03-01", f"GS-K{i % 70:02d}", "本科", i % 9] for i in range(1000)]
    path = tmp_path / "thousand.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    before = _count(live)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["workers", "import", str(path)], env=_env(live, tmp_path))
    assert result.exit_code == 0 and "Imported 1000 worker(s)." in result.output, result.output
    assert _count(live) == before + 1000
    assert time.monotonic() - started < 60


def test_not_logged_in_is_said(live, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(",".join(HEADER) + "\n")
    env = {**live.env(), "WORKFORCE_CONFIG_DIR": str(tmp_path / "empty")}
    result = CliRunner().invoke(main, ["workers", "import", str(path)], env=env)
    assert result.exit_code == 1 and "workforce login" in result.output
