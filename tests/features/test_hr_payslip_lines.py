"""Steps for features/hr/pay/payslip_lines.feature (D-16: a payslip is a list of
lines, each with its clause; with S4-13 rewards and D-12 months made good),
through the HR service's HTTP API."""
from __future__ import annotations

from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from hr_service.actors import event_handlers
from shared.dates import add_to_month, month_of
from shared.events import CertificateRegistered, to_message
from shared.inbox import consume
from shared.money import yuan
from tests.hr.helpers import hire, service
from tests.hr.pay_helpers import community

scenarios("hr/pay/payslip_lines.feature")


def fen(amount: str) -> int:
    return yuan(amount.replace(",", ""))


def this_month() -> str:
    return month_of(date.today())


def _month(text: str) -> str:
    """``"2025-03"``, or ``this month``."""
    return this_month() if text == "this month" else text


@pytest.fixture
def ctx(suite):
    return {"suite": suite, "workers": {}, "response": None}


def _wid(ctx, name):
    return ctx["workers"][name]


# --- the office and its workers ----------------------------------------------------------

@given(parsers.parse('an HR officer of "{jurisdiction}" who prepares the pay, and another who approves it'))
def office(suite, ctx, jurisdiction):
    ctx["jurisdiction"] = jurisdiction
    ctx["officer"] = suite.hr.as_(suite.create_user("lines-maker", "hr_officer", jurisdiction))
    ctx["checker"] = suite.hr.as_(suite.create_user("lines-checker", "hr_officer", jurisdiction))


@given(parsers.parse('a "{post}" worker "{name}" at grade {grade:d} hired on "{hired_on}" in community "{code}"'))
def worker(ctx, post, name, grade, hired_on, code):
    community(ctx["officer"], code, ctx["jurisdiction"])
    w = hire(ctx["officer"], name=name, post=post, grade=grade, hired_on=hired_on, jurisdiction=ctx["jurisdiction"],
             community_code=code)
    ctx["workers"][name] = w["id"]


@given(parsers.parse('"{name}" registered a "{level}" certificate on "{on}" valid until "{until}"'))
def registered(ctx, name, level, on, until):
    """A certificate registration from the certs service, delivered through HR's inbox."""
    svc = service(ctx["suite"])
    event = CertificateRegistered(worker_id=_wid(ctx, name), jurisdiction=ctx["jurisdiction"], certificate_id=1,
                                  level=level, registered_on=date.fromisoformat(on),
                                  valid_until=date.fromisoformat(until))
    consume(svc.db, svc.infra.inbox, to_message(event), event_handlers(svc))


# --- pay runs ---------------------------------------------------------------------------------

def _run(ctx, month: str) -> dict:
    r = ctx["officer"].post("/pay-runs", json={"jurisdiction": ctx["jurisdiction"], "month": month})
    assert r.status_code in (200, 201), r.text
    return r.json()


def _close(ctx, run: dict) -> None:
    """D-16: the maker submits the run, the other officer approves it."""
    r = ctx["officer"].post(f"/pay-runs/{run['id']}/submit")
    assert r.status_code == 200, r.text
    r = ctx["checker"].post(f"/pay-runs/{run['id']}/approve", json={})
    assert r.status_code == 200 and r.json()["status"] == "closed", r.text


@when(parsers.parse('the officer runs the pay of "{jurisdiction}" for "{month}"'))
def run_pay(ctx, jurisdiction, month):
    assert jurisdiction == ctx["jurisdiction"]
    _run(ctx, month)


@when(parsers.parse('the officer runs the pay of "{jurisdiction}" for this month'))
def run_this_month(ctx, jurisdiction):
    run_pay(ctx, jurisdiction, this_month())


@given(parsers.parse('the officer has run and closed the pay of "{jurisdiction}" for every month from "{first}" to '
                     '"{last}"'))
def closed_months(ctx, jurisdiction, first, last):
    assert jurisdiction == ctx["jurisdiction"]
    month = first
    while month <= last:
        _close(ctx, _run(ctx, month))
        month = add_to_month(month, 1)


@given(parsers.parse('the officer has run and closed the pay of "{jurisdiction}" for the {n:d} months before this '
                     'month'))
def closed_months_before(ctx, jurisdiction, n):
    closed_months(ctx, jurisdiction, add_to_month(this_month(), -n), add_to_month(this_month(), -1))


def _correct(ctx, name, grade, day, reason):
    wid = _wid(ctx, name)
    post = ctx["officer"].get(f"/workers/{wid}").json()["post"]
    r = ctx["officer"].post(f"/workers/{wid}/grade-corrections",
                            json={"post": post, "grade": grade, "effective_on": day, "reason": reason})
    assert r.status_code == 201, r.text
    assert r.json()["paid_months_to_recheck"]


@when(parsers.parse('HR corrects the grade of "{name}" to {grade:d} from "{day}" because "{reason}"'))
def correct_grade(ctx, name, grade, day, reason):
    _correct(ctx, name, grade, day, reason)


@when(parsers.parse('HR corrects the grade of "{name}" to {grade:d} from the first day of last month because '
                    '"{reason}"'))
def correct_grade_last_month(ctx, name, grade, reason):
    _correct(ctx, name, grade, add_to_month(this_month(), -1) + "-01", reason)


# --- rewards (S4-13) ------------------------------------------------------------------------------

@given(parsers.parse('"{code}" has recorded for this year an after-tax service income of {income} yuan and a '
                     'surplus of {surplus} yuan'))
def fund(ctx, code, income, surplus):
    r = ctx["officer"].post(f"/communities/{code}/reward-funds", json={
        "year": date.today().year, "after_tax_income_fen": fen(income), "surplus_fen": fen(surplus)})
    assert r.status_code == 201, r.text


@given(parsers.parse('the officer has rewarded "{name}" of "{code}" with {amount} yuan for this year because '
                     '"{reason}"'))
def rewarded(ctx, name, code, amount, reason):
    r = ctx["officer"].post(f"/communities/{code}/rewards", json={
        "worker_id": _wid(ctx, name), "year": date.today().year, "amount_fen": fen(amount), "reason": reason})
    assert r.status_code == 201, r.text


# --- the lines --------------------------------------------------------------------------------------

def _slip(ctx, name, month) -> dict:
    r = ctx["officer"].get(f"/workers/{_wid(ctx, name)}/payslips/{_month(month)}")
    assert r.status_code == 200, r.text
    ctx["slip"] = r.json()
    return ctx["slip"]


def _labelled(slip: dict, label: str) -> list[dict]:
    return [ln for ln in slip["lines"] if ln["label_zh"] == label]


@then(parsers.parse('the payslip of "{name}" for "{month}" has these lines, in this order'))
def lines_in_order(ctx, name, month, datatable):
    header, *rows = datatable
    got = [[str(ln[h]) for h in header] for ln in _slip(ctx, name, month)["lines"]]
    assert got == rows


@then(parsers.parse('the "{label}" line of that payslip is {amount} yuan'))
def line_amount(ctx, label, amount):
    [line] = _labelled(ctx["slip"], label)
    assert line["amount"] == fen(amount)


@then(parsers.parse('the "{label}" line of that payslip is {days} days'))
def line_days(ctx, label, days):
    [line] = _labelled(ctx["slip"], label)
    assert line["amount"] == round(float(days) * 100)  # hundredths of a day (D-15)


@then(parsers.re(r'the payslip of "(?P<name>[^"]+)" for "(?P<month>[^"]+)" has a "(?P<label>[^"]+)" line of '
                 r'(?P<amount>[\d,.]+) yuan for "(?P<covers>[^"]+)" citing "(?P<clause>[^"]+)", '
                 r'because "(?P<reason>[^"]+)"'))
def made_good_line(ctx, name, month, label, amount, covers, clause, reason):
    lines = [ln for ln in _labelled(_slip(ctx, name, month), label) if ln["covers"] == covers]
    assert [(ln["amount"], ln["clause"]) for ln in lines] == [(fen(amount), clause)]
    assert reason in lines[0]["note"]


@then("on that payslip the months made good come after the floor top-up and before the gross, in month order")
def made_good_in_place(ctx):
    kinds = [ln["kind"] for ln in ctx["slip"]["lines"]]
    covers = [ln["covers"] for ln in ctx["slip"]["lines"] if ln["covers"]]
    made_good = [i for i, k in enumerate(kinds) if k in ("arrears", "recovery")]
    assert made_good and made_good == list(range(made_good[0], made_good[-1] + 1))
    assert kinds[made_good[-1] + 1] == "gross"
    assert all(k in ("grade_pay", "welfare", "certificate_allowance", "service_allowance", "talent_allowance",
                     "bonus_share", "floor_top_up", "rewards") for k in kinds[:made_good[0]])
    assert covers == sorted(covers)


@then(parsers.parse('the preview of "{name}" for this month has no "{label}" line'))
def preview_without(ctx, name, label):
    slip = _slip(ctx, name, "this month")
    assert slip["status"] == "preview" and slip["id"] is None
    assert not _labelled(slip, label)


@then(parsers.parse('the payslip of "{name}" for this month has a "{label}" line of {amount} yuan citing "{clause}", '
                    'because "{reason}"'))
def reward_line(ctx, name, label, amount, clause, reason):
    slip = _slip(ctx, name, "this month")
    assert slip["status"] == "draft"
    assert [(ln["amount"], ln["clause"], ln["note"], ln["covers"]) for ln in _labelled(slip, label)] == [
        (fen(amount), clause, reason, None)]


@then(parsers.parse('the worker "{name}" reads the same lines through "/me/payslips" and by the payslip\'s id'))
def worker_reads(ctx, name):
    suite, slip = ctx["suite"], ctx["slip"]
    me = suite.hr.as_(suite.create_user(f"worker-{_wid(ctx, name)}", "worker", ctx["jurisdiction"],
                                        worker_id=_wid(ctx, name)))
    own = me.get(f"/me/payslips/{slip['month']}").json()
    by_id = me.get(f"/payslips/{slip['id']}").json()
    assert own["lines"] == by_id["lines"] == slip["lines"]


@then(parsers.parse('on every payslip from {n:d} months ago to this month, the earnings, rewards and months made '
                    'good add up to the gross, and the gross less the deductions is the net pay'))
def lines_add_up(ctx, n):
    seen = 0
    for wid in ctx["workers"].values():
        slips = ctx["officer"].get(f"/workers/{wid}/payslips",
                                   params={"from": add_to_month(this_month(), -n), "to": this_month()}).json()
        for slip in slips:
            lines = slip["lines"]
            gross = next(ln["amount"] for ln in lines if ln["kind"] == "gross")
            net = next(ln["amount"] for ln in lines if ln["kind"] == "net_pay")
            assert sum(ln["amount"] for ln in lines if ln["group"] == "earning") == gross == slip["gross"]
            assert gross - sum(ln["amount"] for ln in lines if ln["group"] == "deduction") == net == slip["net_pay"]
            seen += 1
    assert seen == (n + 1) * len(ctx["workers"])


@then(parsers.parse('the payslip of "{name}" for this month has {count:d} "{label}" line'))
def count_lines(ctx, name, count, label):
    assert len(_labelled(_slip(ctx, name, "this month"), label)) == count
