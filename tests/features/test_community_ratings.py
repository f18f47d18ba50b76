"""Steps for features/hr/community_ratings.feature (S1-4), each a few lines over the HR API."""
from __future__ import annotations

from itertools import groupby

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hr_ratings.helpers import Ratings
from tests.hr_recruitment.helpers import Hr

scenarios("hr/community_ratings.feature")


@pytest.fixture
def ctx(suite):
    return {"response": None, "round": None, "panel": {}}


def _stars(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


def _app(ctx, code):
    return ctx["rt"].applications(ctx["round"])[code]


@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    api = suite.api("hr", suite.create_user(f"hr-{jurisdiction}", "hr_officer", jurisdiction))
    ctx["hr"], ctx["rt"] = Hr(api), Ratings(api)


@given(parsers.re(r'communities (?P<codes>.+) of "(?P<district>[^"]+)"'))
def communities(ctx, codes, district):
    for code in codes.replace(" and ", ", ").split(", "):
        ctx["hr"].ok(ctx["hr"].community(code.strip('"'), 1200, district=district), 201)


@given("these results of earlier years:")
def earlier_results(ctx, datatable):
    rows = [dict(zip(datatable[0], r, strict=True)) for r in datatable[1:]]
    for year, entries in groupby(sorted(rows, key=lambda r: r["year"]), key=lambda r: r["year"]):
        ctx["rt"].full_round(int(year), "hangzhou.gongshu",
                             [(e["community"], e["level"], _stars(e["stars"])) for e in entries])


@given(parsers.parse('a rating round for {year:d} of "{jurisdiction}" opened on {day}'))
def a_round(ctx, year, jurisdiction, day):
    ctx["round"] = ctx["rt"].ok(ctx["rt"].open_round(year, jurisdiction, day), 201)["id"]


@given("these applications:")
def applications(ctx, datatable):
    for code, level, stars in datatable[1:]:
        ctx["rt"].ok(ctx["rt"].apply(ctx["round"], code, level, _stars(stars)), 201)


@given(parsers.re(r'the panel (?P<names>.+)'))
def the_panel(ctx, names):
    ctx["panel"] = ctx["rt"].panel(ctx["round"], [n.strip('"') for n in names.replace(" and ", ", ").split(", ")])


@given("the officer has closed the applications")
def closed(ctx):
    ctx["rt"].ok(ctx["rt"].review(ctx["round"]))


@given(parsers.parse("every reviewer has scored every application {presentation:d}/{defence:d}"))
def scored_all(ctx, presentation, defence):
    closed(ctx)
    ctx["rt"].score_all(ctx["round"], ctx["panel"], presentation, defence)


@given("the officer has ranked the round")
def has_ranked(ctx):
    ctx["rt"].ok(ctx["rt"].rank(ctx["round"]))


@given(parsers.parse("the officer has started the public notice on {day}"))
def has_started_notice(ctx, day):
    ctx["rt"].ok(ctx["rt"].notice(ctx["round"], day), 201)


@when("the panel scores:")
def panel_scores(ctx, datatable):
    closed(ctx)
    names = datatable[0][1:]
    for code, *cells in datatable[1:]:
        aid = _app(ctx, code)["id"]
        for name, cell in zip(names, cells, strict=True):
            presentation, defence = (int(x) for x in cell.split("/"))
            ctx["rt"].ok(ctx["rt"].score(ctx["round"], aid, ctx["panel"][name], presentation, defence))


@when(parsers.parse('"{name}" scores "{code}" with 陈述 {presentation:d} and 答辩 {defence:d}'))
def one_score(ctx, name, code, presentation, defence):
    ctx["response"] = ctx["rt"].score(ctx["round"], _app(ctx, code)["id"], ctx["panel"][name], presentation, defence)


@when("the officer ranks the round")
def ranks(ctx):
    ctx["response"] = ctx["rt"].rank(ctx["round"])


@when(parsers.parse('"{code}" applies for "{level}" with {stars:d} stars'))
def applies(ctx, code, level, stars):
    ctx["response"] = ctx["rt"].apply(ctx["round"], code, level, stars)


@when(parsers.parse("the officer starts the public notice on {day}"))
def starts_notice(ctx, day):
    ctx["response"] = ctx["rt"].notice(ctx["round"], day)


@when(parsers.parse('an objection to "{code}" is lodged on {day}'))
def lodged(ctx, code, day):
    ctx["objection"] = ctx["rt"].ok(ctx["rt"].object(ctx["round"], _app(ctx, code)["id"], day), 201)["id"]


@when(parsers.parse("the objection is upheld on {day}"))
def upheld(ctx, day):
    out = ctx["rt"].ok(ctx["rt"].resolve(ctx["round"], ctx["objection"], "upheld", day))
    assert out["application"]["status"] == "removed"


@when(parsers.parse("the officer finalises the round on {day}"))
def finalises(ctx, day):
    ctx["response"] = ctx["rt"].finalise(ctx["round"], day)


@then("the ranking is:")
def ranking_is(ctx, datatable):
    out = ctx["rt"].ok(ctx["response"])
    got = [[lv["level"], str(a["rank"]), a["community_code"], a["score"], a["status"]]
           for lv in out["levels"] for a in lv["applications"]]
    assert got == [list(r) for r in datatable[1:]]


@then(parsers.parse("the notice ends on {day}"))
def notice_ends(ctx, day):
    assert ctx["rt"].ok(ctx["response"], 201)["notice"]["ends_on"] == day


@then("the round is final")
def is_final(ctx):
    ctx["rt"].ok(ctx["response"])
    assert ctx["rt"].ok(ctx["rt"].api.get(f"/rating-rounds/{ctx['round']}"))["status"] == "final"


def _ratings(ctx, code):
    return [f"{x['year']} {x['level']}" + (f" {x['stars']}" if x["stars"] else "")
            for x in ctx["hr"].ok(ctx["hr"].api.get(f"/communities/{code}"))["ratings"]]


@then(parsers.parse('the community "{code}" shows the ratings "{listed}"'))
def shows_ratings(ctx, code, listed):
    assert _ratings(ctx, code) == listed.split(", ")


@then(parsers.parse('the community "{code}" shows no ratings'))
def shows_none(ctx, code):
    assert _ratings(ctx, code) == []


@then(parsers.parse('the {year:d} summary by district counts for "{unit}" {a:d} 规范, {b:d} 星级 and {c:d} 花园'))
def summary_counts(ctx, year, unit, a, b, c):
    out = ctx["rt"].ok(ctx["rt"].api.get("/community-ratings/summary", params={"year": year, "by": "district"}))
    row = next(u for u in out["units"] if u["unit"] == unit)
    assert row["counts"] == {"规范": a, "星级": b, "花园": c}


@then("the round has no applications")
def no_applications(ctx):
    assert ctx["rt"].applications(ctx["round"]) == {}


@then(parsers.parse('"{code}" has no scores'))
def no_scores(ctx, code):
    aid = _app(ctx, code)["id"]
    assert ctx["rt"].ok(ctx["rt"].api.get(f"/rating-rounds/{ctx['round']}/applications/{aid}/scores")) == []
