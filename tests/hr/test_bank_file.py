"""D-16 bank accounts and the bank payment file: accounts recorded by HR
officers, shown in full only to them; the file of an approved run lists every
payslip and adds up to the run's net total; the CLI's pay and export commands."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from deploy import bank_cli, pay_cli
from deploy.cli import main
from deploy.client import ApiError
from hr_service.pay.tables import UnpaidAbsence
from tests.hr.helpers import CITY, GONGSHU, XIHU, hire, id_number, service
from tests.hr.pay_helpers import close_run, pay_admin

HEADER = ["姓名", "身份证号", "开户银行", "银行账号", "实发金额（元）", "备注"]
ACCOUNT = "6222 0212 3456 7890"


def officer(suite, name: str, jurisdiction: str = GONGSHU, role: str = "hr_officer", worker_id: int | None = None):
    return suite.hr.as_(suite.create_user(name, role, jurisdiction, worker_id=worker_id))


def problem(r, status: int, code: str, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.json()["code"] == code, r.json()
    if field is not None:
        assert r.json()["field"] == field, r.json()
    return r.json()


def put_account(api, worker_id: int, bank: str = "中国工商银行杭州分行", number: str = ACCOUNT):
    return api.put(f"/workers/{worker_id}/bank-account", json={"bank": bank, "account_number": number})


# --- bank accounts -----------------------------------------------------------------------------------


def test_an_hr_officer_records_an_account_spaces_dropped(suite):
    admin = pay_admin(suite)
    w = hire(admin)["id"]
    hr = officer(suite, "hr-a")
    problem(hr.get(f"/workers/{w}/bank-account"), 404, "no_bank_account")
    r = put_account(hr, w)
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("worker_id", "bank", "account_number", "masked", "recorded_by")} == {
        "worker_id": w, "bank": "中国工商银行杭州分行", "account_number": "6222021234567890", "masked": False,
        "recorded_by": "hr-a"}
    assert hr.get(f"/workers/{w}/bank-account").json() == r.json()
    replaced = put_account(hr, w, " 中国农业银行 ", "9559 9800 1234 5678 123")
    assert (replaced.json()["bank"], replaced.json()["account_number"]) == ("中国农业银行", "9559980012345678123")
    assert hr.get(f"/workers/{w}/bank-account").json()["account_number"] == "9559980012345678123"


@pytest.mark.parametrize(("bank", "number", "field"), [
    ("工行", "1234567", "account_number"),  # 7 digits
    ("工行", "1" * 33, "account_number"),
    ("工行", "6222-0212-3456", "account_number"),
    ("工行", "62220212345678９0", "account_number"),  # a full-width digit
    ("工行", "   ", "account_number"),
    ("", "12345678", "bank"),
    ("   ", "12345678", "bank"),
    ("行" * 65, "12345678", "bank"),
])
def test_a_bad_account_is_refused_naming_the_field(suite, bank, number, field):
    admin = pay_admin(suite)
    w = hire(admin)["id"]
    code = "invalid_bank" if field == "bank" else "invalid_account_number"
    problem(put_account(admin, w, bank, number), 422, code, field)
    problem(admin.get(f"/workers/{w}/bank-account"), 404, "no_bank_account")


def test_the_edges_of_an_account_number_and_the_body(suite):
    admin = pay_admin(suite)
    w = hire(admin)["id"]
    assert put_account(admin, w, "行" * 64, "1" * 8).status_code == 200
    assert put_account(admin, w, "工行", " ".join(["1234"] * 8)).json()["account_number"] == "1234" * 8
    problem(admin.put(f"/workers/{w}/bank-account", json={"bank": "工行"}), 400, "validation_failed",
            "account_number")
    problem(admin.put(f"/workers/{w}/bank-account", json={"bank": "工行", "account_number": "12345678", "x": 1}),
            400, "validation_failed")
    problem(admin.put(f"/workers/{w}/bank-account", json={"bank": "工行", "account_number": 12345678}),
            400, "validation_failed", "account_number")
    problem(put_account(admin, 999999), 404, "not_found")


def test_who_records_and_who_sees_the_number_in_full(suite):
    admin = pay_admin(suite)
    w = hire(admin, name="甲")["id"]
    other = hire(admin, name="乙")["id"]
    assert put_account(admin, w).status_code == 200
    # an HR officer elsewhere does not see the worker; a coordinator may not record
    xihu = officer(suite, "hr-xihu", XIHU)
    problem(put_account(xihu, w), 404, "not_found")
    problem(xihu.get(f"/workers/{w}/bank-account"), 404, "not_found")
    coordinator = officer(suite, "tc", GONGSHU, "training_coordinator")
    problem(put_account(coordinator, w), 403, "role_not_allowed")
    # in full to HR officers covering the worker, masked to anyone else who may see them
    for api in (officer(suite, "hr-a"), officer(suite, "hr-city", CITY), admin):
        got = api.get(f"/workers/{w}/bank-account").json()
        assert (got["account_number"], got["masked"]) == ("6222021234567890", False)
    me = officer(suite, "w-jia", GONGSHU, "worker", worker_id=w)
    masked = ("************7890", True)
    for api, path in ((coordinator, f"/workers/{w}/bank-account"), (me, f"/workers/{w}/bank-account"),
                      (me, "/me/bank-account")):
        got = api.get(path).json()
        assert (got["account_number"], got["masked"], got["bank"]) == (*masked, "中国工商银行杭州分行")
    problem(me.get(f"/workers/{other}/bank-account"), 404, "not_found")  # another person's record (D-8)
    problem(me.put(f"/workers/{w}/bank-account", json={"bank": "x", "account_number": "12345678"}), 403,
            "role_not_allowed")
    problem(officer(suite, "w-yi", GONGSHU, "worker", worker_id=other).get("/me/bank-account"), 404,
            "no_bank_account")
    problem(admin.get("/me/bank-account"), 404, "not_found")  # not a worker's login


# --- the bank file -------------------------------------------------------------------------------------


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def paid(suite):
    """Three Gongshu workers, two with accounts, and the approved run of March 2025."""
    admin = pay_admin(suite)
    ws = [{**hire(admin, name=n, grade=g, id_number=number), "id_number": number}
          for n, g, number in (("甲", 3, id_number()), ("乙", 5, id_number()), ("丙", 7, id_number()))]
    put_account(admin, ws[0]["id"], "工行", ACCOUNT)
    put_account(admin, ws[2]["id"], "农行", "9559980012345678")
    run = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-03"}).json()
    return {"admin": admin, "workers": ws, "run": run}


def test_no_bank_file_before_approval(suite, paid):
    admin, run = paid["admin"], paid["run"]
    problem(admin.get(f"/pay-runs/{run['id']}/bank-file"), 409, "pay_run_not_approved")
    assert admin.post(f"/pay-runs/{run['id']}/submit").status_code == 200
    assert problem(admin.get(f"/pay-runs/{run['id']}/bank-file"), 409, "pay_run_not_approved")["extra"] == {
        "status": "submitted"}
    problem(officer(suite, "hr-xihu", XIHU).get(f"/pay-runs/{run['id']}/bank-file"), 404, "not_found")


def test_the_bank_file_lists_every_payslip_and_adds_up_to_the_net_total(suite, paid):
    admin, ws, run = paid["admin"], paid["workers"], paid["run"]
    closed = close_run(suite, admin, run["id"])
    r = admin.get(f"/pay-runs/{run['id']}/bank-file", params={"format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="bank-file-hangzhou.gongshu-2025-03.csv"' in r.headers["content-disposition"]
    rows = _rows(r.content)
    assert rows[0] == HEADER
    slips = {s["worker_id"]: s for s in admin.get(f"/pay-runs/{run['id']}/payslips").json()["items"]}
    assert rows[1:-1] == [
        [w["name"], w["id_number"], bank, number, f"{Decimal(slips[w['id']]['net_pay']).scaleb(-2):.2f}", remark]
        for w, bank, number, remark in zip(ws, ["工行", "", "农行"], ["6222021234567890", "", "9559980012345678"],
                                           ["", "缺少银行账户", ""], strict=True)]
    total = closed["totals"]["net_pay"]
    assert rows[-1] == ["合计", "", "", "", f"{Decimal(total).scaleb(-2):.2f}", ""]
    assert sum(Decimal(row[4]) for row in rows[1:-1]) * 100 == total == sum(s["net_pay"] for s in slips.values())
    assert (r.headers["x-bank-file-rows"], r.headers["x-bank-file-total-fen"],
            r.headers["x-bank-file-missing-accounts"]) == ("3", str(total), "1")
    assert admin.get(f"/pay-runs/{run['id']}/bank-file").content == r.content  # csv by default


def test_the_bank_file_as_xlsx(suite, paid):
    admin, run = paid["admin"], paid["run"]
    close_run(suite, admin, run["id"])
    r = admin.get(f"/pay-runs/{run['id']}/bank-file", params={"format": "xlsx"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    csv_rows = _rows(admin.get(f"/pay-runs/{run['id']}/bank-file").content)
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [["" if c is None else c for c in row] for row in ws.iter_rows(values_only=True)]
    assert cells[0] == HEADER and len(cells) == len(csv_rows) == 5
    for got, want in zip(cells[1:], csv_rows[1:], strict=True):
        assert [*got[:4], got[5]] == [*want[:4], want[5]]
        assert isinstance(got[1], str)  # ID numbers stay text
        assert Decimal(str(got[4])) == Decimal(want[4])
    problem(admin.get(f"/pay-runs/{run['id']}/bank-file", params={"format": "pdf"}), 422, "invalid_format", "format")


def test_a_net_of_nothing_is_listed_with_no_payment(suite):
    """A worker absent without pay the whole month (D-15) still pays their
    contributions on the declared wage (D-14): a net below zero, listed with
    无需付款 and counted in the total, never skipped."""
    admin = pay_admin(suite)
    away, here = hire(admin, name="甲", grade=3)["id"], hire(admin, name="乙", grade=3)["id"]
    put_account(admin, away)
    put_account(admin, here, number="12345678")
    with service(suite).db.transaction() as s:
        s.add(UnpaidAbsence(worker_id=away, first_day=date(2025, 3, 1), last_day=date(2025, 3, 31), reason="事假",
                            recorded_by="admin", recorded_at=datetime.now(UTC)))
    run = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-03"}).json()
    closed = close_run(suite, admin, run["id"])
    slips = {s["worker_id"]: s for s in admin.get(f"/pay-runs/{run['id']}/payslips").json()["items"]}
    assert slips[away]["net_pay"] <= 0 < slips[here]["net_pay"]
    r = admin.get(f"/pay-runs/{run['id']}/bank-file")
    rows = _rows(r.content)
    assert [(row[0], row[5]) for row in rows[1:]] == [("甲", "无需付款"), ("乙", ""), ("合计", "")]
    assert Decimal(rows[-1][4]) * 100 == closed["totals"]["net_pay"] == slips[away]["net_pay"] + slips[here]["net_pay"]
    assert r.headers["x-bank-file-missing-accounts"] == "0"


# --- the CLI -----------------------------------------------------------------------------------------


class Bridge:
    """The CLI client's calls, answered by the HR test app."""

    def __init__(self, suite, token):
        self.api = suite.hr.as_(token)

    def request(self, method, service, path, **kw):
        r = getattr(self.api, method.lower())(path, **kw)
        if r.status_code >= 400:
            raise ApiError(r)
        return r

    def get(self, service, path, **kw):
        return self.request("GET", service, path, **kw).json()

    def post(self, service, path, json=None, **kw):
        r = self.request("POST", service, path, json=json, **kw)
        return r.json() if r.content else None

    def claims(self):
        return {"jur": GONGSHU}


@pytest.fixture
def cli(suite, monkeypatch):
    def invoke(token, *args, input=None):
        for module in (pay_cli, bank_cli):
            monkeypatch.setattr(module, "logged_in_client", lambda: Bridge(suite, token))
        return CliRunner().invoke(main, list(args), input=input)
    return invoke


def test_the_cli_runs_submits_reviews_approves_and_exports(suite, cli, tmp_path):
    admin = pay_admin(suite)
    ws = [hire(admin, name=n, grade=3)["id"] for n in ("甲", "乙")]
    put_account(admin, ws[0])
    maker = suite.create_user("hr-a", "hr_officer", GONGSHU)
    checker = suite.create_user("hr-b", "hr_officer", GONGSHU)
    out = cli(maker, "pay", "run", "--month", "2025-02")
    assert out.exit_code == 0, out.output
    feb = admin.get("/pay-runs", params={"month": "2025-02"}).json()[0]
    assert f"Pay run {feb['id']} {GONGSHU} 2025-02 (draft" in out.output and "net pay 实发" in out.output
    assert cli(maker, "pay", "run", "--month", "2025-02", "--close").exit_code == 2  # no such option any more
    assert cli(maker, "pay", "submit", "--run", str(feb["id"])).exit_code == 0
    assert cli(checker, "pay", "approve", "--run", str(feb["id"]), "-y").exit_code == 0
    early = cli(checker, "export", "bank-file", "--run", str(feb["id"]), "-o", str(tmp_path / "feb.csv"))
    assert early.exit_code == 0 and "1 worker(s) to pay have no bank account" in early.output
    assert _rows((tmp_path / "feb.csv").read_bytes())[2][5] == "缺少银行账户"
    mar = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-03"}).json()
    assert put_account(admin, ws[1], "农行", "12345678").status_code == 200

    out = cli(maker, "pay", "submit", "--run", str(mar["id"]))
    assert out.exit_code == 0 and "submitted by hr-a" in out.output
    own = cli(maker, "pay", "approve", "--run", str(mar["id"]), "-y")
    assert own.exit_code == 1 and "own_pay_run" in own.output and "不能审批自己编制的工资" in own.output
    review = cli(checker, "pay", "review", "--run", str(mar["id"]))
    assert review.exit_code == 0, review.output
    assert f"Against 2025-02: run {feb['id']} {GONGSHU} (closed)" in review.output
    assert "Joined: 0   gone: 0" in review.output and "net pay 实发" in review.output
    declined = cli(checker, "pay", "approve", "--run", str(mar["id"]), input="n\n")
    assert declined.exit_code == 1 and "Not approved." in declined.output
    assert admin.get(f"/pay-runs/{mar['id']}").json()["status"] == "submitted"
    rejected = cli(checker, "pay", "reject", "--run", str(mar["id"]), "--reason", "核对")
    assert rejected.exit_code == 0 and "a draft again" in rejected.output
    assert cli(checker, "pay", "reject", "--run", str(mar["id"])).exit_code == 2  # --reason is required
    assert cli(maker, "pay", "submit", "--run", str(mar["id"])).exit_code == 0
    approved = cli(checker, "pay", "approve", "--run", str(mar["id"]), "--note", "无误", input="y\n")
    assert approved.exit_code == 0 and "Approved by hr-b" in approved.output
    assert admin.get(f"/pay-runs/{mar['id']}/history").json()[-1]["note"] == "无误"

    xlsx = tmp_path / "bank.xlsx"
    out = cli(checker, "export", "bank-file", "--run", str(mar["id"]), "-o", str(xlsx))
    assert out.exit_code == 0, out.output
    total = admin.get(f"/pay-runs/{mar['id']}").json()["totals"]["net_pay"]
    assert f"2 row(s), net total {Decimal(total).scaleb(-2):.2f} yuan" in out.output
    assert load_workbook(xlsx).active.cell(4, 1).value == "合计"
    assert "no bank account" not in out.output
