"""Steps for features/certs/registration.feature (D-5), through the HTTP API;
the daily check runs as the certs worker would run it."""
from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from tests.certs.steps import *  # noqa: F401,F403 - the shared certs steps

scenarios("certs/registration.feature")


@then(parsers.parse("the registration is valid from {start} until {end}"))
def valid_from_until(ctx, start, end):
    body = ctx.response.json()
    assert (body["valid_from"], body["valid_until"]) == (start, end), body


@then(parsers.parse("{hours} hours were counted for it"))
def hours_counted(ctx, hours):
    assert ctx.response.json()["cpd_counted_hours"] == hours


@then(parsers.parse('certificate.registered is published for "{name}" valid until {end}'))
def registered_published(ctx, name, end):
    [event] = ctx.certs.outbox("certificate.registered")
    assert (event["worker_id"], event["valid_until"]) == (ctx.certs.workers[name], end)


@then(parsers.parse('"{name}"\'s certificate has no registration'))
def no_registration(ctx, name):
    r = ctx.certs.officer().get(f"/certificates/{ctx.certs.certificates[name]}/registrations")
    assert r.status_code == 200 and r.json() == []
    assert ctx.certs.outbox("certificate.registered") == []


@then(parsers.parse("the window given is from {opens} to {closes}"))
def window_given(ctx, opens, closes):
    extra = ctx.response.json()["extra"]
    assert (extra["window_opens_on"], extra["window_closes_on"]) == (opens, closes)


@then(parsers.parse("the hours given are {required} required and {counted} counted"))
def hours_given(ctx, required, counted):
    extra = ctx.response.json()["extra"]
    assert (extra["required_hours"], extra["counted_hours"]) == (required, counted)


@when(parsers.parse("the daily registration check runs on {day}"))
def daily_check(ctx, day):
    ctx.certs.run_job("registration_check", day)


@then(parsers.parse('"{name}"\'s registration is "{state}" on {day}'))
def registration_state(ctx, name, state, day):
    r = ctx.certs.officer().get(f"/certificates/{ctx.certs.certificates[name]}", params={"as_of": day})
    assert r.json()["registration"]["state"] == state
    listed = ctx.certs.officer().get("/registrations", params={"state": state, "as_of": day}).json()
    assert [i["registration"]["worker_id"] for i in listed["items"]] == [ctx.certs.workers[name]]


@then(parsers.parse('registration.lapsed is published once for "{name}", lapsed on {day}'))
def lapsed_published(ctx, name, day):
    [event] = ctx.certs.outbox("registration.lapsed")
    assert (event["worker_id"], event["lapsed_on"]) == (ctx.certs.workers[name], day)


@then(parsers.parse('the officers\' reminders for "{name}" are {reminders}'))
def reminders(ctx, name, reminders):
    expected = []
    for part in reminders.split(", "):
        days, _, _, day = part.split(" ")
        expected.append((int(days), day))
    items = ctx.certs.officer().get("/reminders").json()["items"]
    assert all(i["worker_id"] == ctx.certs.workers[name] for i in items)
    assert sorted((i["days_before"], i["issued_on"]) for i in items) == sorted(expected)


@when(parsers.parse('"{name}" looks at their own certificates on {day}'))
def own_certificates(ctx, name, day):
    ctx.response = ctx.certs.as_worker(name).get("/me/certificates", params={"as_of": day})


@then(parsers.parse('the registration is "{state}" with {days:d} days to expiry '
                    'and {counted} of {required} hours counted'))
def own_status(ctx, state, days, counted, required):
    [cert] = ctx.response.json()["certificates"]
    status = cert["registration"]
    assert (status["state"], status["days_to_expiry"]) == (state, days)
    assert (status["cpd_counted_hours"], status["cpd_required_hours"]) == (counted, required)
