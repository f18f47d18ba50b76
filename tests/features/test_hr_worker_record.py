"""Steps for features/hr/worker_record.feature (D-8): the record's personal
fields, the education history and masking, over the HR API."""
from __future__ import annotations

from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from shared import idcard
from tests.hr.communities import register_defaults

scenarios("hr/worker_record.feature")


@pytest.fixture
def ctx(suite):
    register_defaults(suite)
    return {"suite": suite, "workers": {}, "response": None}


@given(parsers.parse('an HR officer of "{jurisdiction}"'))
def hr_officer(suite, ctx, jurisdiction):
    ctx["officer"] = suite.hr.as_(suite.create_user("hr-record", "hr_officer", jurisdiction))


@given(parsers.parse('a worker "{name}" of "{jurisdiction}" born {born}, a woman by her ID number'))
def a_worker(suite, ctx, name, jurisdiction, born):
    number = idcard.make("330105", date.fromisoformat(born), 42)
    r = ctx["officer"].post("/workers", json={"name": name, "id_number": number, "jurisdiction": jurisdiction,
                                              "post": "委员", "hired_on": "2020-03-01", "community_code": "GS-001"})
    assert r.status_code == 201, r.text
    ctx["workers"][name] = r.json()
    ctx["token"] = suite.create_user("wangfang", "worker", jurisdiction, worker_id=r.json()["id"])


def wid(ctx, name) -> int:
    return ctx["workers"][name]["id"]


def patch(ctx, name, body):
    ctx["response"] = ctx["officer"].patch(f"/workers/{wid(ctx, name)}/profile", json=body)


@then(parsers.parse('"{name}" is recorded as "{gender}"'))
def recorded_gender(ctx, name, gender):
    assert ctx["officer"].get(f"/workers/{wid(ctx, name)}").json()["gender"] == gender


@when(parsers.parse('the officer sets the gender of "{name}" to "{gender}"'))
def set_gender(ctx, name, gender):
    patch(ctx, name, {"gender": gender})


@when(parsers.parse('the officer records "{name}" as "{status}" since {since}'))
def set_party(ctx, name, status, since):
    patch(ctx, name, {"political_status": status, "party_member_since": since})


@when(parsers.parse('the officer records the education of "{name}" as "{q1}" in {y1:d} and "{q2}" in {y2:d}'))
def set_education(ctx, name, q1, y1, q2, y2):
    rows = [{"qualification": q1, "school": "浙江工业大学", "graduated_year": y1},
            {"qualification": q2, "school": "浙江大学", "graduated_year": y2}]
    ctx["response"] = ctx["officer"].put(f"/workers/{wid(ctx, name)}/education", json=rows)


@then(parsers.parse('the answer is {status:d} naming "{field}"'))
def answer_naming(ctx, status, field):
    assert ctx["response"].status_code == status, ctx["response"].text
    assert ctx["response"].json()["field"] == field


@given(parsers.parse('"{name}" has the phone "{phone}"'))
def has_phone(ctx, name, phone):
    patch(ctx, name, {"phone": phone})
    assert ctx["response"].status_code == 200, ctx["response"].text


@given(parsers.parse('a training coordinator of "{jurisdiction}"'))
def coordinator(suite, ctx, jurisdiction):
    ctx["coordinator"] = suite.hr.as_(suite.create_user("tc-record", "training_coordinator", jurisdiction))


@when(parsers.parse('the coordinator reads the record of "{name}"'))
def coordinator_reads(ctx, name):
    ctx["response"] = ctx["coordinator"].get(f"/workers/{wid(ctx, name)}")


@when(parsers.parse('the officer reads the record of "{name}"'))
def officer_reads(ctx, name):
    ctx["response"] = ctx["officer"].get(f"/workers/{wid(ctx, name)}")


@then(parsers.parse('the phone shows "{phone}" and the ID number keeps only its first six and last four'))
def masked_view(ctx, phone):
    body = ctx["response"].json()
    assert body["phone"] == phone and body["masked"] is True
    number = idcard.make("330105", date(1990, 6, 9), 42)
    assert body["id_number"] == number[:6] + "********" + number[-4:]


@then(parsers.parse('the phone shows "{phone}"'))
def full_view(ctx, phone):
    assert ctx["response"].json()["phone"] == phone


@when(parsers.parse('"{name}" sets her own {field} to "{value}"'))
def own_change(suite, ctx, name, field, value):
    ctx["response"] = suite.hr.as_(ctx["token"]).patch("/me/profile", json={field: value})
