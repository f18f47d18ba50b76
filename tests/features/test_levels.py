"""Steps for features/foundation/levels.feature (D-17, D-8): streets and their
officers, a community secretary and a deactivated account on hr, training
and certs, through the public HTTP API."""
from __future__ import annotations

import itertools

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hr.org_helpers import DISTRICT, community, deliver_hr_events, id_number, street

scenarios("foundation/levels.feature")

_ids = itertools.count(401)
HIRED_ON = "2020-03-01"


@pytest.fixture
def ctx(suite):
    return {"officers": {}, "workers": {}, "communities": {}, "users": {}, "tokens": {}, "response": None}


def street_path(code: str) -> str:
    return f"{DISTRICT}.{code}"


def officer(suite, ctx, role: str, jurisdiction: str):
    key = (role, jurisdiction)
    if key not in ctx["officers"]:
        ctx["officers"][key] = suite.create_user(f"{role}-{jurisdiction}", role, jurisdiction)
    return ctx["officers"][key]


def hr_of(suite, ctx, who: str):
    jurisdiction = street_path("east") if who == "street" else DISTRICT
    return suite.api("hr", officer(suite, ctx, "hr_officer", jurisdiction))


def hire(suite, ctx, who: str, name: str, code: str, jurisdiction: str | None = None, grade: int | None = 1,
         education: str | None = None):
    body = {"name": name, "id_number": id_number(next(_ids)), "post": "委员", "hired_on": HIRED_ON,
            "jurisdiction": jurisdiction or ctx["communities"][code], "community_code": code, "education": education}
    if grade is not None:
        body["grade"] = grade
    r = hr_of(suite, ctx, who).post("/workers", json=body)
    if r.status_code == 201:
        ctx["workers"][name] = r.json()["id"]
    return r


# --- the organisation -----------------------------------------------------------------


@given(parsers.parse('the streets "{a}" and "{b}" of "{district}"'))
def two_streets(suite, a, b, district):
    for code, name in ((a, "东街道"), (b, "西街道")):
        street(suite, district, code, name)


@given(parsers.parse('the community "{a}" in street "{sa}" and "{b}" in street "{sb}"'))
def communities_in_streets(suite, ctx, a, sa, b, sb):
    for code, s in ((a, sa), (b, sb)):
        ctx["communities"][code] = community(suite, code, street_path(s))["jurisdiction"]


@given(parsers.parse('the community "{code}" of the district in no street'))
def community_no_street(suite, ctx, code):
    ctx["communities"][code] = community(suite, code, None)["jurisdiction"]


@given("officers of street \"east\" and of the district")
def officers(suite, ctx):
    hr_of(suite, ctx, "street")
    hr_of(suite, ctx, "district")


# --- hiring, reading, transferring ----------------------------------------------------------


@when(parsers.parse('the {who} officer hires "{name}" into "{code}"'))
def officer_hires(suite, ctx, who, name, code):
    ctx["response"] = hire(suite, ctx, who, name, code)


@when(parsers.parse('the {who} officer hires "{name}" into "{code}" with the jurisdiction "{jurisdiction}"'))
def officer_hires_as(suite, ctx, who, name, code, jurisdiction):
    ctx["response"] = hire(suite, ctx, who, name, code, jurisdiction)


@when(parsers.parse('the {who} officer hires "{name}" with a {education} degree and no grade into "{code}"'))
def officer_hires_no_grade(suite, ctx, who, name, education, code):
    ctx["response"] = hire(suite, ctx, who, name, code, grade=None, education=education)
    assert ctx["response"].status_code == 201, ctx["response"].text


@given(parsers.parse('"{a}" is hired into "{ca}" and "{b}" into "{cb}"'))
def two_hired(suite, ctx, a, ca, b, cb):
    for name, code in ((a, ca), (b, cb)):
        assert hire(suite, ctx, "district", name, code).status_code == 201


@given(parsers.parse('"{name}" is on the rolls of "{code}"'))
def one_hired(suite, ctx, name, code):
    assert hire(suite, ctx, "district", name, code).status_code == 201


@then(parsers.parse('"{name}" has the jurisdiction "{jurisdiction}"'))
def has_jurisdiction(suite, ctx, name, jurisdiction):
    r = suite.hr.as_(suite.admin_token).get(f"/workers/{ctx['workers'][name]}")
    assert r.status_code == 200, r.text
    assert r.json()["jurisdiction"] == jurisdiction


@then(parsers.parse('the refusal names the field "{field}"'))
def names_field(ctx, field):
    assert ctx["response"].json()["field"] == field


@when(parsers.parse('the street officer asks for the record of "{name}"'))
def street_asks(suite, ctx, name):
    ctx["response"] = hr_of(suite, ctx, "street").get(f"/workers/{ctx['workers'][name]}")


@then(parsers.parse('the street officer asking for the record of "{name}" is told there is none'))
def street_told_none(suite, ctx, name):
    r = hr_of(suite, ctx, "street").get(f"/workers/{ctx['workers'][name]}")
    assert r.status_code == 404, r.text


@when(parsers.parse("the {who} officer lists the workers"))
def officer_lists(suite, ctx, who):
    ctx["response"] = hr_of(suite, ctx, who).get("/workers", params={"limit": 500})


def listed(ctx) -> set[int]:
    r = ctx["response"]
    assert r.status_code == 200, r.text
    return {w["id"] for w in r.json()["items"]}


@then(parsers.parse('the list holds "{name}" only'))
def list_only(ctx, name):
    assert listed(ctx) == {ctx["workers"][name]}


@then(parsers.parse('the list holds "{a}" and "{b}"'))
def list_both(ctx, a, b):
    assert {ctx["workers"][a], ctx["workers"][b]} <= listed(ctx)


@when(parsers.parse('the district officer transfers "{name}" to "{code}"'))
def transfers(suite, ctx, name, code):
    r = hr_of(suite, ctx, "district").post(f"/workers/{ctx['workers'][name]}/transfers", json={
        "community_code": code, "effective_on": "2025-01-01", "reason": "工作需要"})
    assert r.status_code == 201, r.text


# --- training and certs -----------------------------------------------------------------------


@given("HR's events have reached training and certs")
def events_delivered(suite):
    assert deliver_hr_events(suite) > 0


@then(parsers.parse('the street\'s training coordinator reads the enrolments of "{a}" and not those of "{b}"'))
def coordinator_reads(suite, ctx, a, b):
    api = suite.api("training", officer(suite, ctx, "training_coordinator", street_path("east")))
    assert api.get(f"/workers/{ctx['workers'][a]}/enrolments").status_code == 200
    assert api.get(f"/roster/{ctx['workers'][a]}").status_code == 200
    assert api.get(f"/workers/{ctx['workers'][b]}/enrolments").status_code == 404
    assert api.get(f"/roster/{ctx['workers'][b]}").status_code == 404


def certify(suite, ctx, jurisdiction: str, name: str):
    api = suite.api("certs", officer(suite, ctx, "cert_officer", jurisdiction))
    return api.post("/certificates", json={"worker_id": ctx["workers"][name], "level": "助理社会工作师",
                                           "number": f"SW{next(_ids):08d}", "exam_year": 2021,
                                           "passed_on": "2021-06-20"})


@then(parsers.parse('the street\'s certification officer records a certificate for "{name}"'))
def street_certifies(suite, ctx, name):
    r = certify(suite, ctx, street_path("east"), name)
    assert r.status_code == 201, r.text


@then(parsers.parse('the street\'s certification officer may not record one for "{name}"'))
def street_may_not_certify(suite, ctx, name):
    r = certify(suite, ctx, street_path("east"), name)
    assert r.status_code == 403, r.text


@given(parsers.parse('the district\'s certification officer records a certificate for "{name}"'))
@then(parsers.parse('the district\'s certification officer records a certificate for "{name}"'))
def district_certifies(suite, ctx, name):
    r = certify(suite, ctx, DISTRICT, name)
    assert r.status_code == 201, r.text
    ctx.setdefault("certificates", {})[name] = r.json()["id"]


@given("the district's certification officer records a certificate for each of them")
def district_certifies_all(suite, ctx):
    for name in list(ctx["workers"]):
        district_certifies(suite, ctx, name)


# --- the community secretary ----------------------------------------------------------------------


@given(parsers.parse('a secretary of "{code}"'))
def secretary(suite, ctx, code):
    """An account of the community's secretary (D-17, D-18): it lies where the community does."""
    r = suite.hr.as_(suite.admin_token).post("/users", json={
        "username": f"sec-{code}", "password": "Password-123x", "role": "community_secretary", "community_code": code})
    assert r.status_code == 201, r.text
    assert r.json()["jurisdiction"] == ctx["communities"][code]
    ctx["secretary"] = suite.login(f"sec-{code}", "Password-123x")


@when("the secretary lists the workers")
def secretary_lists(suite, ctx):
    ctx["response"] = suite.api("hr", ctx["secretary"]).get("/workers")


@then(parsers.parse('the secretary reads the record and the history of "{a}" and not the record of "{b}"'))
def secretary_reads(suite, ctx, a, b):
    api = suite.api("hr", ctx["secretary"])
    assert api.get(f"/workers/{ctx['workers'][a]}").status_code == 200
    assert api.get(f"/workers/{ctx['workers'][a]}/changes").status_code == 200
    assert api.get(f"/workers/{ctx['workers'][a]}/grade-history").status_code == 200
    assert api.get(f"/workers/{ctx['workers'][b]}").status_code == 404
    assert api.get(f"/workers/{ctx['workers'][b]}/changes").status_code == 404


@then(parsers.parse('the secretary\'s training roster holds "{name}" only, whose enrolments they read'))
def secretary_roster(suite, ctx, name):
    api = suite.api("training", ctx["secretary"])
    r = api.get("/roster")
    assert r.status_code == 200, r.text
    assert [w["worker_id"] for w in r.json()["items"]] == [ctx["workers"][name]]
    assert api.get(f"/workers/{ctx['workers'][name]}/enrolments").status_code == 200
    others = [wid for n, wid in ctx["workers"].items() if n != name]
    assert all(api.get(f"/workers/{wid}/enrolments").status_code == 404 for wid in others)


@then(parsers.parse('the secretary\'s certificate list holds the certificate of "{name}" only'))
def secretary_certificates(suite, ctx, name):
    api = suite.api("certs", ctx["secretary"])
    r = api.get("/certificates")
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["items"]] == [ctx["certificates"][name]]
    assert api.get(f"/certificates/{ctx['certificates'][name]}").status_code == 200
    others = [cid for n, cid in ctx["certificates"].items() if n != name]
    assert all(api.get(f"/certificates/{cid}").status_code == 404 for cid in others)


@then(parsers.parse('the secretary may not put a worker on the rolls of "{code}"'))
def secretary_may_not_hire(suite, ctx, code):
    r = suite.api("hr", ctx["secretary"]).post("/workers", json={
        "name": "无权", "id_number": id_number(next(_ids)), "post": "委员", "hired_on": HIRED_ON, "grade": 1,
        "jurisdiction": ctx["communities"][code], "community_code": code})
    assert r.status_code == 403 and r.json()["code"] == "role_not_allowed", r.text


# --- policies per street (S3-5) -------------------------------------------------------------------------


@given(parsers.parse('the administrator counts "{education}" as {years:d} years of service for street "{code}" '
                     'from "{day}"'))
def street_policy(suite, education, years, code, day):
    """S3-5: the street's own starting-grade rule (D-2), the district's otherwise."""
    admin = suite.hr.as_(suite.admin_token)
    r = admin.get("/policies/starting_grade/in-force", params={"jurisdiction": DISTRICT, "as_of": day})
    assert r.status_code == 200, r.text
    value = r.json()["value"]
    value["education_years"][education] = years
    r = admin.post("/policies/starting_grade", json={"jurisdiction": street_path(code), "effective_from": day,
                                                     "value": value, "note": "S3-5: the street's own rule"})
    assert r.status_code == 201, r.text


@then(parsers.parse('"{name}" starts at grade {grade:d}'))
def starts_at(suite, ctx, name, grade):
    r = suite.hr.as_(suite.admin_token).get(f"/workers/{ctx['workers'][name]}")
    assert r.json()["grade"] == grade, r.text


# --- names by date ------------------------------------------------------------------------------------------


@when(parsers.parse('the district officer renames "{code}" to "{name}" from "{day}"'))
def renames(suite, ctx, code, name, day):
    r = hr_of(suite, ctx, "district").post(f"/communities/{code}/names", json={"name": name, "effective_from": day})
    assert r.status_code == 201, r.text


@then(parsers.parse('the communities as of "{day}" show "{code}" as "{name}"'))
def named_as_of(suite, ctx, day, code, name):
    r = hr_of(suite, ctx, "district").get("/communities", params={"as_of": day, "limit": 200})
    assert r.status_code == 200, r.text
    assert {c["code"]: c["name"] for c in r.json()["items"]}[code] == name
    one = hr_of(suite, ctx, "district").get(f"/communities/{code}", params={"as_of": day}).json()
    assert one["name"] == name and one["street"] == ctx["communities"][code]


@then(parsers.parse('"{code}" has {n:d} names in its history'))
def names_kept(suite, ctx, code, n):
    r = hr_of(suite, ctx, "district").get(f"/communities/{code}/names")
    assert len(r.json()) == n, r.text


@when(parsers.parse('the district officer puts "{code}" in street "{s}"'))
def put_in_street(suite, ctx, code, s):
    ctx["response"] = hr_of(suite, ctx, "district").patch(f"/communities/{code}", json={"street": street_path(s)})


# --- a deactivated account (D-18) -------------------------------------------------------------------------


@given(parsers.parse('a street officer "{username}" of "{jurisdiction}" with a login'))
def account(suite, ctx, username, jurisdiction):
    r = suite.hr.as_(suite.admin_token).post("/users", json={
        "username": username, "password": "Password-123x", "role": "hr_officer", "jurisdiction": jurisdiction})
    assert r.status_code == 201, r.text
    ctx["users"][username] = r.json()["id"]
    ctx["tokens"][username] = suite.login(username, "Password-123x")
    assert suite.hr.as_(ctx["tokens"][username]).get("/workers").status_code == 200


@when(parsers.parse('the administrator deactivates "{username}"'))
def deactivates(suite, ctx, username):
    ctx["response"] = suite.hr.as_(suite.admin_token).post(f"/users/{ctx['users'][username]}/deactivate",
                                                           json={"reason": "调离"})


@then(parsers.parse('the token of "{username}" is refused with 401 by hr, training and certs'))
def token_refused(suite, ctx, username):
    for name in ("hr", "training", "certs"):
        r = suite.api(name, ctx["tokens"][username]).get("/policies/keys")
        assert r.status_code == 401, (name, r.text)
