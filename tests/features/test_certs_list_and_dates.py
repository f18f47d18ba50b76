"""Steps for features/certs/certificate_list.feature and
features/certs/future_dates.feature (D-5), through the certs HTTP API."""
from __future__ import annotations

from datetime import timedelta

from pytest_bdd import given, parsers, scenarios, then, when

from shared.web import today
from tests.certs.steps import *  # noqa: F401,F403 - the shared certs steps

scenarios("certs/certificate_list.feature", "certs/future_dates.feature")


def day_named(word: str) -> str:
    return (today() + {"yesterday": timedelta(days=-1), "today": timedelta(0),
                       "tomorrow": timedelta(days=1)}[word]).isoformat()


# --- the list ------------------------------------------------------------------


@when(parsers.parse("the officer lists the certificates as of {day}"))
def lists_certificates(ctx, day):
    ctx.response = ctx.certs.officer().get("/certificates", params={"as_of": day})
    assert ctx.response.status_code == 200, ctx.response.text
    ctx.as_of = day


def listed(ctx, name) -> dict:
    cid = ctx.certs.certificates[name]
    [row] = [c for c in ctx.response.json()["items"] if c["id"] == cid]
    return row["registration"]


@then(parsers.parse('"{name}"\'s certificate is listed "{state}", registered on {registered} and valid until {until}'))
def listed_registered(ctx, name, state, registered, until):
    reg = listed(ctx, name)
    assert (reg["state"], reg["registered_on"], reg["valid_until"]) == (state, registered, until), reg


@then(parsers.parse('"{name}"\'s certificate is listed "{state}", to be registered by {deadline}'))
def listed_unregistered(ctx, name, state, deadline):
    reg = listed(ctx, name)
    assert (reg["state"], reg["first_registration_deadline"]) == (state, deadline), reg


@then("each listed certificate shows what its own page shows")
def same_as_own_page(ctx):
    for row in ctx.response.json()["items"]:
        own = ctx.certs.officer().get(f"/certificates/{row['id']}", params={"as_of": ctx.as_of}).json()
        assert row == own


# --- dates after today -----------------------------------------------------------


@given(parsers.parse('"{name}" holds a "{level}" certificate passed {n:d} days ago'))
def holds_certificate_days_ago(ctx, name, level, n):
    ctx.certs.certified(name, level, (today() - timedelta(days=n)).isoformat())


@when(parsers.re(r'the officer registers "(?P<name>[^"]+)"\'s certificate (?P<word>yesterday|today|tomorrow)$'))
def registers_on_named_day(ctx, name, word):
    ctx.response = ctx.certs.register(name, day_named(word))


@when(parsers.re(r'the officer records a "(?P<level>[^"]+)" certificate for "(?P<name>[^"]+)" '
                 r'passed (?P<word>yesterday|today|tomorrow)$'))
def records_certificate(ctx, level, name, word):
    ctx.response = ctx.certs.certificate(name, level, day_named(word))


@then(parsers.parse('the answer cites "{clause}"'))
def answer_cites(ctx, clause):
    assert ctx.response.json()["clause"] == clause


@then(parsers.parse('"{name}"\'s certificate has no registration yet'))
def no_registration_yet(ctx, name):
    r = ctx.certs.officer().get(f"/certificates/{ctx.certs.certificates[name]}/registrations")
    assert r.status_code == 200 and r.json() == []
