"""Steps every feature shares: how an answer is checked. Each step module
keeps the request it made in its ``ctx`` fixture as ``ctx["response"]``."""
from __future__ import annotations

from pytest_bdd import parsers, then


@then(parsers.parse("the answer is {status:d}"))
def answer_is(ctx, status):
    assert ctx["response"].status_code == status, ctx["response"].text


@then(parsers.parse('the answer is {status:d} with code "{code}"'))
def answer_with_code(ctx, status, code):
    r = ctx["response"]
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code


@then(parsers.parse('the answer is {status:d} with code "{code}" citing "{clause}"'))
def answer_citing(ctx, status, code, clause):
    answer_with_code(ctx, status, code)
    assert ctx["response"].json()["clause"] == clause
