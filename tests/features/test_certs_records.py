"""Steps for features/certs/certificates.feature (D-5), exam_entries.feature
(S3-7) and real_name_and_record.feature (S2-4, S2-8), through the HTTP API."""
from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tests.certs.steps import *  # noqa: F401,F403 - the shared certs steps
from tests.certs.support import id_number

scenarios("certs/certificates.feature", "certs/exam_entries.feature", "certs/real_name_and_record.feature")


# --- certificates ------------------------------------------------------------


@when(parsers.parse('the officer records a "{level}" certificate "{number}" for "{name}" passed on {passed_on} '
                    'in the {year:d} exam'))
def records_certificate(ctx, level, number, name, passed_on, year):
    ctx.response = ctx.certs.certificate(name, level, passed_on, number=number, exam_year=year)
    if ctx.response.status_code == 201:
        ctx.certs.certificates[name] = ctx.response.json()["id"]


@when(parsers.parse('the officer records a "{level}" certificate with the number of "{other}"\'s for "{name}" '
                    'passed on {passed_on} in the {year:d} exam'))
def records_certificate_taken_number(ctx, level, other, name, passed_on, year):
    number = ctx.certs.officer().get(f"/certificates/{ctx.certs.certificates[other]}").json()["number"]
    records_certificate(ctx, level, number, name, passed_on, year)


@when(parsers.parse('the officer of "{jurisdiction}" records a "{level}" certificate for "{name}"'))
def other_officer_records(ctx, jurisdiction, level, name):
    ctx.response = ctx.certs.officer(jurisdiction).post("/certificates", json={
        "worker_id": ctx.certs.workers[name], "level": level, "number": "SW-OTHER-1",
        "exam_year": 2019, "passed_on": "2019-09-20",
    })


def _certificates_of(ctx, name):
    body = ctx.certs.officer("hangzhou").get("/certificates", params={"worker_id": ctx.certs.workers[name]}).json()
    return body["items"]


@then(parsers.parse('"{name}" holds a "{level}" certificate held from {day}'))
def holds_from(ctx, name, level, day):
    held = {c["level"]: c["qualified_on"] for c in _certificates_of(ctx, name)}
    assert held.get(level) == day, held


@then(parsers.parse('"{name}" holds no certificate'))
def holds_none(ctx, name):
    assert _certificates_of(ctx, name) == []


@then(parsers.parse('"{name}"\'s certificate awaits its review'))
def awaits_review(ctx, name):
    [cert] = _certificates_of(ctx, name)
    assert cert["review_outcome"] == "pending" and cert["qualified_on"] is None


@then(parsers.parse('registering "{name}"\'s certificate on {day} is refused with code "{code}"'))
def registering_refused(ctx, name, day, code):
    r = ctx.certs.register(name, day)
    assert r.status_code == 409 and r.json()["code"] == code, r.text


@when(parsers.parse('the review of "{name}"\'s certificate is recorded as "{outcome}" on {day}'))
def review(ctx, name, outcome, day):
    r = ctx.certs.officer().post(f"/certificates/{ctx.certs.certificates[name]}/review",
                                 json={"outcome": outcome, "reviewed_on": day})
    assert r.status_code == 200, r.text


@when(parsers.parse('"{who}" asks for the certificate of "{whom}"'))
def worker_asks_certificate(ctx, who, whom):
    ctx.response = ctx.certs.as_worker(who).get(f"/certificates/{ctx.certs.certificates[whom]}")


# --- exam entries (S3-7) -----------------------------------------------------


@given(parsers.parse('"{name}" is entered for the {year:d} "{level}" exam on {day}'))
@when(parsers.parse('"{name}" is entered for the {year:d} "{level}" exam on {day}'))
def entered(ctx, name, year, level, day):
    ctx.response = ctx.certs.officer().post("/exam-entries", json={
        "worker_id": ctx.certs.workers[name], "exam_year": year, "level": level, "entered_on": day,
    })
    if ctx.response.status_code == 201:
        ctx.certs.entries[name] = ctx.response.json()["id"]


@when(parsers.parse('the result of "{name}"\'s entry is "{result}"'))
def entry_result(ctx, name, result):
    r = ctx.certs.officer().post(f"/exam-entries/{ctx.certs.entries[name]}/result", json={"result": result})
    assert r.status_code == 200, r.text


def _summary(ctx, year):
    r = ctx.certs.officer().get("/exam-entries/summary", params={"exam_year": year})
    assert r.status_code == 200, r.text
    return r.json()


@then(parsers.parse('the {year:d} exam has {n:d} entries, {k:d} of them for "{level}"'))
def exam_has(ctx, year, n, k, level):
    s = _summary(ctx, year)
    assert s["entries"] == n and sum(s["by_level"][level].values()) == k, s


@then(parsers.parse('the {year:d} exam has {n:d} passed entry for "{level}"'))
def exam_passed(ctx, year, n, level):
    assert _summary(ctx, year)["by_level"][level]["passed"] == n


# --- real name, service record, continuing education (S2-4, S2-8) -----------


@when(parsers.parse('the officer registers "{name}" under real name'))
def real_name(ctx, name):
    r = ctx.certs.officer().post(f"/profiles/{ctx.certs.workers[name]}/real-name",
                                 json={"name": name, "id_number": id_number(900 + ctx.certs.workers[name])})
    assert r.status_code == 200, r.text


@when(parsers.parse('the officer registers "{name}" under real name with ID number "{number}"'))
def real_name_with(ctx, name, number):
    ctx.response = ctx.certs.officer().post(f"/profiles/{ctx.certs.workers[name]}/real-name",
                                            json={"name": name, "id_number": number})


@then(parsers.parse('the holders without real-name registration are "{name}"'))
def without_real_name(ctx, name):
    body = ctx.certs.officer().get("/profiles", params={"real_name": "false"}).json()
    assert [p["name"] for p in body["items"]] == [name]


@when(parsers.parse('"{name}" looks at their own continuing education'))
def own_cpd(ctx, name):
    ctx.response = ctx.certs.as_worker(name).get("/me/cpd")


@then(parsers.parse("it holds {n:d} credits of {total} hours in all"))
def cpd_total(ctx, n, total):
    from decimal import Decimal

    credits = ctx.response.json()
    assert len(credits) == n and sum(Decimal(c["hours"]) for c in credits) == Decimal(total)


@when(parsers.parse('the officer adds to "{name}"\'s service record:'))
def add_entries(ctx, name, datatable):
    header, *rows = datatable
    for row in rows:
        r = ctx.certs.officer().post(f"/profiles/{ctx.certs.workers[name]}/service-record",
                                     json=dict(zip(header, row, strict=True)))
        assert r.status_code == 201, r.text


@when(parsers.parse('the officer adds a "{kind}" entry to "{name}"\'s service record'))
def add_unknown_entry(ctx, kind, name):
    ctx.response = ctx.certs.officer().post(f"/profiles/{ctx.certs.workers[name]}/service-record", json={
        "kind": kind, "title": "某奖章", "started_on": "2024-01-01"})


@then(parsers.parse('"{name}" sees {n:d} entries on their own service record, among them the award "{title}"'))
def own_record(ctx, name, n, title):
    entries = ctx.certs.as_worker(name).get("/me/service-record").json()
    assert len(entries) == n
    assert {"kind": "award", "title": title} in [{"kind": e["kind"], "title": e["title"]} for e in entries]
