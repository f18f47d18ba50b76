"""Step definitions shared by the certs feature files (features/certs/),
through the public HTTP API. A step module takes them with
``from tests.certs.steps import *``."""
from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from tests.certs.support import Certs


class Ctx:
    def __init__(self, suite):
        self.certs = Certs(suite)
        self.response = None


@pytest.fixture
def ctx(suite):
    c = Ctx(suite)
    yield c
    c.certs.close()


# --- who ---------------------------------------------------------------------


@given(parsers.parse('a cert officer of "{jurisdiction}"'))
def cert_officer(ctx, jurisdiction):
    ctx.certs.officer(jurisdiction)


@given(parsers.parse('a worker "{name}" of "{jurisdiction}"'))
def worker(ctx, name, jurisdiction):
    ctx.certs.worker(name, jurisdiction, login=True)


@given(parsers.parse('a worker "{name}" of "{jurisdiction}" with a login'))
def worker_with_login(ctx, name, jurisdiction):
    ctx.certs.worker(name, jurisdiction, login=True)


@given(parsers.parse('a worker "{name}" of "{jurisdiction}" not yet registered under real name'))
def worker_without_real_name(ctx, name, jurisdiction):
    ctx.certs.worker(name, jurisdiction, real_name=False)


@given(parsers.parse('a worker "{name}" of "{jurisdiction}" hired on {hired_on}'))
def worker_hired_on(ctx, name, jurisdiction, hired_on):
    ctx.certs.worker(name, jurisdiction, hired_on=hired_on)


# --- certificates ------------------------------------------------------------


@given(parsers.parse('"{name}" holds a "{level}" certificate passed on {passed_on}'))
def holds_certificate(ctx, name, level, passed_on):
    ctx.certs.certified(name, level, passed_on)


@when(parsers.parse('the officer registers "{name}"\'s certificate on {day}'))
def officer_registers(ctx, name, day):
    ctx.response = ctx.certs.register(name, day)


@given(parsers.parse('"{name}"\'s certificate was registered on {day}'))
def was_registered(ctx, name, day):
    ctx.certs.registered(name, day)


@given(parsers.parse('"{name}" is credited {hours} hours of continuing education on {day}'))
def credited(ctx, name, hours, day):
    r = ctx.certs.cpd(name, hours, day)
    assert r.status_code == 201, r.text


@given(parsers.parse('"{name}" is credited a completed social-work degree on {day}'))
@when(parsers.parse('"{name}" is credited a completed social-work degree on {day}'))
def credited_degree(ctx, name, day):
    ctx.response = ctx.certs.cpd(name, None, day, source="degree")


# --- answers -----------------------------------------------------------------


@then(parsers.parse("the answer is {status:d}"))
def answer_is(ctx, status):
    assert ctx.response.status_code == status, ctx.response.text


@then(parsers.parse('the answer is {status:d} with code "{code}"'))
def answer_with_code(ctx, status, code):
    r = ctx.response
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code, r.text


@then(parsers.parse('the answer is {status:d} with code "{code}" citing "{clause}"'))
def answer_citing(ctx, status, code, clause):
    answer_with_code(ctx, status, code)
    assert ctx.response.json()["clause"] == clause


@then(parsers.parse('the answer is {status:d} with code "{code}" naming "{field}"'))
def answer_naming(ctx, status, code, field):
    answer_with_code(ctx, status, code)
    assert ctx.response.json()["field"] == field


__all__ = [name for name in dict(globals()) if not name.startswith("_")]
