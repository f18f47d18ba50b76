"""Steps for features/certs/statistics.feature (S2-7), through the HTTP API."""
from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tests.certs.steps import *  # noqa: F401,F403 - the shared certs steps
from tests.certs.support import holders

scenarios("certs/statistics.feature")


@given(parsers.parse("{total:d} certificate holders passed by {day}, {community:d} of them community workers"))
def load_holders(ctx, total, day, community):
    r = ctx.certs.officer("hangzhou").post("/certificates/import", json={"items": holders(total, community, day)})
    assert r.status_code == 201, r.text
    assert r.json() == {"profiles_opened": total, "certificates_recorded": total}


@given(parsers.parse('a holder "{name}" of "{jurisdiction}" who is not a community worker'))
def outside_holder(ctx, name, jurisdiction):
    ctx.certs.worker(name, jurisdiction, community_worker=False)


@when(parsers.parse("the officer asks for the holders as of {day}"))
def ask_holders(ctx, day):
    ctx.response = ctx.certs.officer("hangzhou").get("/statistics/holders", params={"as_of": day})
    assert ctx.response.status_code == 200, ctx.response.text


@when(parsers.parse('the officer of "{mine}" asks for the holders of "{jurisdiction}"'))
def ask_other(ctx, mine, jurisdiction):
    ctx.response = ctx.certs.officer(mine).get("/statistics/holders", params={"jurisdiction": jurisdiction})


@then(parsers.parse("there are {holders:d} holders, {community:d} community workers, {share} percent"))
def totals(ctx, holders, community, share):
    body = ctx.response.json()
    assert (body["holders"], body["community_workers"], body["community_share_percent"]) == (holders, community, share)


def _jurisdiction(ctx, jurisdiction):
    return next(j for j in ctx.response.json()["by_jurisdiction"] if j["jurisdiction"] == jurisdiction)


@then(parsers.parse('"{jurisdiction}" has {a:d} "{level_a}" and {b:d} "{level_b}"'))
def by_level(ctx, jurisdiction, a, level_a, b, level_b):
    levels = {x["level"]: x["holders"] for x in _jurisdiction(ctx, jurisdiction)["by_level"]}
    assert (levels[level_a], levels[level_b]) == (a, b)


@then(parsers.parse('"{jurisdiction}" has {holders:d} holders, {community:d} community workers'))
def by_jurisdiction(ctx, jurisdiction, holders, community):
    j = _jurisdiction(ctx, jurisdiction)
    assert (j["holders"], j["community_workers"]) == (holders, community)
