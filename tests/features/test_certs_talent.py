"""Steps for features/certs/talent_round.feature (D-7, S2-6, S0-3, S1-2, S0-4),
through the HTTP API."""
from __future__ import annotations

import re

from pytest_bdd import given, parsers, scenarios, then, when

from tests.certs.steps import *  # noqa: F401,F403 - the shared certs steps
from tests.certs.support import CITY, eligible_worker, score_sheet

scenarios("certs/talent_round.feature")

CRITERIA = ("integrity", "recognition", "results", "training", "certificate")


def names(text: str) -> list[str]:
    """'"王芳", "李明" and "张伟"' → ["王芳", "李明", "张伟"]."""
    return re.findall(r'"([^"]+)"', text)


def city(ctx):
    return ctx.certs.officer(CITY)


def round_path(ctx, tail: str = "") -> str:
    return f"/talent-rounds/{ctx.round_id}{tail}"


# --- the round and its nominations --------------------------------------------


@given(parsers.parse("a leader-talent round opened on {day} with a city quota of {quota:d} and nomination quotas:"))
def round_opened(ctx, day, quota, datatable):
    _, *rows = datatable
    r = city(ctx).post("/talent-rounds", json={
        "name": "社区工作领军人才选拔", "jurisdiction": CITY, "city_quota": quota, "opened_on": day,
        "district_quotas": {d: int(q) for d, q in rows},
    })
    assert r.status_code == 201, r.text
    ctx.round_id = r.json()["id"]


@when(parsers.parse("the city opens a leader-talent round on {day} with a city quota of {quota:d}"))
def city_opens(ctx, day, quota):
    ctx.response = city(ctx).post("/talent-rounds", json={
        "name": "首次社区工作领军人才选拔", "jurisdiction": CITY, "city_quota": quota, "opened_on": day,
        "district_quotas": {"hangzhou.gongshu": 8, "hangzhou.xihu": 8},
    })


@then(parsers.parse('the round is "{state}" with a city quota of {quota:d}'))
def round_is(ctx, state, quota):
    body = city(ctx).get(f"/talent-rounds/{ctx.response.json()['id']}").json()
    assert (body["state"], body["city_quota"]) == (state, quota)


@given(parsers.parse('eligible workers {workers} of "{jurisdiction}"'))
def eligible_workers(ctx, workers, jurisdiction):
    for name in names(workers):
        eligible_worker(ctx.certs, name, jurisdiction)


@given(parsers.parse('"{name}" was assessed "{grade}" in {year:d}'))
def assessed(ctx, name, grade, year):
    ctx.certs.assess(name, year, grade)


def nominate(ctx, district, name):
    return ctx.certs.officer(district).post(round_path(ctx, "/nominations"), json={
        "worker_id": ctx.certs.workers[name], "nominated_on": "2025-04-01"})


@given(parsers.parse('"{district}" nominates "{name}"'))
def nominated(ctx, district, name):
    r = nominate(ctx, district, name)
    assert r.status_code == 201, r.text


@when(parsers.parse('"{district}" nominates "{name}"'))
def nominates(ctx, district, name):
    ctx.response = nominate(ctx, district, name)


@then(parsers.parse('the round has {n:d} nominations from "{district}"'))
def nominations_from(ctx, n, district):
    assert city(ctx).get(round_path(ctx)).json()["nominations_by_district"][district] == n


@then(parsers.parse("the reasons are {codes}"))
def reasons(ctx, codes):
    got = [x["code"] for x in ctx.response.json()["extra"]["reasons"]]
    assert got == names(codes)


@given(parsers.parse("the nominations are {workers} and they are closed"))
def nominations_closed(ctx, workers):
    for name in names(workers):
        nominated(ctx, ctx.certs.jurisdiction_of(name), name)
    r = city(ctx).post(round_path(ctx, "/close-nominations"))
    assert r.status_code == 200, r.text


# --- scoring and ranking -----------------------------------------------------


def score(ctx, experts: int, table: dict[str, dict[str, str]]) -> None:
    for e in range(experts):
        r = city(ctx).post(round_path(ctx, "/scores"), json=score_sheet(f"专家{e + 1}", {
            ctx.certs.workers[name]: marks for name, marks in table.items()}))
        assert r.status_code == 200, r.text


@when(parsers.parse("{experts:d} experts score:"))
def experts_score(ctx, experts, datatable):
    header, *rows = datatable
    score(ctx, experts, {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows})


@when(parsers.parse('an expert scores "{name}" {value} on "{criterion}"'))
def expert_scores_one(ctx, name, value, criterion):
    marks = {c: "80" for c in CRITERIA} | {criterion: value}
    ctx.response = city(ctx).post(round_path(ctx, "/scores"),
                                  json=score_sheet("专家1", {ctx.certs.workers[name]: marks}))


@then(parsers.parse('no scores are recorded for "{name}"'))
def no_scores(ctx, name):
    [nom] = city(ctx).get(round_path(ctx, "/nominations")).json()
    assert nom["means"] is None


@when("the city ranks the round")
def city_ranks(ctx):
    ctx.response = city(ctx).post(round_path(ctx, "/rank"))


@then(parsers.parse("the ranking is {ranking}"))
def ranking_is(ctx, ranking):
    expected = [(n, c, o) for n, c, o in re.findall(r'"([^"]+)" ([\d.]+) (selected|reserve)', ranking)]
    noms = city(ctx).get(round_path(ctx, "/nominations")).json()
    assert [(x["name"], x["composite"], x["outcome"]) for x in noms] == expected
    assert [x["rank"] for x in noms] == list(range(1, len(expected) + 1))


@given(parsers.parse('a ranked round with "{a}" and "{b}" selected and "{c}" in reserve'))
def ranked_round(ctx, a, b, c):
    eligible_workers(ctx, f'"{a}" and "{b}"', "hangzhou.gongshu")
    eligible_workers(ctx, f'"{c}"', "hangzhou.xihu")
    nominations_closed(ctx, f'"{a}", "{b}" and "{c}"')
    score(ctx, 3, {a: {k: "90" for k in CRITERIA}, b: {k: "80" for k in CRITERIA}, c: {k: "70" for k in CRITERIA}})
    city_ranks(ctx)
    assert ctx.response.status_code == 200, ctx.response.text


# --- notice, objections, designation ------------------------------------------


@when(parsers.parse("the city publishes the notice on {day}"))
def publish_notice(ctx, day):
    ctx.response = city(ctx).post(round_path(ctx, "/notice"), json={"starts_on": day})
    assert ctx.response.status_code == 200, ctx.response.text


@given(parsers.parse("the city published the notice on {day}"))
def published_notice(ctx, day):
    publish_notice(ctx, day)


@then(parsers.parse("the notice ends on {day}"))
def notice_ends(ctx, day):
    assert city(ctx).get(round_path(ctx)).json()["notice_ends_on"] == day


@when(parsers.parse('an objection to "{name}" is raised on {day}'))
def objection(ctx, name, day):
    ctx.response = city(ctx).post(round_path(ctx, "/objections"), json={
        "worker_id": ctx.certs.workers[name], "raised_on": day, "grounds": "群众反映其实绩材料不实"})
    if ctx.response.status_code == 201:
        ctx.objection_id = ctx.response.json()["id"]


@when(parsers.parse("the objection is upheld on {day}"))
def upheld(ctx, day):
    ctx.response = city(ctx).post(round_path(ctx, f"/objections/{ctx.objection_id}/decision"), json={
        "outcome": "upheld", "decided_on": day, "decision": "经核查属实"})
    assert ctx.response.status_code == 200, ctx.response.text


@then(parsers.parse('"{struck}" is struck and "{substitute}" is selected with a notice until {day}'))
def substituted(ctx, struck, substitute, day):
    noms = {x["name"]: x for x in city(ctx).get(round_path(ctx, "/nominations")).json()}
    assert noms[struck]["outcome"] == "struck"
    assert (noms[substitute]["outcome"], noms[substitute]["notice_ends_on"]) == ("selected", day)


def finalise(ctx, day):
    return city(ctx).post(round_path(ctx, "/finalise"), json={"on": day})


@then(parsers.parse('finalising on {day} is refused with code "{code}"'))
def finalise_refused(ctx, day, code):
    r = finalise(ctx, day)
    assert r.status_code == 409 and r.json()["code"] == code, r.text


@when(parsers.parse("the city finalises the round on {day}"))
def city_finalises(ctx, day):
    ctx.response = finalise(ctx, day)
    assert ctx.response.status_code == 200, ctx.response.text


@given(parsers.parse("the city finalised the round on {day}"))
def city_finalised(ctx, day):
    city_finalises(ctx, day)


@then(parsers.parse('{workers} are leader talents from {start} until {end} with {fen:d} fen a month'))
def designated(ctx, workers, start, end, fen):
    got = {(d["name"], d["term_starts_on"], d["term_ends_on"], d["allowance_fen"]) for d in ctx.response.json()}
    assert got == {(n, start, end, fen) for n in names(workers)}


@then(parsers.parse("talent.selected is published for {workers}, for training's leader programme"))
def talent_selected(ctx, workers):
    events = ctx.certs.outbox("talent.selected")
    assert sorted(e["worker_id"] for e in events) == sorted(ctx.certs.workers[n] for n in names(workers))
    assert all(e["allowance_fen"] == 100000 and e["round_id"] == ctx.round_id for e in events)


@then(parsers.parse("the roster of leader talents on {day} is {workers}"))
def roster(ctx, day, workers):
    body = city(ctx).get("/leader-talents", params={"as_of": day}).json()
    assert sorted(d["name"] for d in body["items"]) == sorted(names(workers))


@then(parsers.parse('"{name}" may not take the supervisor role on {day}'))
def not_supervisor(ctx, name, day):
    r = city(ctx).get(f"/profiles/{ctx.certs.workers[name]}/supervisor-eligibility", params={"as_of": day})
    assert r.json()["eligible"] is False


@then(parsers.parse('"{name}" may take the supervisor role on {day}'))
def supervisor(ctx, name, day):
    r = city(ctx).get(f"/profiles/{ctx.certs.workers[name]}/supervisor-eligibility", params={"as_of": day})
    assert r.json()["eligible"] is True
