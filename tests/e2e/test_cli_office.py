"""The office's CLI runs against the running suite: the step increment (dry run,
confirmation, run), a pay run and its payslip export, an attendance export."""
from __future__ import annotations

import csv
import io
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from deploy.cli import main
from deploy.demo import id_number

pytestmark = pytest.mark.e2e

DISTRICT = "hangzhou.binjiang"
TODAY = date.today()
JULY = date(TODAY.year if TODAY >= date(TODAY.year, 7, 1) else TODAY.year - 1, 7, 1)
MONTH = TODAY.strftime("%Y-%m")


@pytest.fixture(scope="module")
def office(live):
    """Five workers: three assessed 合格 (they move), one 不合格 and one not assessed (they do not)."""
    hr = live.api("hr", live.admin_token)
    ids = []
    for i in range(5):
        r = hr.post("/workers", json={"name": f"办公{i}", "id_number": id_number("330108", date(1988, 2, 3 + i), i),
                                      "jurisdiction": DISTRICT, "post": "委员", "hired_on": "2016-05-01"})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    for wid, grade in zip(ids, ["合格", "合格", "优秀", "不合格"], strict=False):  # the fifth is not assessed
        r = hr.post(f"/workers/{wid}/assessments", json={"year": JULY.year - 1, "grade": grade, "visits": [25] * 12,
                                                         "performance_score": 80})
        assert r.status_code == 201, r.text
    return ids


def _env(live, tmp_path) -> dict:
    return {**live.env(), "WORKFORCE_TOKEN": live.admin_token, "WORKFORCE_CONFIG_DIR": str(tmp_path / "cfg")}


def test_increment_shows_the_dry_run_asks_then_runs(live, office, tmp_path):
    args = ["increment", "run", "--effective", JULY.isoformat(), "--jurisdiction", DISTRICT]
    dry = CliRunner().invoke(main, [*args, "--dry-run", "--report", str(tmp_path / "not-moved.csv")],
                             env=_env(live, tmp_path))
    assert dry.exit_code == 0, dry.output
    assert "Dry run (nothing written)" in dry.output
    assert "move up one grade: 3   do not move: 2" in dry.output
    assert "办公3" in dry.output and "办公4" in dry.output  # who does not move, and why
    with open(tmp_path / "not-moved.csv", encoding="utf-8-sig") as fh:
        assert sorted(r["name"] for r in csv.DictReader(fh)) == ["办公3", "办公4"]
    grades = lambda: [live.api("hr", live.admin_token).get(f"/workers/{w}").json()["grade"] for w in office]  # noqa: E731
    before = grades()

    declined = CliRunner().invoke(main, args, env=_env(live, tmp_path), input="n\n")
    assert declined.exit_code == 1 and "Not run." in declined.output
    assert grades() == before

    done = CliRunner().invoke(main, args, env=_env(live, tmp_path), input="y\n")
    assert done.exit_code == 0, done.output
    assert "3 moved up, 2 did not" in done.output
    assert grades() == [g + 1 for g in before[:3]] + before[3:]

    again = CliRunner().invoke(main, [*args, "--yes"], env=_env(live, tmp_path))
    assert again.exit_code == 0 and "Nothing to do" in again.output


def test_pay_run_prints_totals_and_payslips_export(live, office, tmp_path):
    run = CliRunner().invoke(main, ["pay", "run", "--month", MONTH, "--jurisdiction", DISTRICT],
                             env=_env(live, tmp_path))
    assert run.exit_code == 0, run.output
    assert f"{DISTRICT} {MONTH} (draft" in run.output and "5 payslip(s)" in run.output
    assert "net pay 实发" in run.output

    out = tmp_path / "payslips.csv"
    exp = CliRunner().invoke(main, ["export", "payslips", "--month", MONTH, "-o", str(out)], env=_env(live, tmp_path))
    assert exp.exit_code == 0, exp.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted(r["姓名"] for r in rows) == [f"办公{i}" for i in range(5)]
    assert all(r["月份"] == MONTH and float(r["实发（元）"]) > 0 for r in rows)
    # D-16: one column per payslip line, headed in Chinese, in yuan; the lines add up to the gross and the net pay
    header = list(rows[0])
    assert header[:2] == ["姓名", "工号"] and not [h for h in header if h.isascii()]
    earnings = ["等级工资（元）", "福利（元）", "持证津贴（元）", "工龄津贴（元）", "领军人才津贴（元）",
                "绩效奖金（元）", "保底补差（元）", "奖励（元）", "补发/扣回（元）"]
    deductions = [h for h in header if "（个人）" in h] + ["个人所得税（元）"]
    for r in rows:
        assert sum(Decimal(r[h]) for h in earnings) == Decimal(r["应发合计（元）"]) > 0
        assert Decimal(r["应发合计（元）"]) - sum(Decimal(r[h]) for h in deductions) == Decimal(r["实发（元）"])
        assert Decimal(r["计薪天数（天）"]) == Decimal("21.75")

    xlsx = tmp_path / "payslips.xlsx"
    exp = CliRunner().invoke(main, ["export", "payslips", "--month", MONTH, "-o", str(xlsx)], env=_env(live, tmp_path))
    assert exp.exit_code == 0, exp.output
    ws = load_workbook(xlsx).active
    assert ws.max_row == 6 and (ws.cell(1, 1).value, ws.cell(1, 2).value) == ("姓名", "工号")

    missing = CliRunner().invoke(main, ["export", "payslips", "--month", "2001-01", "-o", str(out)],
                                 env=_env(live, tmp_path))
    assert missing.exit_code == 1 and "No pay run for 2001-01" in missing.output


def test_attendance_export(live, office, tmp_path):
    training = live.api("training", live.admin_token)
    deadline = time.monotonic() + 30
    while training.get("/roster", params={"jurisdiction": DISTRICT}).json()["total"] < len(office):
        assert time.monotonic() < deadline, "worker.hired did not reach training"
        time.sleep(0.3)
    p = training.post("/programmes", json={
        "title": "导出测试 export test", "tier": "continuing", "category": "continuing",
        "content_area": "practical_skills", "delivery": "offline", "mode": "practice", "location": "in_city",
        "hours": "8", "jurisdiction": DISTRICT})
    assert p.status_code == 201, p.text
    day = TODAY - timedelta(days=3)
    s = training.post(f"/programmes/{p.json()['id']}/sessions", json={
        "starts_at": datetime(day.year, day.month, day.day, 9).isoformat(),
        "ends_at": datetime(day.year, day.month, day.day, 17).isoformat(), "capacity": 10, "venue": "滨江"})
    assert s.status_code == 201, s.text
    sid = s.json()["id"]
    for w in office[:2]:
        assert training.post(f"/sessions/{sid}/enrolments", json={"worker_id": w}).status_code == 201
    r = training.post(f"/sessions/{sid}/attendance", json={"day": day.isoformat(), "records": [
        {"worker_id": office[0], "present": True}, {"worker_id": office[1], "present": False}]})
    assert r.status_code == 200, r.text

    out = tmp_path / "attendance.csv"
    result = CliRunner().invoke(main, ["export", "attendance", "--session", str(sid), "-o", str(out)],
                                env=_env(live, tmp_path))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "办公0" in text and "办公1" in text and day.isoformat() in text

    xlsx = tmp_path / "attendance.xlsx"
    result = CliRunner().invoke(main, ["export", "attendance", "--session", str(sid), "--format", "xlsx",
                                       "-o", str(xlsx)],
                                env=_env(live, tmp_path))
    assert result.exit_code == 0, result.output
    values = [c for row in load_workbook(xlsx).active.iter_rows(values_only=True) for c in row]
    assert "办公0" in values

    nope = CliRunner().invoke(main, ["export", "attendance", "--session", "99999", "-o", str(out)],
                              env=_env(live, tmp_path))
    assert nope.exit_code == 1 and "404" in nope.output
