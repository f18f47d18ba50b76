"""Steps for the payroll's worked examples (D-12…D-16): features/hr/pay/payroll_year.feature,
income_tax.feature, proration.feature and contribution_base.feature, through the HR
service's HTTP API. Every figure a table checks is stated in the feature or in the
Background's figures below; the tables were worked by hand."""
from __future__ import annotations

import csv
import io

import msgspec
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from hr_service.rules.seeds import graded_scale
from shared.dates import add_to_month
from shared.money import yuan
from tests.features.steps_payroll import *  # noqa: F403  (its steps)
from tests.hr.helpers import assess, id_number

scenarios("hr/pay/payroll_year.feature", "hr/pay/income_tax.feature", "hr/pay/proration.feature",
          "hr/pay/contribution_base.feature")

WORKED_RATES = {  # insurance: (employer, worker) in basis points; the base held within 4,462 and 24,930 yuan
    "pension": (1600, 800), "medical": (950, 200), "unemployment": (50, 50), "maternity": (0, 0),
    "work_injury": (20, 0), "housing_fund": (1200, 1200),
}
"""The worked examples' figures: the 三岗十八级 scale of 委员 grade 1 at 7,000 yuan, 300 yuan a
grade, 副职 800 and 正职 1,600 more (D-2); a bonus pool of 30 % shared by score (S4-12); a pay
floor of 96,000 yuan a year (S0-2), which none of them falls under; no service or certificate
allowance (D-3); these contribution rates (S4-11, D-14); the 2018 tax table (D-13)."""

COLUMNS = {
    "paid days": ("paid_days", "days"), "grade pay": ("grade_pay", "yuan"), "bonus share": ("bonus_share", "yuan"),
    "floor top-up": ("floor_top_up", "yuan"), "gross": ("gross", "yuan"), "arrears": ("arrears", "yuan"),
    "contribution base": ("contribution_base", "yuan"), "worker contributions": ("worker_deductions", "yuan"),
    "employer contributions": ("employer_total", "yuan"), "taxable to date": ("taxable_to_date", "yuan"),
    "tax due to date": ("tax_due_to_date", "yuan"), "income tax": ("income_tax", "yuan"),
    "net pay": ("net_pay", "yuan"), "basic deduction to date": ("basic_deduction_to_date", "yuan"),
    "special deductions to date": ("special_deductions_to_date", "yuan"),
}
"""A table's column → the payslip field it checks, and its unit."""


def fen(text: str) -> int:
    return yuan(text.replace(",", ""))


@pytest.fixture
def ctx(suite):
    return {"suite": suite, "admin": suite.hr.as_(suite.admin_token), "workers": {}, "runs": {}}


def _post(api, path: str, body: dict, *ok: int) -> dict:
    r = api.post(path, json=body)
    assert r.status_code in (ok or (201,)), (path, r.status_code, r.text)
    return r.json() if r.content else {}


def _policy(ctx, key: str, effective_from: str, value) -> None:
    _post(ctx["admin"], f"/policies/{key}", {"jurisdiction": ctx["district"], "effective_from": effective_from,
                                              "value": msgspec.to_builtins(value)})


# --- the office and its figures --------------------------------------------------------

@given(parsers.parse('the figures of "{district}" from "{day}" are the worked examples\' figures'))
def worked_figures(ctx, district, day):
    assert district == ctx["district"]
    _policy(ctx, "pay_scale", day, graded_scale(7000, 300, 800, 1600))
    _policy(ctx, "bonus_pool", day, {"ratio_bp": 3000, "default_score": 80})
    _policy(ctx, "average_wage", day, {"reference_year": int(day[:4]) - 1, "annual_fen": yuan(96_000)})
    _policy(ctx, "allowances", day, {"certificate": {}, "service_bands": [{"from_years": 0, "monthly_fen": 0}]})
    _policy(ctx, "insurance", day, {**{k: {"employer_bp": er, "worker_bp": ee} for k, (er, ee) in WORKED_RATES.items()},
                                    "base_min_fen": yuan(4462), "base_max_fen": yuan(24930)})
    _policy(ctx, "cost_split", day, {"city_bp": 5000})


@given(parsers.parse('in "{district}" the pay floor\'s average wage is {amount} yuan a year from "{day}"'))
def floor(ctx, district, amount, day):
    assert district == ctx["district"]
    _policy(ctx, "average_wage", day, {"reference_year": int(day[:4]) - 1, "annual_fen": fen(amount)})


@given(parsers.parse('the communities "{first}" and "{second}" of "{district}"'))
def communities(ctx, first, second, district):
    for code in (first, second):
        _post(ctx["admin"], "/communities", {"code": code, "name": code, "district": district, "households": 6000,
                                             "effective_from": "2000-01-01"})


# --- people and what happens to them ----------------------------------------------------

def _hire(ctx, name: str, post: str, grade: int, community: str, hired_on: str) -> int:
    w = _post(ctx["maker"], "/workers", {
        "name": name, "id_number": id_number(), "jurisdiction": ctx["district"], "post": post, "grade": grade,
        "hired_on": hired_on, "community_code": None if community == "none" else community})
    ctx["workers"][name] = w["id"]
    return w["id"]


@given(parsers.parse('"{name}", a "{post}" at grade {grade:d} of "{community}", hired on "{hired_on}", '
                     'assessed 合格 for {year:d}'))
def hired_and_assessed(ctx, name, post, grade, community, hired_on, year):
    assess(ctx["maker"], _hire(ctx, name, post, grade, community, hired_on), year, grade="合格", score=80)


@given(parsers.parse('"{name}", a "{post}" at grade {grade:d} of "{community}", hired on "{hired_on}", '
                     'not yet assessed for {year:d}'))
def hired_not_assessed(ctx, name, post, grade, community, hired_on, year):
    _hire(ctx, name, post, grade, community, hired_on)


@given(parsers.parse('"{name}", a "{post}" at grade {grade:d} of "{community}", is hired on "{hired_on}"'))
@when(parsers.parse('"{name}", a "{post}" at grade {grade:d} of "{community}", is hired on "{hired_on}"'))
def hired(ctx, name, post, grade, community, hired_on):
    _hire(ctx, name, post, grade, community, hired_on)


@given(parsers.parse('"{name}" declares "{kind}" of {amount} yuan a month from "{month}" for "{person}"'))
def declares(ctx, name, kind, amount, month, person):
    body = {"kind": kind, "monthly_fen": fen(amount), "from_month": month}
    if person != "none":
        body["person"] = person
    _post(ctx["maker"], f"/workers/{ctx['workers'][name]}/tax-deductions", body)


@given(parsers.parse('"{name}" is absent without pay from "{first}" to "{last}"'))
def absent(ctx, name, first, last):
    _post(ctx["maker"], f"/workers/{ctx['workers'][name]}/unpaid-absences",
          {"first_day": first, "last_day": last, "reason": "事假"})


@when(parsers.parse('HR declares a {year:d} contribution wage of {low} yuan for "{first}" and of {high} yuan '
                    'for "{second}"'))
def declare_wages(ctx, year, low, first, high, second):
    for name, amount in ((first, low), (second, high)):
        r = ctx["maker"].put(f"/workers/{ctx['workers'][name]}/contribution-wages/{year}",
                             json={"wage_fen": fen(amount), "reason": "申报缴费工资"})
        assert r.status_code in (200, 201), r.text


@when(parsers.parse('the months "{first}" to "{last}" are paid'))
def pay_months(ctx, first, last):
    """Each month in turn: computed and submitted by the maker, approved by the checker (D-16)."""
    month = first
    while month <= last:
        run = _post(ctx["maker"], "/pay-runs", {"jurisdiction": ctx["district"], "month": month})
        _post(ctx["maker"], f"/pay-runs/{run['id']}/submit", {}, 200)
        approved = _post(ctx["checker"], f"/pay-runs/{run['id']}/approve", {}, 200)
        assert approved["status"] == "closed"
        ctx["runs"][month] = approved
        month = add_to_month(month, 1)


@when(parsers.parse('"{name}" moves to "{community}" on "{day}"'))
def moves(ctx, name, community, day):
    _post(ctx["maker"], f"/workers/{ctx['workers'][name]}/transfers",
          {"community_code": community, "effective_on": day, "reason": "工作调动"}, 200, 201)


@when(parsers.parse('the step of "{day}" is run'))
def step(ctx, day):
    _post(ctx["maker"], "/step-runs", {"jurisdiction": ctx["district"], "effective_on": day})


@when(parsers.parse('"{name}" is assessed 合格 for {year:d} and the supplementary step of "{day}" is run'))
def supplementary(ctx, name, year, day):
    assess(ctx["maker"], ctx["workers"][name], year, grade="合格", score=80)
    run = _post(ctx["maker"], "/step-runs/supplementary", {"jurisdiction": ctx["district"], "effective_on": day,
                                                         "reason": "考核结果补录", "dry_run": False})
    assert run["id"] is not None


@when(parsers.parse('"{name}" leaves on "{day}"'))
def leaves(ctx, name, day):
    _post(ctx["maker"], f"/workers/{ctx['workers'][name]}/leave", {"left_on": day, "reason": "辞职"}, 200)


# --- what the payslips say --------------------------------------------------------------

def _slip(ctx, name: str, month: str) -> dict:
    r = ctx["maker"].get(f"/workers/{ctx['workers'][name]}/payslips/{month}")
    assert r.status_code == 200, r.text
    slip = r.json()
    assert slip["status"] == "closed", (name, month, slip["status"])
    return slip


def _check(slip: dict, row: dict, where: str) -> None:
    for column, text in row.items():
        if column in ("month", "worker"):
            continue
        field, unit = COLUMNS[column]
        want = round(float(text) * 100) if unit == "days" else fen(text)
        assert slip[field] == want, f"{where} {column}: {slip[field]} != {want}"


def _rows(datatable) -> list[dict]:
    head, *rows = datatable
    return [dict(zip(head, r, strict=True)) for r in rows]


@then("the payslips are, in yuan:")
def payslips(ctx, datatable):
    rows = _rows(datatable)
    for row in rows:
        _check(_slip(ctx, row["worker"], row["month"]), row, f"{row['worker']} {row['month']}")
    # nobody else was paid in those months
    for month in {r["month"] for r in rows}:
        if month in ctx["runs"]:
            assert ctx["runs"][month]["totals"]["workers"] == sum(r["month"] == month for r in rows), month


@then(parsers.parse('the payslips of "{name}" are, in yuan:'))
def payslips_of(ctx, name, datatable):
    for row in _rows(datatable):
        _check(_slip(ctx, name, row["month"]), row, f"{name} {row['month']}")


@then("each payslip's cost is its gross and the employer's contributions, split half and half")
def cost(ctx):
    for name in ctx["workers"]:
        for month in ctx["runs"]:
            s = _slip(ctx, name, month)
            assert s["total_cost"] == s["gross"] + s["employer_total"]
            assert s["city_share"] == (s["total_cost"] + 1) // 2 and s["district_share"] == s["total_cost"] // 2


@then(parsers.parse('the contribution wages of "{name}" are:'))
def contribution_wages(ctx, name, datatable):
    got = ctx["maker"].get(f"/workers/{ctx['workers'][name]}/contribution-wages").json()
    assert [(w["year"], w["wage_fen"], w["basis"]) for w in got] == \
        [(int(r["year"]), fen(r["wage"]), r["basis"]) for r in _rows(datatable)]


@then("each month's bank file adds up to its pay run's net pay")
def bank_files(ctx):
    for month, run in ctx["runs"].items():
        r = ctx["maker"].get(f"/pay-runs/{run['id']}/bank-file", params={"format": "csv"})
        assert r.status_code == 200, (month, r.text)
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        amounts = [fen(row[4]) for row in rows[1:-1]]
        assert len(amounts) == run["totals"]["workers"], month
        assert sum(amounts) == fen(rows[-1][4]) == run["totals"]["net_pay"], month
