"""Steps for features/hr/pay/*.feature (S4-9, S4-10, S4-11, S4-12, S2-5, S0-2,
S0-6, S3-1, S4-14, D-1, D-2, D-3, D-12), through the HR service's HTTP API."""
from __future__ import annotations

from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from hr_service.actors import event_handlers
from shared.events import CertificateRegistered, RegistrationLapsed, TalentSelected, to_message
from shared.inbox import consume
from shared.money import yuan
from tests.hr.helpers import hire, id_number, service
from tests.hr.pay_helpers import close_with, community

# the pay features of the first issues; the payroll's own (D-13…D-16) have step modules of their own
for _name in ("allowances", "arrears", "assessment", "bonus_pool", "insurance", "pay_floor", "pay_scale",
              "step_increment", "talent_allowance"):
    scenarios(f"hr/pay/{_name}.feature")

CITY = "hangzhou"


def fen(amount: str) -> int:
    return yuan(amount.replace(",", ""))


@pytest.fixture
def ctx(suite):
    return {"officers": {}, "officer": None, "workers": {}, "response": None, "pay_run": None,
            "admin": suite.hr.as_(suite.admin_token)}


def _officer(ctx):
    return ctx["officer"]


def _wid(ctx, name):
    return ctx["workers"][name]


# --- people ------------------------------------------------------------------------

@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    api = suite.hr.as_(suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction))
    ctx["officers"][jurisdiction] = api
    ctx["officer"] = ctx["officer"] or api
    ctx["jurisdiction"] = ctx.get("jurisdiction") or jurisdiction


@given(parsers.parse('a "{post}" worker "{name}" at grade {grade:d} hired on "{hired_on}"'))
def worker(ctx, post, name, grade, hired_on):
    community(_officer(ctx), "GS-001", ctx["jurisdiction"])
    w = hire(_officer(ctx), name=name, post=post, grade=grade, hired_on=hired_on,
             jurisdiction=ctx["jurisdiction"], community_code="GS-001")
    ctx["workers"][name] = w["id"]


def _hire(ctx, body):
    r = _officer(ctx).post("/workers", json={"id_number": id_number(), "jurisdiction": ctx["jurisdiction"],
                                             "hired_on": "2025-03-01", **body})
    ctx["response"] = r
    if r.status_code == 201:
        ctx["workers"][body["name"]] = r.json()["id"]


@when(parsers.parse('the officer hires a "{post}" worker "{name}" '
                   'with {years:d} years of service and education "{edu}"'))
def hire_derived(ctx, post, name, years, edu):
    _hire(ctx, {"name": name, "post": post, "service_years": years, "education": edu})


@when(parsers.parse('the officer hires a "{post}" worker "{name}" at grade {grade:d}'))
def hire_at_grade(ctx, post, name, grade):
    _hire(ctx, {"name": name, "post": post, "grade": grade})


@then(parsers.parse('"{name}" is at grade {grade:d}'))
def at_grade(ctx, name, grade):
    assert _officer(ctx).get(f"/workers/{_wid(ctx, name)}").json()["grade"] == grade


@then(parsers.parse('the grade derivation of "{name}" mentions "{text}"'))
def derivation(ctx, name, text):
    assert text in _officer(ctx).get(f"/workers/{_wid(ctx, name)}").json()["grade_derivation"]


@then(parsers.parse('the grade history of "{name}" holds {n:d} step citing "{clause}"'))
def history_steps(ctx, name, n, clause):
    steps = [h for h in _officer(ctx).get(f"/workers/{_wid(ctx, name)}/grade-history").json() if h["kind"] == "step"]
    assert len(steps) == n and all(h["clause"] == clause for h in steps)


# --- assessments ---------------------------------------------------------------------

@given(parsers.parse('"{name}" was assessed "{grade}" for {year:d} with score {score:d}'))
@given(parsers.parse('"{name}" was assessed "{grade}" for {year:d}'))
def assessed(ctx, name, grade, year, score=80):
    r = _officer(ctx).post(f"/workers/{_wid(ctx, name)}/assessments", json={
        "year": year, "grade": grade, "visits": [25] * 12, "performance_score": score})
    assert r.status_code == 201, r.text


@when(parsers.parse('the officer records the {year:d} assessment of "{name}" as "{grade}" with visits "{visits}" '
                    "and residents' satisfaction {satisfaction:d}"))
def record_assessment(ctx, year, name, grade, visits, satisfaction):
    ctx["response"] = _officer(ctx).post(f"/workers/{_wid(ctx, name)}/assessments", json={
        "year": year, "grade": grade, "visits": [int(v) for v in visits.split()], "performance_score": 85,
        "residents_satisfaction": satisfaction})


@then(parsers.parse('the assessment flags months "{months}"'))
def flags(ctx, months):
    assert ctx["response"].json()["months_below_visit_minimum"] == [int(m) for m in months.split(",")]


@then(parsers.parse("the assessment keeps residents' satisfaction {satisfaction:d}"))
def keeps_satisfaction(ctx, satisfaction):
    assert ctx["response"].json()["residents_satisfaction"] == satisfaction


@when(parsers.parse('the officer corrects the {year:d} assessment of "{name}" to "{grade}" because "{reason}"'))
def correct(ctx, year, name, grade, reason):
    ctx["response"] = _officer(ctx).post(f"/workers/{_wid(ctx, name)}/assessments/{year}/corrections",
                                         json={"grade": grade, "reason": reason})


@then(parsers.parse('the {year:d} assessment of "{name}" is "{grade}" with a history entry "{old}" because "{reason}"'))
def corrected(ctx, year, name, grade, old, reason):
    a = _officer(ctx).get(f"/workers/{_wid(ctx, name)}/assessments/{year}").json()
    assert a["grade"] == grade
    assert [(h["previous"]["grade"], h["reason"]) for h in a["history"]] == [(old, reason)]


# --- the step increment ------------------------------------------------------------------

@when(parsers.parse('the officer runs the step increment effective "{day}"'))
def run_increment(ctx, day):
    ctx["response"] = _officer(ctx).post("/step-runs", json={"jurisdiction": ctx["jurisdiction"], "effective_on": day})


@when(parsers.parse('the officer dry-runs the step increment effective "{day}"'))
def dry_run(ctx, day):
    ctx["response"] = _officer(ctx).post("/step-runs", json={"jurisdiction": ctx["jurisdiction"], "effective_on": day,
                                                             "dry_run": True})


@given(parsers.parse('the officer has run the step increment effective "{day}"'))
def has_run_increment(ctx, day):
    run_increment(ctx, day)
    assert ctx["response"].status_code == 201, ctx["response"].text


@when(parsers.parse('the officer runs a supplementary step run effective "{day}" because "{reason}"'))
def run_supplementary(ctx, day, reason):
    ctx["response"] = _officer(ctx).post("/step-runs/supplementary", json={
        "jurisdiction": ctx["jurisdiction"], "effective_on": day, "reason": reason, "dry_run": False})
    assert ctx["response"].status_code == 201, ctx["response"].text


@then(parsers.parse('the run reports "{name}" as "{outcome}"'))
def run_reports(ctx, name, outcome):
    run = ctx["response"].json()
    page = _officer(ctx).get(f"/step-runs/{run['id']}/outcomes", params={"limit": 500}).json()
    got = {o["worker_id"]: o for o in page["items"]}[_wid(ctx, name)]
    assert got["outcome"] == outcome and got["reason"]


@then(parsers.parse('the run counts {n:d} "{outcome}"'))
def run_counts(ctx, n, outcome):
    assert ctx["response"].json()["counts"][outcome] == n


# --- policies -------------------------------------------------------------------------------

@given(parsers.parse('the administrator adds a pay scale from "{day}" raising every amount by {pct:d}%'))
@when(parsers.parse('the administrator adds a pay scale from "{day}" raising every amount by {pct:d}%'))
def raise_pay_scale(ctx, day, pct):
    admin = ctx["admin"]
    current = admin.get("/policies/pay_scale/in-force", params={"jurisdiction": CITY, "as_of": day}).json()["value"]
    for post in current["posts"].values():
        post["amounts"] = [a * (100 + pct) // 100 for a in post["amounts"]]
    ctx["response"] = admin.post("/policies/pay_scale", json={"jurisdiction": CITY, "effective_from": day,
                                                              "value": current, "note": f"+{pct}%"})


@given(parsers.parse('the administrator sets the {year:d} average wage of "{jurisdiction}" to {amount} yuan '
                     'from "{day}"'))
def average_wage(ctx, year, jurisdiction, amount, day):
    r = ctx["admin"].post("/policies/average_wage", json={
        "jurisdiction": jurisdiction, "effective_from": day,
        "value": {"reference_year": year, "annual_fen": fen(amount)}})
    assert r.status_code == 201, r.text


@given(parsers.parse('"{name}" registered a "{level}" certificate on "{on}" valid until "{until}"'))
def registered(suite, ctx, name, level, on, until):
    ctx.setdefault("certs", {})[(name, level)] = cert_id = len(ctx.get("certs", {})) + 1
    _deliver(suite, CertificateRegistered(worker_id=_wid(ctx, name), jurisdiction=ctx["jurisdiction"],
                                          certificate_id=cert_id, level=level, registered_on=date.fromisoformat(on),
                                          valid_until=date.fromisoformat(until)))


@given(parsers.parse('the "{level}" registration of "{name}" lapsed on "{on}"'))
def lapsed(suite, ctx, level, name, on):
    _deliver(suite, RegistrationLapsed(worker_id=_wid(ctx, name), jurisdiction=ctx["jurisdiction"],
                                       certificate_id=ctx["certs"][(name, level)], level=level,
                                       lapsed_on=date.fromisoformat(on)))


@given(parsers.parse('"{name}" was selected a leader talent in round {round_id:d} for "{starts}" to "{ends}" '
                     'with {amount} yuan a month'))
def talent_selected(suite, ctx, name, round_id, starts, ends, amount):
    _deliver(suite, TalentSelected(worker_id=_wid(ctx, name), jurisdiction=ctx["jurisdiction"], round_id=round_id,
                                   term_starts_on=date.fromisoformat(starts), term_ends_on=date.fromisoformat(ends),
                                   allowance_fen=fen(amount)))


def _deliver(suite, event):
    """Deliver a certs event as the HR worker would (through the inbox)."""
    svc = service(suite)
    consume(svc.db, svc.infra.inbox, to_message(event), event_handlers(svc))


# --- pay ------------------------------------------------------------------------------------

def _slip(ctx, name, month):
    r = _officer(ctx).get(f"/workers/{_wid(ctx, name)}/payslips/{month}")
    assert r.status_code == 200, r.text
    return r.json()


@then(parsers.parse('the payslip of "{name}" for "{month}" shows grade {grade:d} and grade pay {amount} yuan'))
def slip_grade(ctx, name, month, grade, amount):
    s = _slip(ctx, name, month)
    assert (s["grade"], s["grade_pay"]) == (grade, fen(amount))


_FIELDS = {"welfare": "welfare", "a bonus share of": "bonus_share", "pay and welfare of": "gross",
           "a floor top-up of": "floor_top_up", "a certificate allowance of": "certificate_allowance",
           "a service allowance of": "service_allowance", "a leader-talent allowance of": "talent_allowance"}


@then(parsers.re(r'the payslip of "(?P<name>[^"]+)" for "(?P<month>[^"]+)" shows '
                 r"(?P<what>welfare|a bonus share of|pay and welfare of|a floor top-up of|a certificate allowance of|"
                 r"a service allowance of|a leader-talent allowance of) (?P<amount>[\d,.]+) yuan"))
def slip_amount(ctx, name, month, what, amount):
    assert _slip(ctx, name, month)[_FIELDS[what]] == fen(amount)


@then(parsers.parse('the community\'s pool for "{month}" is {amount} yuan'))
def pool(ctx, month, amount):
    name = next(iter(ctx["workers"]))
    assert _slip(ctx, name, month)["bonus_pool"] == fen(amount)


@then(parsers.parse('the community\'s pool for "{month}" is {amount} yuan, paid in full'))
def pool_paid_in_full(ctx, month, amount):
    pool(ctx, month, amount)
    assert sum(_slip(ctx, name, month)["bonus_share"] for name in ctx["workers"]) == fen(amount)


@then(parsers.parse('the pay run of "{month}" leaves nothing of the pools unallocated'))
def nothing_unallocated(ctx, month):
    assert ctx["pay_run"]["month"] == month and ctx["pay_run"]["totals"]["bonus_pool_unallocated"] == 0


def _run_pay(api, jurisdiction, month):
    return api.post("/pay-runs", json={"jurisdiction": jurisdiction, "month": month})


@when(parsers.parse('the officer runs the pay of "{jurisdiction}" for "{month}"'))
def run_pay(ctx, jurisdiction, month):
    ctx["response"] = _run_pay(_officer(ctx), jurisdiction, month)
    if ctx["response"].status_code in (200, 201):
        ctx["pay_run"] = ctx["response"].json()


@given(parsers.parse('the officer has run the pay of "{jurisdiction}" for "{month}"'))
def has_run_pay(ctx, jurisdiction, month):
    r = _run_pay(_officer(ctx), jurisdiction, month)
    assert r.status_code == 201, r.text
    ctx["pay_run"] = r.json()


@given(parsers.parse('the officer has run the pay of "{jurisdiction}" for every month from "{first}" to "{last}"'))
def has_run_months(ctx, jurisdiction, first, last):
    for m in range(int(first[5:]), int(last[5:]) + 1):
        has_run_pay(ctx, jurisdiction, f"{first[:4]}-{m:02d}")


@given("the officer has closed that pay run")
@when("the officer closes the pay run")
def closed(ctx):
    """D-16: the officer submits the run, a second HR officer of its jurisdiction approves it."""
    close_with(ctx["admin"], _officer(ctx), ctx["pay_run"]["id"])


@given(parsers.parse('the officer has run and closed the pay of "{jurisdiction}" for every month from "{first}" to '
                     '"{last}"'))
def has_closed_months(ctx, jurisdiction, first, last):
    for m in range(int(first[5:]), int(last[5:]) + 1):
        has_run_pay(ctx, jurisdiction, f"{first[:4]}-{m:02d}")
        closed(ctx)


# --- D-12 months already paid, made good -------------------------------------------------------

@when(parsers.parse('HR corrects the grade of "{name}" to {grade:d} from "{day}" because "{reason}"'))
def correct_grade(suite, ctx, name, grade, day, reason):
    """A grade correction from a past date (D-12) through ``POST /workers/{id}/grade-corrections``."""
    wid = _wid(ctx, name)
    post = _officer(ctx).get(f"/workers/{wid}").json()["post"]
    r = _officer(ctx).post(f"/workers/{wid}/grade-corrections",
                           json={"post": post, "grade": grade, "effective_on": day, "reason": reason})
    assert r.status_code == 201, r.text
    assert r.json()["paid_months_to_recheck"]


@then(parsers.re(r'the payslip of "(?P<name>[^"]+)" for "(?P<month>[^"]+)" makes good "(?P<covers>[^"]+)" with '
                 r"(?P<kind>arrears|a recovery) of (?P<amount>[\d,.]+) yuan"))
def makes_good(ctx, name, month, covers, kind, amount):
    lines = {a["covers"]: a for a in _slip(ctx, name, month)["adjustments"]}
    want = fen(amount) if kind == "arrears" else -fen(amount)
    assert (lines[covers]["kind"], lines[covers]["amount"], lines[covers]["clause"]) == (
        "arrears" if want > 0 else "recovery", want, "D-12")


@then(parsers.re(r'the payslip of "(?P<name>[^"]+)" for "(?P<month>[^"]+)" makes good (?P<n>\d+) months?'
                 r'(, for "(?P<reason>[^"]+)")?$'))
def makes_good_months(ctx, name, month, n, reason):
    lines = _slip(ctx, name, month)["adjustments"]
    assert len(lines) == int(n), lines
    assert all(reason in a["reason"] for a in lines) if reason else True


@then(parsers.parse('the payslip of "{name}" for "{month}" shows arrears of {amount} yuan in its pay and welfare'))
def arrears_in_gross(ctx, name, month, amount):
    s = _slip(ctx, name, month)
    assert s["arrears"] == sum(a["amount"] for a in s["adjustments"]) == fen(amount)
    assert s["gross"] == s["paid_to_date"] - s["paid_before"] + s["arrears"]
    assert s["net_pay"] == s["gross"] - s["worker_deductions"] - s["income_tax"]


@when(parsers.parse('the officer of "{mine}" runs the pay of "{jurisdiction}" for "{month}"'))
def other_officer_runs(ctx, mine, jurisdiction, month):
    ctx["response"] = _run_pay(ctx["officers"][mine], jurisdiction, month)


@then(parsers.parse('the pay and welfare of "{name}" from "{first}" to "{last}" add up to {amount} yuan'))
def year_to_date(ctx, name, first, last, amount):
    months = [f"{first[:4]}-{m:02d}" for m in range(int(first[5:]), int(last[5:]) + 1)]
    assert sum(_slip(ctx, name, m)["gross"] for m in months) == fen(amount)


@then("the city's and the district's shares of the run differ by at most 0.01 yuan and add up to its total cost")
def split(ctx):
    t = ctx["pay_run"]["totals"]
    assert t["city_share"] + t["district_share"] == t["total_cost"]
    assert abs(t["city_share"] - t["district_share"]) <= t["workers"]  # one fen of rounding per payslip at most


@then(parsers.parse('the payslip of "{name}" for "{month}" shows employer and worker contributions for every '
                    "insurance and the housing fund"))
def contributions(ctx, name, month):
    s = ctx["slip"] = _slip(ctx, name, month)
    ins = ctx["admin"].get("/policies/insurance/in-force", params={"jurisdiction": ctx["jurisdiction"],
                                                                   "as_of": f"{month}-28"}).json()["value"]
    floor = ins["base_min_fen"] if ins.get("base_min_fen") is not None else \
        (ins["reference_monthly_fen"] * ins["floor_bp"] + 5000) // 10_000
    ceiling = ins["base_max_fen"] if ins.get("base_max_fen") is not None else \
        (ins["reference_monthly_fen"] * ins["ceiling_bp"] + 5000) // 10_000
    base = min(max(s["contribution_wage"], floor), ceiling)  # D-14: the declared wage, not the month's gross
    assert s["contribution_base"] == base
    for k in ("pension", "medical", "unemployment", "maternity", "work_injury", "housing_fund"):
        assert s[f"er_{k}"] == (base * ins[k]["employer_bp"] + 5000) // 10_000
        assert s[f"ee_{k}"] == (base * ins[k]["worker_bp"] + 5000) // 10_000
        assert s[f"er_{k}"] > 0 or ins[k]["employer_bp"] == 0  # maternity is merged into medical since 2019


@then("the payslip's net pay is its pay and welfare less the worker's contributions and income tax")
def net(ctx):
    s = ctx["slip"]
    assert s["net_pay"] == s["gross"] - s["worker_deductions"] - s["income_tax"] > 0
    assert s["total_cost"] == s["gross"] + s["employer_total"]


# --- answers ----------------------------------------------------------------------------------


@then(parsers.parse('the answer is {status:d} with code "{code}" naming "{field}"'))
def answer_naming(ctx, status, code, field):
    r = ctx["response"]
    assert r.status_code == status, r.text
    assert (r.json()["code"], r.json()["field"]) == (code, field)
