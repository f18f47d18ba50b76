"""Steps for features/hr/recruitment/*.feature (S4-1, S4-3, D-9, S4-7a/b/c,
S3-6, D-4, D-10, S3-8, S4-8), each a few lines over the HR API."""
from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hr_recruitment.helpers import Hr, id_number_for
from tests.support.calendar import ensure_years

scenarios(
    "hr/recruitment/staffing.feature",
    "hr/recruitment/work_funds.feature",
    "hr/recruitment/campaign.feature",
    "hr/recruitment/notice_and_hire.feature",
    "hr/recruitment/postings.feature",
)


@pytest.fixture
def ctx(suite):
    return {"officers": {}, "apps": {}, "ids": {}, "workers": {}, "tokens": {}, "response": None}


def officer(ctx) -> Hr:
    return ctx["officers"]["main"]


def cid(ctx) -> int:
    return ctx["campaign"]


def rows(datatable) -> list[dict[str, str]]:
    header, *body = datatable
    return [dict(zip(header, r, strict=True)) for r in body]


def app_of(ctx, name) -> dict:
    return officer(ctx).applications(cid(ctx))[name]


# --- people, communities, campaigns ----------------------------------------------


@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    hr = Hr(suite.api("hr", suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction)))
    ctx["officers"][jurisdiction] = hr
    ctx["officers"].setdefault("main", hr)


@given(parsers.parse('a community "{code}" of "{district}" with {households:d} households '
                     'and {members:d} party members'))
def a_community(ctx, code, district, households, members):
    officer(ctx).ok(officer(ctx).community(code, households, members, district))


@given(parsers.parse('{n:d} workers on the rolls of "{code}"'))
def workers_on_rolls(ctx, n, code):
    for i in range(n):
        officer(ctx).ok(officer(ctx).worker(f"在册{i}", code))


@given(parsers.parse('"{district}" counts one worker per {households:d} households from {effective}'))
def staffing_policy(suite, district, households, effective):
    r = suite.api("hr", suite.admin_token).post("/policies/staffing", json={
        "jurisdiction": district, "effective_from": effective, "value": {"households_per_worker": households}})
    assert r.status_code == 201, r.text


@given(parsers.parse('a campaign announced on {announced} in "{jurisdiction}"'))
@given(parsers.parse('another campaign announced on {announced} in "{jurisdiction}"'))
def a_campaign(ctx, announced, jurisdiction):
    ctx["campaign"] = officer(ctx).ok(officer(ctx).campaign(announced, jurisdiction))["id"]


@given(parsers.parse('the campaign opens {count:d} "{post}" places in "{code}"'))
def campaign_opens(ctx, count, post, code):
    p = officer(ctx).ok(officer(ctx).post(cid(ctx), code, post, count))
    ctx["post"] = p["id"]


@when(parsers.parse('the officer opens {count:d} "{post}" places in "{code}"'))
def officer_opens(ctx, count, post, code):
    ctx["response"] = officer(ctx).post(cid(ctx), code, post, count)


@when(parsers.parse('the officer of "{jurisdiction}" opens {count:d} "{post}" places in "{code}"'))
def other_officer_opens(ctx, jurisdiction, count, post, code):
    ctx["response"] = ctx["officers"][jurisdiction].post(cid(ctx), code, post, count)


# --- staffing and funds --------------------------------------------------------------------


@when(parsers.parse('the officer asks for the staffing of "{code}"'))
def ask_staffing(ctx, code):
    ctx["staffing"] = officer(ctx).staffing(code)


@then(parsers.parse("the quota is {quota:d}: {base:d} for the households and {party:d} party-affairs posts"))
def quota_is(ctx, quota, base, party):
    st = ctx["staffing"]
    assert (st["quota"], st["base"], st["party_posts"]) == (quota, base, party), st


@then("the quota is capped")
def quota_capped(ctx):
    assert ctx["staffing"]["capped"] is True and ctx["staffing"]["cap"] == 15


@then(parsers.parse("the headcount is {headcount:d} and the vacancies are {vacancies:d}"))
def headcount_vacancies(ctx, headcount, vacancies):
    assert (ctx["staffing"]["headcount"], ctx["staffing"]["vacancies"]) == (headcount, vacancies), ctx["staffing"]


@then(parsers.parse('"{code}" has {n:d} workers on the rolls'))
def on_the_rolls(ctx, code, n):
    assert officer(ctx).staffing(code)["headcount"] == n


@when(parsers.parse('the officer asks for the work fund of "{code}" for {year:d}'))
def ask_fund(ctx, code, year):
    ctx["fund"] = officer(ctx).ok(officer(ctx).api.get(f"/communities/{code}/work-fund", params={"year": year}))


@then("the fund is made of:")
def fund_parts(ctx, datatable):
    parts = {p["part"]: p for p in ctx["fund"]["parts"]}
    for row in rows(datatable):
        p = parts[row["part"]]
        assert (p["clause"], p["amount_yuan"]) == (row["clause"], row["yuan"]), p


@then(parsers.parse("the total is {yuan} yuan"))
def fund_total(ctx, yuan):
    assert ctx["fund"]["total_yuan"] == yuan


@then(parsers.parse("the figure per 100 households is {yuan} yuan after {years:d} years of growth"))
def fund_figure(ctx, yuan, years):
    f = ctx["fund"]
    assert (f["per_100_households_fen"], f["years_grown"]) == (round(float(yuan) * 100), years)


# --- applications, review, scores, ranking ---------------------------------------------------


@given("these applications:")
def these_applications(ctx, datatable):
    for row in rows(datatable):
        idn = id_number_for(row["born"])
        certs = [c.strip() for c in row.get("certificates", "").split(",") if c.strip()]
        records = [r.strip() for r in row.get("records", "").split(",") if r.strip()]
        a = officer(ctx).ok(officer(ctx).apply(cid(ctx), ctx["post"], row["name"], row["born"], row["education"],
                                               certs, records, id_number=idn))
        ctx["apps"][row["name"]], ctx["ids"][row["name"]] = a["id"], idn


@when(parsers.parse('"{name}" applies with the ID number "{id_number}" born {born}'))
def applies_with(ctx, name, id_number, born):
    ctx["response"] = officer(ctx).apply(cid(ctx), ctx["post"], name, born, id_number=id_number)


@then("the campaign has no applications")
def no_applications(ctx):
    assert officer(ctx).applications(cid(ctx)) == {}


@then("the campaign has no posts")
def no_posts(ctx):
    assert officer(ctx).campaign_of(cid(ctx))["posts"] == []


@when("the officer reviews the applications")
@given("the officer has reviewed the applications")
def review(ctx):
    officer(ctx).ok(officer(ctx).review(cid(ctx)))


@then(parsers.parse('"{name}" is eligible'))
def is_eligible(ctx, name):
    a = app_of(ctx, name)
    assert a["status"] == "eligible" and a["refusals"] == [], a


@then(parsers.parse('"{name}" is refused for "{code}" on the field "{field}"'))
def refused_for(ctx, name, code, field):
    a = app_of(ctx, name)
    assert a["status"] == "refused"
    assert [(r["code"], r["field"], r["clause"]) for r in a["refusals"]] == [(code, field, "D-4")]


@then(parsers.parse('the reason given to "{name}" mentions "{words}"'))
def reason_mentions(ctx, name, words):
    assert words in app_of(ctx, name)["refusals"][0]["reason"]


@then(parsers.parse('"{name}" is refused for "{a}", "{b}" and "{c}"'))
def refused_for_all(ctx, name, a, b, c):
    assert [r["code"] for r in app_of(ctx, name)["refusals"]] == [a, b, c]


@when(parsers.parse('the officer enters for "{name}" a written score of {score}'))
def enter_written(ctx, name, score):
    ctx["response"] = officer(ctx).scores(cid(ctx), ctx["apps"][name], written=score)


@given("these scores:")
def these_scores(ctx, datatable):
    for row in rows(datatable):
        officer(ctx).ok(officer(ctx).scores(cid(ctx), ctx["apps"][row["name"]], row["written"], row["interview"]))


@then(parsers.parse('"{name}" has no scores'))
def no_scores(ctx, name):
    a = app_of(ctx, name)
    assert (a["written"], a["interview"]) == (None, None)


@when(parsers.parse("the officer uploads the scores (candidates' names stand for their ID numbers):"))
def upload(ctx, docstring):
    text = docstring
    for name, idn in ctx["ids"].items():
        text = text.replace(f"\n{name},", f"\n{idn},")
    ctx["response"] = officer(ctx).upload(cid(ctx), text + "\n")


@then("the scores are:")
def scores_are(ctx, datatable):
    for row in rows(datatable):
        a = app_of(ctx, row["name"])
        assert (a["written"], a["interview"]) == (row["written"], row["interview"]), a


@when("the officer ranks the candidates")
def rank(ctx):
    ctx["response"] = officer(ctx).rank(cid(ctx))
    assert ctx["response"].status_code == 200, ctx["response"].text


@then(parsers.parse('the ranking of the "{post}" places in "{code}" is:'))
def ranking_is(ctx, post, code, datatable):
    [p] = [p for p in ctx["response"].json() if p["post"] == post and p["community_code"] == code]
    got = [(c["name"], str(c["rank"]), str(c["bonus_points"]), c["composite"], c["status"]) for c in p["candidates"]]
    want = [(r["name"], r["rank"], r["bonus"], r["composite"], r["status"]) for r in rows(datatable)]
    assert got == want


@given(parsers.parse('a ranked campaign with "{a}", "{b}" and "{c}" in that order'))
def ranked_campaign(ctx, a, b, c):
    hr = officer(ctx)
    for i, name in enumerate((a, b, c)):
        born = f"199{i}-05-01"
        idn = id_number_for(born)
        ctx["apps"][name] = hr.ok(hr.apply(cid(ctx), ctx["post"], name, born, "本科", id_number=idn))["id"]
        ctx["ids"][name] = idn
    hr.ok(hr.review(cid(ctx)))
    for i, name in enumerate((a, b, c)):
        hr.ok(hr.scores(cid(ctx), ctx["apps"][name], 90 - 5 * i, 80))
    hr.ok(hr.rank(cid(ctx)))


# --- checks, notice, objections, hire ---------------------------------------------------------


@when(parsers.parse('the physical exam of "{name}" fails'))
def exam_fails(ctx, name):
    ctx["response"] = officer(ctx).checks(cid(ctx), ctx["apps"][name], physical="fail", background=None)
    assert ctx["response"].status_code == 200, ctx["response"].text


@given(parsers.parse('"{name}" has passed the physical exam and the background check'))
def checks_pass(ctx, name):
    officer(ctx).ok(officer(ctx).checks(cid(ctx), ctx["apps"][name]))


@then(parsers.parse('"{removed}" is removed and "{nxt}" takes the place'))
def place_passes(ctx, removed, nxt):
    apps = officer(ctx).applications(cid(ctx))
    assert apps[removed]["status"] == "removed" and apps[nxt]["status"] == "selected"
    assert ctx["response"].json()["next_in_rank"]["name"] == nxt


@then(parsers.parse('the campaign\'s history shows "{first}" then "{second}"'))
def history_shows(ctx, first, second):
    steps = [e["step"] for e in officer(ctx).history(cid(ctx))]
    assert steps[-2:] == [first, second], steps


@when(parsers.parse("the officer starts the public notice on {starts_on}"))
@given(parsers.parse("the officer has started the public notice on {starts_on}"))
def start_notice(ctx, starts_on):
    ctx["response"] = officer(ctx).notice(cid(ctx), starts_on)


@given("the officer has started the public notice today")
def start_notice_today(suite, ctx):
    ensure_years(suite.hr.as_(suite.admin_token))  # five working days from today may reach next year (D-10)
    officer(ctx).ok(officer(ctx).notice(cid(ctx)))


@then(parsers.parse('the notice of "{name}" ends on {ends_on}'))
def notice_ends(ctx, name, ends_on):
    n = ctx["response"].json()
    assert ctx["response"].status_code == 201, n
    assert n["ends_on"] == ends_on and [c["name"] for c in n["candidates"]] == [name]


@then(parsers.parse('the notice lists only "{name}" and ends on {ends_on}'))
def notice_only(ctx, name, ends_on):
    notice_ends(ctx, name, ends_on)


@given(parsers.parse('an objection to "{name}" lodged on {lodged_on}'))
def objection(ctx, name, lodged_on):
    ctx["objection"] = officer(ctx).ok(officer(ctx).objection(cid(ctx), ctx["apps"][name], lodged_on))["id"]


@when(parsers.parse("the officer upholds the objection on {day}"))
def uphold(ctx, day):
    ctx["response"] = officer(ctx).resolve(cid(ctx), ctx["objection"], "upheld", day)
    assert ctx["response"].status_code == 200, ctx["response"].text


@when(parsers.parse("the officer dismisses the objection on {day}"))
def dismiss(ctx, day):
    officer(ctx).ok(officer(ctx).resolve(cid(ctx), ctx["objection"], "dismissed", day))


@when("the officer hires the candidates")
def hire_today(ctx):
    ctx["response"] = officer(ctx).hire(cid(ctx))


@when(parsers.parse("the officer hires the candidates on {hired_on}"))
def hire_on(ctx, hired_on):
    ctx["response"] = officer(ctx).hire(cid(ctx), hired_on)


@then(parsers.parse('"{name}" is hired into "{code}" as "{post}" on probation until {until}'))
def hired(ctx, name, code, post, until):
    r = ctx["response"]
    assert r.status_code == 201, r.text
    [h] = [h for h in r.json()["hired"] if h["name"] == name]
    assert (h["community_code"], h["post"], h["probation_ends_on"]) == (code, post, until)
    w = officer(ctx).ok(officer(ctx).api.get(f"/workers/{h['worker_id']}"))
    assert (w["name"], w["community_code"]) == (name, code)
    ctx["hired"] = w


@then(parsers.parse("the worker's starting grade is {grade:d}"))
def starting_grade(ctx, grade):
    assert ctx["hired"]["grade"] == grade


@then(parsers.parse('the campaign is "{status}"'))
def campaign_status(ctx, status):
    assert officer(ctx).campaign_of(cid(ctx))["status"] == status


@then(parsers.parse("the campaign's history runs {steps}"))
def history_runs(ctx, steps):
    want = [s.strip().strip('"') for s in steps.replace(" and ", ", ").split(",")]
    got = []
    for e in officer(ctx).history(cid(ctx)):
        if not got or got[-1] != e["step"]:
            got.append(e["step"])
    assert got == want


# --- postings ----------------------------------------------------------------------------------


@given(parsers.parse('a worker "{name}" of "{code}" hired on {hired_on}'))
def a_worker(suite, ctx, name, code, hired_on):
    w = officer(ctx).ok(officer(ctx).worker(name, code, hired_on=hired_on))
    ctx["workers"][name] = w["id"]
    ctx["tokens"][name] = suite.create_user(f"w{w['id']}", "worker", w["jurisdiction"], worker_id=w["id"])


@when(parsers.parse('the officer records a "{kind}" of "{name}" to "{unit}" from {starts} to {ends}'))
@given(parsers.parse('the officer has recorded a "{kind}" of "{name}" to "{unit}" from {starts} to {ends}'))
def record_posting(ctx, kind, name, unit, starts, ends):
    ctx["response"] = officer(ctx).api.post(f"/workers/{ctx['workers'][name]}/postings", json={
        "kind": kind, "host_unit": unit, "starts_on": starts, "ends_on": ends})


@then(parsers.parse('the record of "{name}" shows a "{kind_zh}" at "{unit}" citing "{clause}"'))
def record_shows(ctx, name, kind_zh, unit, clause):
    postings = officer(ctx).ok(officer(ctx).api.get(f"/workers/{ctx['workers'][name]}/postings"))
    assert [(p["kind_zh"], p["host_unit"], p["clause"]) for p in postings] == [(kind_zh, unit, clause)]


@when(parsers.parse('"{who}" asks for the postings of "{whom}"'))
def asks_postings(suite, ctx, who, whom):
    ctx["response"] = suite.api("hr", ctx["tokens"][who]).get(f"/workers/{ctx['workers'][whom]}/postings")


# --- answers -----------------------------------------------------------------------------------


@then(parsers.parse('the answer is {status:d} naming the field "{field}"'))
def answer_naming(ctx, status, field):
    r = ctx["response"]
    assert r.status_code == status, r.text
    assert r.json()["field"] == field, r.json()
