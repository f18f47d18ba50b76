"""Steps for features/hr/pay/approval.feature and bank_file.feature (D-16):
maker-checker approval of pay runs, the approver's review, bank accounts and
the bank payment file, through the HR service's HTTP API."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hr.helpers import hire
from tests.hr.pay_helpers import community

scenarios("hr/pay/approval.feature", "hr/pay/bank_file.feature")


@pytest.fixture
def ctx(suite):
    return {"users": {}, "workers": {}, "response": None, "pay_run": None, "jurisdiction": None}


def _as(ctx, username):
    return ctx["users"][username]


def _run_id(ctx) -> int:
    return ctx["pay_run"]["id"]


# --- people -------------------------------------------------------------------------------------


@given(parsers.parse('HR officers "{maker}" and "{checker}" of "{jurisdiction}"'))
def officers(suite, ctx, maker, checker, jurisdiction):
    for name in (maker, checker):
        ctx["users"][name] = suite.hr.as_(suite.create_user(name, "hr_officer", jurisdiction))
    ctx["jurisdiction"] = jurisdiction
    community(ctx["users"][maker], "GS-001", jurisdiction)


@given(parsers.parse('a training coordinator "{name}" of "{jurisdiction}"'))
def coordinator(suite, ctx, name, jurisdiction):
    ctx["users"][name] = suite.hr.as_(suite.create_user(name, "training_coordinator", jurisdiction))


@given(parsers.parse('a "{post}" worker "{name}" at grade {grade:d} hired on "{hired_on}"'))
def worker(ctx, post, name, grade, hired_on):
    officer = next(iter(ctx["users"].values()))
    ctx["workers"][name] = hire(officer, name=name, post=post, grade=grade, hired_on=hired_on,
                                jurisdiction=ctx["jurisdiction"], community_code="GS-001")


@given(parsers.parse('"{name}" has a worker login "{username}"'))
def worker_login(suite, ctx, name, username):
    ctx["users"][username] = suite.hr.as_(
        suite.create_user(username, "worker", ctx["jurisdiction"], worker_id=ctx["workers"][name]["id"]))


@given(parsers.parse('HR corrects the grade of "{name}" to {grade:d} from "{day}"'))
def correct_grade(ctx, name, grade, day):
    w = ctx["workers"][name]
    r = next(iter(ctx["users"].values())).post(f"/workers/{w['id']}/grade-corrections", json={
        "post": w["post"], "grade": grade, "effective_on": day, "reason": "档次更正"})
    assert r.status_code == 201, r.text


# --- pay runs ------------------------------------------------------------------------------------


@when(parsers.parse('"{user}" computes the pay of "{jurisdiction}" for "{month}"'))
def computes(ctx, user, jurisdiction, month):
    ctx["response"] = _as(ctx, user).post("/pay-runs", json={"jurisdiction": jurisdiction, "month": month})
    if ctx["response"].status_code in (200, 201):
        ctx["pay_run"] = ctx["response"].json()


def _computed(ctx, user, jurisdiction, month):
    computes(ctx, user, jurisdiction, month)
    assert ctx["response"].status_code == 201, ctx["response"].text


@given(parsers.parse('"{user}" has computed and submitted the pay of "{jurisdiction}" for "{month}"'))
def computed_and_submitted(ctx, user, jurisdiction, month):
    _computed(ctx, user, jurisdiction, month)
    r = _as(ctx, user).post(f"/pay-runs/{_run_id(ctx)}/submit")
    assert r.status_code == 200, r.text


@given(parsers.parse('"{user}" has computed the pay of "{jurisdiction}" for "{month}" and "{checker}" has approved it'))
def computed_and_approved(ctx, user, jurisdiction, month, checker):
    computed_and_submitted(ctx, user, jurisdiction, month)
    r = _as(ctx, checker).post(f"/pay-runs/{_run_id(ctx)}/approve", json={})
    assert r.status_code == 200, r.text
    ctx["pay_run"] = r.json()
    ctx.setdefault("approved", {})[month] = r.json()


@when(parsers.parse('"{user}" approves the pay run'))
def approves(ctx, user):
    ctx["response"] = _as(ctx, user).post(f"/pay-runs/{_run_id(ctx)}/approve", json={})


@when(parsers.parse('"{user}" rejects the pay run because "{reason}"'))
def rejects(ctx, user, reason):
    ctx["response"] = _as(ctx, user).post(f"/pay-runs/{_run_id(ctx)}/reject", json={"reason": reason})


def _run(ctx) -> dict:
    return next(iter(ctx["users"].values())).get(f"/pay-runs/{_run_id(ctx)}").json()


@then(parsers.parse('the pay run\'s status is "{status}"'))
def run_is(ctx, status):
    assert _run(ctx)["status"] == status


@then(parsers.parse('the pay run is closed, approved by "{user}"'))
def run_approved_by(ctx, user):
    run = _run(ctx)
    assert (run["status"], run["closed_by"]) == ("closed", user)


def _history(ctx) -> list[dict]:
    return next(iter(ctx["users"].values())).get(f"/pay-runs/{_run_id(ctx)}/history").json()


@then(parsers.re(r'the history of the pay run is (?P<steps>.+)$'))
def history_is(ctx, steps):
    pairs = [p.split(" by ") for p in steps.split(", ")]
    assert [(e["action"], e["actor"]) for e in _history(ctx)] == [(a.strip('"'), u.strip('"')) for a, u in pairs]


@then(parsers.parse('the history of the pay run ends with "{action}" by "{user}" because "{reason}"'))
def history_ends(ctx, action, user, reason):
    last = _history(ctx)[-1]
    assert (last["action"], last["actor"], last["note"]) == (action, user, reason)


# --- the review ----------------------------------------------------------------------------------


@when(parsers.parse('"{user}" reviews the pay run'))
def reviews(ctx, user):
    ctx["response"] = _as(ctx, user).get(f"/pay-runs/{_run_id(ctx)}/review")
    assert ctx["response"].status_code == 200, ctx["response"].text


@then(parsers.parse('the review compares each total with the pay run of "{month}"'))
def compares(ctx, month):
    review, before = ctx["response"].json(), ctx["approved"][month]
    assert review["previous_month"] == month and [r["id"] for r in review["previous_runs"]] == [before["id"]]
    for t in review["totals"]:
        assert t["previous"] == before["totals"][t["key"]]
        assert t["difference"] == t["current"] - t["previous"]
    net = {t["key"]: t for t in review["totals"]}["net_pay"]
    assert net["current"] == ctx["pay_run"]["totals"]["net_pay"]


@then(parsers.parse('the largest change of net pay is that of "{name}", with "{line}" moving most'))
def largest_change(ctx, name, line):
    top = ctx["response"].json()["largest_changes"][0]
    assert (top["name"], top["worker_id"], top["line"]) == (name, ctx["workers"][name]["id"], line)
    assert top["difference"] == top["net_pay"] - top["previous_net_pay"] != 0


# --- bank accounts and the bank file -------------------------------------------------------------


@given(parsers.parse('"{user}" records the account "{number}" at "{bank}" for "{name}"'))
def records_account(ctx, user, number, bank, name):
    r = _as(ctx, user).put(f"/workers/{ctx['workers'][name]['id']}/bank-account",
                           json={"bank": bank, "account_number": number})
    assert r.status_code == 200, r.text


@then(parsers.parse('"{user}" sees the account number of "{name}" as "{number}"'))
def sees_in_full(ctx, user, name, number):
    got = _as(ctx, user).get(f"/workers/{ctx['workers'][name]['id']}/bank-account").json()
    assert (got["account_number"], got["masked"]) == (number, False)


@then(parsers.parse('"{user}" sees the account number of "{name}" masked as "{number}"'))
def sees_masked(ctx, user, name, number):
    got = _as(ctx, user).get(f"/workers/{ctx['workers'][name]['id']}/bank-account").json()
    assert (got["account_number"], got["masked"]) == (number, True)


@then(parsers.parse('"{user}" sees her own account number masked as "{number}"'))
def sees_own_masked(ctx, user, number):
    got = _as(ctx, user).get("/me/bank-account").json()
    assert (got["account_number"], got["masked"]) == (number, True)


@when(parsers.parse('"{user}" downloads the bank file of the pay run as {fmt}'))
def downloads(ctx, user, fmt):
    ctx["response"] = r = _as(ctx, user).get(f"/pay-runs/{_run_id(ctx)}/bank-file", params={"format": fmt})
    if r.status_code != 200:
        return
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(r.content)).active
        rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "身份证号", "开户银行", "银行账号", "实发金额（元）", "备注"]
    ctx["bank_file"] = rows[1:]


@then(parsers.parse('the bank file lists "{a}", "{b}" and "{c}" and a "{total}" row'))
def lists(ctx, a, b, c, total):
    assert sorted(row[0] for row in ctx["bank_file"][:-1]) == sorted([a, b, c])
    assert ctx["bank_file"][-1][0] == total


@then(parsers.parse('the bank file shows "{name}" with the remark "{remark}"'))
def remark(ctx, name, remark):
    row = next(row for row in ctx["bank_file"] if row[0] == name)
    assert (row[3], row[5]) == ("", remark)
    assert Decimal(row[4]) > 0  # listed with the amount due


@then("the bank file's total equals the pay run's net total")
def total_is_net(ctx):
    net = ctx["pay_run"]["totals"]["net_pay"]
    rows = ctx["bank_file"]
    assert Decimal(rows[-1][4]) * 100 == sum(Decimal(row[4]) for row in rows[:-1]) * 100 == net
    assert ctx["response"].headers["x-bank-file-total-fen"] == str(net)


@then(parsers.parse("the bank file reports {rows:d} rows and {missing:d} missing account"))
def reports(ctx, rows, missing):
    h = ctx["response"].headers
    assert (int(h["x-bank-file-rows"]), int(h["x-bank-file-missing-accounts"])) == (rows, missing)
