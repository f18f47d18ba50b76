"""``workforce export budget`` against the running suite: the pay budget of a
month against the work fund (S4-7a, S4-12) as a spreadsheet with Chinese headers."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from deploy.cli import main
from tests.hr.helpers import id_number

# --- the CLI against the running suite ------------------------------------------------------------

LIVE_DISTRICT = "hangzhou.shangcheng"


@pytest.mark.e2e
def test_export_budget_writes_yuan_with_chinese_headers(live, tmp_path):
    hr = live.api("hr", live.admin_token)
    for code, households in (("SC-BIG", 4000), ("SC-SMALL", 400)):
        r = hr.post("/communities", json={"code": code, "name": f"{code}社区", "district": LIVE_DISTRICT,
                                          "households": households, "effective_from": "2024-01-01"})
        assert r.status_code == 201, r.text
    for i, (code, post, grade) in enumerate((("SC-BIG", "委员", 3), ("SC-BIG", "委员", 4), ("SC-SMALL", "正职", 9))):
        r = hr.post("/workers", json={"name": f"预算{i}", "id_number": id_number(), "jurisdiction": LIVE_DISTRICT,
                                      "post": post, "grade": grade, "hired_on": "2020-03-01",
                                      "community_code": code})
        assert r.status_code == 201, r.text
    for month in ("2025-01", "2025-02"):
        r = hr.post("/pay-runs", json={"jurisdiction": LIVE_DISTRICT, "month": month})
        assert r.status_code == 201, r.text
    report = hr.get("/pay-budget", params={"month": "2025-02", "jurisdiction": LIVE_DISTRICT}).json()
    env = {**live.env(), "WORKFORCE_TOKEN": live.admin_token, "WORKFORCE_CONFIG_DIR": str(tmp_path / "cfg")}

    out = tmp_path / "budget.csv"
    done = CliRunner().invoke(main, ["export", "budget", "--month", "2025-02", "--jurisdiction", LIVE_DISTRICT,
                                     "-o", str(out)], env=env)
    assert done.exit_code == 0, done.output
    assert "Wrote 2 communities" in done.output and "Over the month's work fund: SC-SMALL" in done.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["社区代码"] for r in rows] == ["SC-BIG", "SC-SMALL", "合计"]
    for line, api in zip(rows, [*report["rows"], report["totals"]], strict=True):
        assert Decimal(line["本月人员支出（元）"]) == Decimal(api["month"]["pay_cost"]).scaleb(-2)
        assert Decimal(line["年累计经费结余（元）"]) == Decimal(api["year_to_date"]["fund_left"]).scaleb(-2)
        assert line["核算状态"] == "draft"
    assert rows[1]["本月超支"] == "是" and rows[0]["本月超支"] == "否"
    assert Decimal(rows[1]["本月经费结余（元）"]) < 0 and rows[1]["年累计月数"] == "2"

    xlsx = tmp_path / "budget.xlsx"
    done = CliRunner().invoke(main, ["export", "budget", "--month", "2025-02", "--jurisdiction", LIVE_DISTRICT,
                                     "-o", str(xlsx)], env=env)
    assert done.exit_code == 0, done.output
    ws = load_workbook(xlsx).active
    assert ws.max_row == 4 and ws.cell(1, 1).value == "社区代码" and ws.cell(4, 1).value == "合计"

    empty = CliRunner().invoke(main, ["export", "budget", "--month", "2025-03", "--jurisdiction", LIVE_DISTRICT,
                                      "-o", str(out)], env=env)
    assert empty.exit_code == 1 and "No payslips for 2025-03" in empty.output
    bad = CliRunner().invoke(main, ["export", "budget", "--month", "2025-3", "-o", str(out)], env=env)
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
