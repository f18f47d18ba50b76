"""Steps for features/e2e/*.feature: the event flows of docs/architecture.md
("How an event flows") end to end, against the whole suite as processes (three APIs, a worker
and outbox relay per service, the scheduler) on a real Redis.

Every write goes through a public HTTP API; every effect in another service
is polled for through that service's public API (``eventually``, up to
``TIMEOUT`` seconds). One live suite serves the whole module; each scenario
makes its own workers, so the scenarios do not depend on their order.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.e2e.steps_changes import *  # noqa: F403 (the steps of features/e2e/worker_changes.feature)
from tests.e2e.steps_world import CITY, GONGSHU, World, eventually, ok, years_before
from tests.support.calendar import ensure_years

pytestmark = pytest.mark.e2e

scenarios("e2e")

CRITERIA = ("integrity", "recognition", "results", "training", "certificate")


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@pytest.fixture(scope="module")
def world(live):
    w = World(live)
    yield w
    w.close()


@pytest.fixture
def ctx(world):
    return {"sessions": {}, "response": None}


def wid(world, name) -> int:
    return world.workers[name]


# --- workers and certificates -----------------------------------------------------


@given(parsers.parse('a worker "{name}" hired {years:d} years ago, known to training and certs'))
def worker_known_everywhere(world, name, years):
    world.hire_directly(name, years)
    world.known_everywhere(name)


@given(parsers.parse('"{name}" holds a "{level}" certificate passed {years:d} years ago'))
def certificate_passed(world, name, level, years):
    world.certify(name, level, years_before(world.today, years))


def _registered(world, ctx, name, level, registered_on: date) -> dict:
    world.certify(name, level, registered_on - timedelta(days=60))
    reg = ok(world.register(name, registered_on))
    ctx["first_registration"] = reg
    return reg


@given(parsers.parse('"{name}" holds a "{level}" certificate registered {days:d} days ago'))
def certificate_registered(world, ctx, name, level, days):
    _registered(world, ctx, name, level, world.day(-days))


@given(parsers.parse('"{name}" holds a "{level}" certificate whose registration expires in {days:d} days'))
def registration_expiring(world, ctx, name, level, days):
    reg = _registered(world, ctx, name, level, years_before(world.day(days + 1), 3))
    assert reg["valid_until"] == world.day(days).isoformat(), reg


@given(parsers.parse('"{name}" holds a "{level}" certificate whose registration expired {days:d} days ago'))
def registration_expired(world, ctx, name, level, days):
    reg = _registered(world, ctx, name, level, years_before(world.day(1 - days), 3))
    assert reg["valid_until"] == world.day(-days).isoformat(), reg


# --- training sessions --------------------------------------------------------------


def _future_session(world, ctx, label, tier, jurisdiction, days, seats=50):
    p = world.programme(title=f"{label}培训班", tier=tier, category=tier, jurisdiction=jurisdiction, hours="8")
    ctx["sessions"][label] = world.session(p["id"], world.day(days), capacity=seats)


@given(parsers.parse('an induction session of "{jurisdiction}" starting in {days:d} days'))
def induction_session(world, ctx, jurisdiction, days):
    _future_session(world, ctx, "induction", "induction", jurisdiction, days)


@given(parsers.parse('a continuing session of "{jurisdiction}" starting in {days:d} days with {seats:d} seat'))
def continuing_session(world, ctx, jurisdiction, days, seats):
    _future_session(world, ctx, "continuing", "continuing", jurisdiction, days, seats)


@given(parsers.parse('a leader-talent session of "{jurisdiction}" starting in {days:d} days'))
def leader_session(world, ctx, jurisdiction, days):
    _future_session(world, ctx, "leader_talent", "leader_talent", jurisdiction, days)


def _enrol(world, ctx, name, label) -> dict:
    sid = ctx["sessions"][label]["id"]
    return ok(world.training.post(f"/sessions/{sid}/enrolments", json={"worker_id": wid(world, name)}))


@given(parsers.parse('"{name}" holds a seat in the continuing session'))
def seated_in_continuing(world, ctx, name):
    assert _enrol(world, ctx, name, "continuing")["status"] == "enrolled"


@given(parsers.parse('"{name}" is on the waitlist of the continuing session'))
def waitlisted_in_continuing(world, ctx, name):
    e = _enrol(world, ctx, name, "continuing")
    assert (e["status"], e["waitlist_position"]) == ("waitlisted", 1), e


@given(parsers.parse("an accredited programme of {hours:d} hours worth {cpd:d} CPD hours"))
def accredited_programme(world, ctx, hours, cpd):
    ctx["programme"] = world.programme(title="社会工作继续教育（认定）", hours=str(hours), cpd_accredited=True,
                                       cpd_hours=str(cpd))


@given(parsers.parse('a {days:d}-day session of it that ended {ago:d} days ago, with "{name}" seated'))
def past_session(world, ctx, days, ago, name):
    ctx["sessions"]["course"] = world.session(ctx["programme"]["id"], world.day(-ago - days + 1), days=days)
    assert _enrol(world, ctx, name, "course")["status"] == "enrolled"


@given(parsers.parse('"{name}" attended {present:d} of its {days:d} days'))
def attended(world, ctx, name, present, days):
    sess = ctx["sessions"]["course"]
    assert len(sess["days"]) == days
    for i, day in enumerate(sess["days"]):
        ok(world.training.post(f"/sessions/{sess['id']}/attendance", json={
            "day": day, "records": [{"worker_id": wid(world, name), "present": i < present}]}))


@when("the coordinator closes the session")
@given("the coordinator has closed the session")
def close_session(world, ctx):
    out = ok(world.training.post(f"/sessions/{ctx['sessions']['course']['id']}/close"))
    assert (out["completed"], out["not_completed"]) == (1, 0), out


@then(parsers.parse('training\'s ledger of "{name}" shows {hours} training hours and {cpd} CPD hours'))
def training_ledger(world, name, hours, cpd):
    ledger = ok(world.training.get(f"/workers/{wid(world, name)}/ledger"))
    assert (ledger["total_hours"], ledger["total_cpd_hours"]) == (hours, cpd), ledger


# --- recruitment (D-4) -----------------------------------------------------------------


@given(parsers.parse('a community "{code}" of "{district}" with {households:d} households'))
def community(world, code, district, households):
    world.hr.ok(world.hr.community(code, households, 0, district))


@given(parsers.parse('a campaign announced {days:d} days ago opening {count:d} "{post}" place in "{code}"'))
def campaign(world, ctx, days, count, post, code):
    ctx["campaign"] = world.hr.ok(world.hr.campaign(world.day(-days).isoformat(), GONGSHU))["id"]
    ctx["post"] = world.hr.ok(world.hr.post(ctx["campaign"], code, post, count))["id"]


@given(parsers.parse('"{name}" applied, was found eligible, scored {written:d} and {interview:d} and ranked first'))
def applied_and_ranked(world, ctx, name, written, interview):
    hr, cid = world.hr, ctx["campaign"]
    born = years_before(world.today, 28).isoformat()  # inside D-4's 18-35 whenever the test runs
    ctx["application"] = hr.ok(hr.apply(cid, ctx["post"], name, born, "本科"))["id"]
    hr.ok(hr.review(cid))
    assert hr.applications(cid)[name]["status"] == "eligible"
    hr.ok(hr.scores(cid, ctx["application"], written, interview))
    ranking = hr.ok(hr.rank(cid))
    [candidate] = [c for p in ranking for c in p["candidates"] if c["name"] == name]
    assert candidate["rank"] == 1, candidate


@given(parsers.parse('"{name}" has passed the physical exam and the background check'))
def checks_passed(world, ctx, name):
    world.hr.ok(world.hr.checks(ctx["campaign"], ctx["application"]))


@given(parsers.parse("the public notice started {days:d} days ago"))
def notice_started(world, ctx, days):
    ensure_years(world.live.api("hr", world.live.admin_token))  # the notice may reach a year not yet published
    world.hr.ok(world.hr.notice(ctx["campaign"], world.day(-days).isoformat()))


@when("the officer hires the candidates today")
def hire(world, ctx):
    ctx["hired"] = world.hr.ok(world.hr.hire(ctx["campaign"]))["hired"]


@then(parsers.parse('"{name}" is on HR\'s rolls in "{code}" on probation for {months:d} months'))
def on_rolls(world, ctx, name, code, months):
    [h] = [h for h in ctx["hired"] if h["name"] == name]
    world.workers[name] = h["worker_id"]
    w = world.hr.ok(world.hr.api.get(f"/workers/{h['worker_id']}"))
    expected = (add_months(world.today, months) - timedelta(days=1)).isoformat()
    assert (w["community_code"], w["hired_on"], w["probation_ends_on"]) == (code, world.today.isoformat(), expected), w
    ctx["hr_worker"] = w


@then(parsers.parse('"{name}" appears on training\'s roster with the same probation'))
def on_training_roster(world, ctx, name):
    entry = eventually(lambda: world.roster_entry(name), bool, f"{name} on training's roster")
    w = ctx["hr_worker"]
    got = (entry["name"], entry["community_code"], entry["hired_on"], entry["probation_ends_on"], entry["status"])
    assert got == (name, w["community_code"], w["hired_on"], w["probation_ends_on"], "active"), entry


def _holds_seat(world, ctx, name, label):
    sid = ctx["sessions"][label]["id"]
    place = eventually(lambda: world.place_in(name, sid), lambda e: e is not None and e["status"] == "enrolled",
                       f"{name} seated in the {label} session")
    return place


@then(parsers.parse('"{name}" holds a seat in the induction session'))
def seated_in_induction(world, ctx, name):
    _holds_seat(world, ctx, name, "induction")


@then(parsers.parse('certs has opened a profile for "{name}" hired today'))
def certs_profile(world, name):
    p = eventually(lambda: world.profile(name), bool, f"a certs profile for {name}")
    assert (p["name"], p["jurisdiction"], p["hired_on"], p["left_on"]) == (name, GONGSHU, world.today.isoformat(), None)


# --- leaving -------------------------------------------------------------------------------


@when(parsers.parse('HR records that "{name}" left yesterday'))
def leaves(world, name):
    w = world.hr.ok(world.hr.api.post(f"/workers/{wid(world, name)}/leave", json={
        "left_on": world.day(-1).isoformat(), "reason": "辞职"}))
    assert w["status"] == "left"


@then(parsers.parse('"{name}"\'s place in the continuing session is cancelled'))
def place_cancelled(world, ctx, name):
    sid = ctx["sessions"]["continuing"]["id"]
    e = eventually(lambda: world.place_in(name, sid), lambda e: e["status"] == "cancelled",
                   f"{name}'s place cancelled")
    assert e["cancel_reason"].startswith("worker left"), e


@then(parsers.parse('"{other}" is promoted to the seat "{name}" left'))
def promoted(world, ctx, other, name):
    e = world.place_in(other, ctx["sessions"]["continuing"]["id"])
    assert (e["status"], e["promoted"]) == ("enrolled", True), e


@then(parsers.parse('training\'s roster shows "{name}" as left yesterday'))
def roster_left(world, name):
    entry = world.roster_entry(name)
    assert (entry["status"], entry["left_on"]) == ("left", world.day(-1).isoformat()), entry


@then(parsers.parse('"{name}"\'s registration is closed in certs on the day they left'))
def registration_closed(world, name):
    regs = eventually(lambda: world.registrations(name), lambda rs: rs[-1]["ended"] is not None,
                      f"{name}'s registration ended")
    assert (regs[-1]["ended"], regs[-1]["ended_on"], regs[-1]["state"]) == ("closed", world.day(-1).isoformat(),
                                                                            "closed"), regs


@then(parsers.parse('certs\' profile of "{name}" shows they left yesterday'))
def profile_left(world, name):
    assert world.profile(name)["left_on"] == world.day(-1).isoformat()


# --- CPD hours, renewal, the allowance (D-6, D-5, D-3) -------------------------------------


@given(parsers.parse('next month\'s payslip of "{name}" carries no certificate allowance'))
def no_allowance(world, name):
    assert world.payslip(name, world.next_month())["certificate_allowance"] == 0


@given(parsers.parse('certs counts {counted} of the {required} hours the cycle of "{name}" needs'))
@then(parsers.parse('certs counts {counted} of the {required} hours the cycle of "{name}" needs'))
def cycle_hours(world, counted, required, name):
    status = eventually(lambda: world.certificate_status(name), lambda s: s["cpd_counted_hours"] == counted,
                        f"{counted} CPD hours counted for {name}'s cycle")
    assert status["cpd_required_hours"] == required, status


@when(parsers.parse('the cert officer re-registers the certificate of "{name}" today'))
def re_register(world, ctx, name):
    ctx["response"] = world.register(name, world.today)


@then(parsers.parse("the new registration runs {years:d} years from the day after the old one ends, "
                    "with {hours} hours counted"))
def renewed(world, ctx, years, hours):
    reg = ok(ctx["response"])
    starts = date.fromisoformat(ctx["first_registration"]["valid_until"]) + timedelta(days=1)
    ends = years_before(starts, -years) - timedelta(days=1)
    assert (reg["cycle"], reg["registered_on"], reg["valid_from"], reg["valid_until"], reg["cpd_counted_hours"]) == (
        2, world.today.isoformat(), starts.isoformat(), ends.isoformat(), hours), reg


@then(parsers.parse('next month\'s payslip of "{name}" carries a certificate allowance of {fen:d} fen'))
def allowance(world, name, fen):
    eventually(lambda: world.payslip(name, world.next_month())["certificate_allowance"], lambda a: a == fen,
               f"a certificate allowance of {fen} fen on {name}'s payslip for {world.next_month()}")


@when(parsers.parse('training\'s cpd.credited for "{name}" is delivered to certs again'))
def redeliver_cpd(world, ctx, name):
    course = ctx["sessions"]["course"]["id"]
    [(event_id, payload)] = [(i, p) for i, p in world.outbox("training", "cpd.credited")
                             if p["worker_id"] == wid(world, name) and p["session_id"] == course]
    assert world.inbox("certs", event_id), "the first delivery is in certs' inbox"
    world.send_event("certs", payload, event_id)


@then(parsers.parse('certs\' CPD ledger of "{name}" holds one credit of {hours} hours'))
def one_credit(world, name, hours):
    assert [c["hours"] for c in world.cpd_ledger(name)] == [hours]


# --- assessments and the leader-talent round (D-1, D-7, S2-6) -------------------------------------


def _assess(world, name, grade):
    world.hr.ok(world.hr.api.post(f"/workers/{wid(world, name)}/assessments", json={
        "year": world.today.year - 1, "grade": grade, "visits": [30] * 12, "performance_score": 85}))


@when(parsers.parse('HR records the assessment of "{name}" for last year as "{grade}"'))
def hr_assesses(world, name, grade):
    _assess(world, name, grade)


@then(parsers.parse('certs\' profile of "{name}" shows "{grade}" for last year'))
def certs_assessment(world, name, grade):
    want = {"year": world.today.year - 1, "grade": grade}
    eventually(lambda: world.profile(name)["assessments"], lambda a: want in a, f"{name}'s assessment in certs")


@given(parsers.parse('HR has recorded the assessment of "{name}" for last year as "{grade}", and certs has it'))
def hr_assessed(world, name, grade):
    """Recorded in HR and arrived in certs (assessment.recorded), before the round reads it."""
    _assess(world, name, grade)
    certs_assessment(world, name, grade)


def _open_round(world, opened_on: date, quota: int, district: str, nominations: int) -> int:
    r = ok(world.certs_city.post("/talent-rounds", json={
        "name": "社区工作领军人才选拔", "jurisdiction": CITY, "city_quota": quota, "opened_on": opened_on.isoformat(),
        "district_quotas": {district: nominations}}))
    return r["id"]


@then(parsers.parse('"{name}" is not eligible in a leader-talent round opened today, for "{code}"'))
def not_eligible(world, name, code):
    rid = _open_round(world, world.today, 1, GONGSHU, 1)
    e = ok(world.certs_city.get(f"/talent-rounds/{rid}/eligibility/{wid(world, name)}"))
    assert e["eligible"] is False and code in [r["code"] for r in e["reasons"]], e
    assert e["facts"]["assessments"].get(str(world.today.year - 1)) == "基本合格", e  # HR's grade, read here


@given(parsers.parse('a leader-talent round opened {days:d} days ago with {quota:d} place and {n:d} nominations '
                     'for "{district}"'))
def talent_round(world, ctx, days, quota, n, district):
    ctx["round_opened"] = world.day(-days)
    ctx["round"] = _open_round(world, ctx["round_opened"], quota, district, n)


@when(parsers.parse('"{name}" is nominated, scored, ranked and given a public notice starting {days:d} days ago'))
def through_the_round(world, ctx, name, days):
    path = f"/talent-rounds/{ctx['round']}"
    ok(world.certs.post(f"{path}/nominations", json={
        "worker_id": wid(world, name), "nominated_on": ctx["round_opened"].isoformat()}))
    ok(world.certs_city.post(f"{path}/close-nominations"))
    for expert in ("专家1", "专家2", "专家3"):
        ok(world.certs_city.post(f"{path}/scores", json={"expert": expert, "entries": [
            {"worker_id": wid(world, name), "scores": {c: "90" for c in CRITERIA}}]}))
    ok(world.certs_city.post(f"{path}/rank"))
    [nom] = ok(world.certs_city.get(f"{path}/nominations"))
    assert (nom["worker_id"], nom["outcome"]) == (wid(world, name), "selected"), nom
    ensure_years(world.live.api("certs", world.live.admin_token))  # the notice may reach a year not yet published
    ok(world.certs_city.post(f"{path}/notice", json={"starts_on": world.day(-days).isoformat()}))


@when("the city finalises the round today")
def finalise(world, ctx):
    ctx["designations"] = ok(world.certs_city.post(f"/talent-rounds/{ctx['round']}/finalise",
                                                   json={"on": world.today.isoformat()}))


@then(parsers.parse('"{name}" is a leader talent in certs for {years:d} years from today'))
def leader_talent(world, ctx, name, years):
    [d] = ctx["designations"]
    ends = years_before(world.today, -years) - timedelta(days=1)
    assert (d["worker_id"], d["term_starts_on"], d["term_ends_on"]) == (
        wid(world, name), world.today.isoformat(), ends.isoformat()), d
    ctx["term"] = (d["term_starts_on"], d["term_ends_on"])
    roster = ok(world.certs_city.get("/leader-talents"))
    assert wid(world, name) in [x["worker_id"] for x in roster["items"]]


@then(parsers.parse('training\'s roster shows "{name}" designated "{code}" for the same term'))
def training_designation(world, ctx, name, code):
    def designated(entry):
        return [(d["valid_from"], d["valid_until"]) for d in entry["designations"] if d["designation"] == code]

    entry = eventually(lambda: world.roster_entry(name), lambda e: designated(e), f"{name} designated {code}")
    assert designated(entry) == [ctx["term"]], entry


@then(parsers.parse('HR\'s record of "{name}" carries the "{kind}" designation for the same term'))
def hr_designation(world, ctx, name, kind):
    def designated(items):
        return [(d["term_starts_on"], d["term_ends_on"]) for d in items if d["kind"] == kind]

    items = eventually(lambda: ok(world.hr.api.get(f"/workers/{wid(world, name)}/designations")), designated,
                       f"{name} designated {kind} in HR", timeout=20)
    assert designated(items) == [ctx["term"]], items
    assert all(d["in_force"] for d in items if d["kind"] == kind), items


@then(parsers.parse('the payslip of "{name}" for next month carries the leader-talent allowance of {amount} yuan'))
def talent_allowance(world, name, amount):
    from shared.money import yuan

    slip = world.payslip(name, world.next_month())  # the term began today: next month lies within it (D-7)
    assert slip["talent_allowance"] == yuan(amount), slip


@then(parsers.parse('"{name}" holds a seat in the leader-talent session'))
def seated_in_leader(world, ctx, name):
    _holds_seat(world, ctx, name, "leader_talent")


# --- the scheduler and the daily registration check (D-5) ----------------------------------


def _job_key(world, which: str) -> tuple[str, str]:
    day = {"today": world.today, "yesterday": world.day(-1)}[which]
    return day.isoformat(), f"job:registration_check:{day}"


@given("the scheduler has sent today's registration check and the certs worker has run it")
def scheduler_ran(world):
    _, key = _job_key(world, "today")
    eventually(lambda: world.inbox("certs", key), lambda h: h == ["registration_check"],
               "today's registration_check claimed in certs' inbox")


@when(parsers.parse("the registration check for {which} is sent to certs"))
@when(parsers.parse("the registration check for {which} is sent to certs again"))
def send_check(world, which):
    period, _ = _job_key(world, which)
    world.send_job("certs", "registration_check", period)


@then(parsers.parse('the registration of "{name}" has lapsed'))
def lapsed(world, name):
    regs = eventually(lambda: world.registrations(name), lambda rs: rs[-1]["ended"] == "lapsed",
                      f"{name}'s registration marked lapsed")
    assert regs[-1]["ended_on"] == (date.fromisoformat(regs[-1]["valid_until"]) + timedelta(days=1)).isoformat()


@then(parsers.parse('certs has published registration.lapsed for "{name}" once'))
def lapse_published(world, name):
    events = [p for _, p in world.outbox("certs", "registration.lapsed") if p["worker_id"] == wid(world, name)]
    assert [e["certificate_id"] for e in events] == [world.certificates[name]], events


@then(parsers.parse('the registration of "{name}" has not been marked lapsed'))
def not_marked(world, name):
    [reg] = world.registrations(name)
    assert reg["ended"] is None and reg["state"] == "lapsed", reg  # past its last day, but no job marked it
    assert not [p for _, p in world.outbox("certs", "registration.lapsed") if p["worker_id"] == wid(world, name)]


@then("certs' inbox holds each of the two checks once")
def checks_once(world):
    for which in ("yesterday", "today"):
        _, key = _job_key(world, which)
        assert world.inbox("certs", key) == ["registration_check"], key
