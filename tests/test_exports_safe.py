"""Every CSV and XLSX export works for every stored value and is safe to open
(``shared.tabular.safe_cell``): a value a spreadsheet would run as a formula
is written as text with a leading ``'`` (the OWASP rule), characters XLSX
cannot hold become U+FFFD, numbers stay numbers. The values are put straight
into the database, as old data would hold them, and each export is taken
through its public API or command."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import insert, update

from deploy import accounts_cli, audit_cli, cli_common, payslip_export
from deploy.cli import main
from hr_service.tables import Worker
from shared import tabular
from tests.hr.helpers import GONGSHU, hire, service
from tests.hr.pay_helpers import close_run, pay_admin
from tests.training.helpers import add_worker, enrol, programme, session
from training_service.tables import RosterWorker

STORED = '=HYPERLINK("http://x","看")\x01王\x00芳\x1b'
"""A name as old data may hold it: a formula, then control characters XLSX cannot hold."""
SHOWN = "'" + '=HYPERLINK("http://x","看")\ufffd王\ufffd芳\ufffd'
"""How every export writes it."""


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def no_formula_anywhere(rows: list[list]) -> None:
    for row in rows:
        for c in row:
            if isinstance(c, str):
                assert tabular.safe_cell(c) == c, c  # nothing left to neutralise
                assert not ILLEGAL_CHARACTERS_RE.search(c), c


# --- the rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "shown"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("\r=x", "'\r=x"), ("王芳", "王芳"), ("a=b", "a=b"), ("-12.50", "-12.50"), ("+86", "+86"),
    ("a\x00b\x08c\x0bd\x1fe", "a\ufffdb\ufffdc\ufffdd\ufffde"), ("\x01=x", "\ufffd=x"),
    ("tab\tand\nline", "tab\tand\nline"),
    (-5, -5), (3.5, 3.5), (None, None),
])
def test_a_cell_is_neutralised_and_a_number_stays_a_number(value, shown):
    assert tabular.safe_cell(value) == shown


def test_the_characters_replaced_are_openpyxls_illegal_ones():
    every = "".join(chr(i) for i in range(0x20))
    assert tabular.safe_cell("x" + every) == "x" + ILLEGAL_CHARACTERS_RE.sub("\ufffd", every)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_clis_tables_are_safe(tmp_path, fmt):
    """``write_table``: the budget, statistics, increment and every other CLI table."""
    out = tmp_path / f"t.{fmt}"
    cli_common.write_table(out, fmt, ["name", "amount"], [[STORED, -12], ["@x", 3.5]], "a/b:c[d]?*")
    rows = csv_rows(out.read_bytes()) if fmt == "csv" else xlsx_rows(out.read_bytes())
    assert rows[1:] == ([[SHOWN, "-12"], ["'@x", "3.5"]] if fmt == "csv" else [[SHOWN, -12], ["'@x", 3.5]])


# --- training: the attendance sheet -----------------------------------------------------------


@pytest.fixture
def coordinator(suite):
    return suite.api("training", suite.create_user("tc-gongshu", "training_coordinator", GONGSHU))


def test_the_attendance_sheet_exports_any_stored_name(suite, coordinator):
    wid = add_worker(coordinator, "王芳")
    s = session(coordinator, programme(coordinator)["id"])
    assert enrol(coordinator, s["id"], wid).status_code == 201
    svc = suite.training.client.app.state.service
    with svc.db.transaction() as db:
        db.execute(update(RosterWorker).where(RosterWorker.worker_id == wid).values(name=STORED, post="-委员"))
    r = coordinator.get(f"/sessions/{s['id']}/attendance.csv")
    assert r.status_code == 200, r.text
    rows = csv_rows(r.content)
    assert rows[1][:3] == [str(wid), SHOWN, "'-委员"]
    no_formula_anywhere(rows)
    r = coordinator.get(f"/sessions/{s['id']}/attendance.xlsx")
    assert r.status_code == 200, r.text
    rows = xlsx_rows(r.content)
    assert rows[2][:3] == [wid, SHOWN, "'-委员"]  # below the title and the header
    no_formula_anywhere(rows)


# --- HR: the bank file and the CLI's payslips, slips and audit log -----------------------------


def cli_client(suite, token: str):
    """The CLI's client with its requests answered by the test HR app."""
    from deploy.client import Client

    client = Client(suite.settings, token=token)
    client.http = suite.hr.client
    client.urls = {"hr": "", "training": "", "certs": ""}
    return client


@pytest.fixture
def closed_run(suite):
    """A Gongshu worker whose stored name is ``STORED``, with a bank account, and the approved run of March 2025."""
    admin = pay_admin(suite)
    w = hire(admin, name="王芳")
    assert admin.put(f"/workers/{w['id']}/bank-account", json={"bank": "@工行", "account_number": "6222021234567890"}
                     ).status_code == 200
    with service(suite).db.transaction() as db:
        db.execute(update(Worker).where(Worker.id == w["id"]).values(name=STORED))
    run = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-03"}).json()
    close_run(suite, admin, run["id"])
    return admin, w, run


def test_the_bank_file_exports_any_stored_name(suite, closed_run):
    admin, _, run = closed_run
    r = admin.get(f"/pay-runs/{run['id']}/bank-file", params={"format": "csv"})
    assert r.status_code == 200, r.text
    rows = csv_rows(r.content)
    assert rows[1][:4] == [SHOWN, rows[1][1], "'@工行", "6222021234567890"]
    no_formula_anywhere(rows)
    r = admin.get(f"/pay-runs/{run['id']}/bank-file", params={"format": "xlsx"})
    assert r.status_code == 200, r.text
    rows = xlsx_rows(r.content)
    assert rows[1][0] == SHOWN and rows[1][2] == "'@工行" and isinstance(rows[1][4], float | int)
    no_formula_anywhere(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_payslip_export_takes_any_stored_name(suite, closed_run, tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(payslip_export, "logged_in_client", lambda: cli_client(suite, suite.admin_token))
    out = tmp_path / f"payslips.{fmt}"
    done = CliRunner().invoke(main, ["export", "payslips", "--month", "2025-03", "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = csv_rows(out.read_bytes()) if fmt == "csv" else xlsx_rows(out.read_bytes())
    assert rows[1][0] == SHOWN
    no_formula_anywhere(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_one_time_password_slips_take_any_stored_name(suite, tmp_path, monkeypatch, fmt):
    admin = pay_admin(suite)
    w = hire(admin, name="王芳")
    with service(suite).db.transaction() as db:
        db.execute(update(Worker).where(Worker.id == w["id"]).values(name=STORED))
    monkeypatch.setattr(accounts_cli, "logged_in_client", lambda: cli_client(suite, suite.admin_token))
    out = tmp_path / f"slips.{fmt}"
    done = CliRunner().invoke(main, ["accounts", "issue-worker-passwords", "--jurisdiction", GONGSHU, "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = csv_rows(out.read_bytes()) if fmt == "csv" else xlsx_rows(out.read_bytes())
    assert [r[1] for r in rows[1:]] == [SHOWN]
    no_formula_anywhere(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_audit_export_takes_any_stored_value(suite, tmp_path, monkeypatch, fmt):
    svc = service(suite)
    with svc.db.transaction() as db:  # the log is written by its listeners; here straight, as old rows may be
        db.execute(insert(svc.infra.audit).values(
            at=datetime.now(UTC), actor=STORED, role="hr_officer", address="+1+1", request="@SUM(A1)",
            entity="worker", entity_key="-1+2", action="update", jurisdiction=GONGSHU, changes={"name": ["a", STORED]}))
    monkeypatch.setattr(audit_cli, "logged_in_client", lambda: cli_client(suite, suite.admin_token))
    out = tmp_path / f"audit.{fmt}"
    done = CliRunner().invoke(main, ["audit", "export", "--service", "hr", "--entity-key", "-1+2", "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = csv_rows(out.read_bytes()) if fmt == "csv" else xlsx_rows(out.read_bytes())
    assert len(rows) == 2
    assert rows[1][1:7] == [SHOWN, "hr_officer", "'+1+1", "'@SUM(A1)", "worker", "'-1+2"]
    no_formula_anywhere(rows)
