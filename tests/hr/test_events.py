"""HR's worker side: certs' events through the inbox. talent.selected puts the
leader-talent designation on the HR record and its allowance on the term's
payslips (D-7); certificate events delivered out of order leave the latest
registration in force (D-3)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hr_service.actors import event_handlers
from hr_service.tables import WorkerCertificate
from shared.events import CertificateRegistered, Event, RegistrationLapsed, TalentSelected, to_message
from shared.inbox import consume
from tests.hr.communities import register
from tests.hr.helpers import GONGSHU, XIHU, hire, service

ALLOWANCE = 100_000  # D-7: 1000 yuan a month


def deliver(suite, event: Event) -> int:
    svc = service(suite)
    return consume(svc.db, svc.infra.inbox, to_message(event), event_handlers(svc))


def selected(worker_id: int, round_id: int = 9, starts=date(2025, 3, 15), ends=date(2028, 3, 14),
             allowance=ALLOWANCE) -> TalentSelected:
    return TalentSelected(worker_id=worker_id, jurisdiction=GONGSHU, round_id=round_id, term_starts_on=starts,
                          term_ends_on=ends, allowance_fen=allowance)


# --- talent.selected (D-7) -----------------------------------------------------------------


def test_a_selected_talent_is_designated_on_the_hr_record_once(suite):
    admin = suite.hr.as_(suite.admin_token)
    w, other = hire(admin)["id"], hire(admin, name="乙")["id"]
    event = selected(w)
    assert deliver(suite, event) == 1
    assert deliver(suite, event) == 0  # the same message again: skipped by the inbox
    [d] = admin.get(f"/workers/{w}/designations").json()
    assert (d["kind"], d["round_id"], d["term_starts_on"], d["term_ends_on"], d["allowance_fen"],
            d["source_event_id"]) == ("leader_talent", 9, "2025-03-15", "2028-03-14", ALLOWANCE, event.event_id)
    assert admin.get(f"/workers/{other}/designations").json() == []
    # the same round published again (a new event id) updates the row rather than adding one
    assert deliver(suite, selected(w, ends=date(2028, 3, 31))) == 1
    [d] = admin.get(f"/workers/{w}/designations").json()
    assert d["term_ends_on"] == "2028-03-31"
    # a later round adds a second designation, listed by term
    deliver(suite, selected(w, round_id=12, starts=date(2028, 4, 1), ends=date(2031, 3, 31)))
    assert [x["round_id"] for x in admin.get(f"/workers/{w}/designations").json()] == [9, 12]


def test_designations_are_seen_by_the_worker_and_officers_in_jurisdiction_only(suite):
    admin = suite.hr.as_(suite.admin_token)
    w, other = hire(admin)["id"], hire(admin, name="乙")["id"]
    deliver(suite, selected(w))
    deliver(suite, selected(other))
    me = suite.hr.as_(suite.create_user("wf", "worker", GONGSHU, worker_id=w))
    assert [d["round_id"] for d in me.get("/me/designations").json()] == [9]
    assert me.get(f"/workers/{w}/designations").status_code == 200
    r = me.get(f"/workers/{other}/designations")
    assert r.status_code == 404 and r.json()["code"] == "not_found"  # D-8: another person's record
    gongshu = suite.hr.as_(suite.create_user("gs", "hr_officer", GONGSHU))
    xihu = suite.hr.as_(suite.create_user("xh", "hr_officer", XIHU))
    assert len(gongshu.get(f"/workers/{w}/designations").json()) == 1
    assert xihu.get(f"/workers/{w}/designations").status_code == 404
    assert admin.get("/me/designations").status_code == 404  # an officer has no worker record
    assert admin.get("/workers/999999/designations").status_code == 404


def test_the_allowance_is_paid_in_the_months_of_the_term(suite):
    """Paid when the term covers the month's last day: a term from 15 March 2025
    to 14 March 2028 pays March 2025 to February 2028, 36 months."""
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, post="正职", grade=12)["id"]  # paid above the S0-2 floor, so no top-up absorbs it
    before = {m: admin.get(f"/workers/{w}/payslips/{m}").json() for m in ("2025-02", "2025-03")}
    assert before["2025-03"]["talent_allowance"] == 0
    deliver(suite, selected(w))
    slips = {m: admin.get(f"/workers/{w}/payslips/{m}").json()
             for m in ("2025-02", "2025-03", "2026-07", "2028-02", "2028-03")}
    assert {m: s["talent_allowance"] for m, s in slips.items()} == {
        "2025-02": 0, "2025-03": ALLOWANCE, "2026-07": ALLOWANCE, "2028-02": ALLOWANCE, "2028-03": 0}
    march = slips["2025-03"]
    assert march["status"] == "preview"
    assert march["floor_top_up"] == 0
    assert march["gross"] == before["2025-03"]["gross"] + ALLOWANCE  # part of pay and welfare
    assert march["gross"] == (march["grade_pay"] + march["welfare"] + march["certificate_allowance"]
                              + march["service_allowance"] + march["talent_allowance"] + march["bonus_share"]
                              + march["floor_top_up"])
    assert slips["2025-02"]["gross"] == before["2025-02"]["gross"]


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_the_pay_run_pays_the_allowance(request, backend):
    suite = request.getfixturevalue(backend)
    admin = suite.hr.as_(suite.admin_token)
    register(admin, "GS-050")  # a pool of its own
    talent = hire(admin, post="正职", grade=12, community_code="GS-050")["id"]
    peer = hire(admin, name="乙", post="正职", grade=12, community_code="GS-050")["id"]
    deliver(suite, selected(talent))
    deliver(suite, selected(talent, round_id=10, allowance=60_000))  # overlapping terms: the highest is paid
    totals = {}
    for month in ("2025-02", "2025-03"):
        r = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": month})
        assert r.status_code == 201, r.text
        run = r.json()
        totals[month] = run["totals"]
        slips = {s["worker_id"]: s for s in admin.get(f"/pay-runs/{run['id']}/payslips").json()["items"]}
        want = ALLOWANCE if month == "2025-03" else 0
        assert (slips[talent]["talent_allowance"], slips[peer]["talent_allowance"]) == (want, 0)
        assert slips[talent]["gross"] - slips[peer]["gross"] == want  # same grade and pool share otherwise
        # the stored payslip is what the worker's own view shows
        own = admin.get(f"/workers/{talent}/payslips/{month}").json()
        assert {k: v for k, v in own.items() if k not in ("id", "lines")} == {**slips[talent], "status": "draft",
                                                                             "adjustments": []}
        talent_lines = [line["amount"] for line in own["lines"] if line["kind"] == "talent_allowance"]
        assert talent_lines == ([want] if want else [])  # D-16: a line only for an allowance paid
    assert (totals["2025-02"]["talent_allowance"], totals["2025-03"]["talent_allowance"]) == (0, ALLOWANCE)


# --- certificate events out of order (D-3) -------------------------------------------------


def registered(wid: int, on: date, until: date, level: str = "社会工作师", cert: int = 77) -> CertificateRegistered:
    return CertificateRegistered(worker_id=wid, jurisdiction=GONGSHU, certificate_id=cert, level=level,
                                 registered_on=on, valid_until=until)


def lapsed(wid: int, on: date, level: str = "社会工作师", cert: int = 77) -> RegistrationLapsed:
    return RegistrationLapsed(worker_id=wid, jurisdiction=GONGSHU, certificate_id=cert, level=level, lapsed_on=on)


def _allowances(admin, wid: int, months: list[str]) -> dict[str, int]:
    return {m: admin.get(f"/workers/{wid}/payslips/{m}").json()["certificate_allowance"] for m in months}


# A first registration 2021-03-01 to 2024-02-29 lapses on 2024-03-01 (certs dates
# a lapse the day after valid_until); a restoring registration on 2024-06-10 runs
# to 2027-06-09.
FIRST = (date(2021, 3, 1), date(2024, 2, 29))
LAPSE = date(2024, 3, 1)
RESTORED = (date(2024, 6, 10), date(2027, 6, 9))
@pytest.mark.parametrize("order", [
    ("first", "lapse", "restored"),  # as published
    ("restored", "lapse", "first"),  # the newest first
    ("first", "restored", "lapse"),  # the lapse after the restoring registration
    ("lapse", "restored", "first"),
])
def test_certificate_events_in_any_order_end_with_the_latest_registration(suite, order):
    """Whatever the order, the restoring registration is the one recorded and the old lapse does not stop it."""
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, hired_on="2020-03-01")["id"]
    events = {"first": registered(w, *FIRST), "lapse": lapsed(w, LAPSE), "restored": registered(w, *RESTORED)}
    for name in order:
        assert deliver(suite, events[name]) == 1
    # HR keeps the certificate's current registration: paid from the restoring one on, not while lapsed
    assert _allowances(admin, w, ["2024-05", "2024-06", "2025-01", "2027-05", "2027-06"]) == {
        "2024-05": 0, "2024-06": 40_000, "2025-01": 40_000, "2027-05": 40_000, "2027-06": 0}
    with service(suite).db.read_session() as s:
        row = s.execute(select(WorkerCertificate).where(WorkerCertificate.certificate_id == 77)).scalar_one()
        assert (row.registered_on, row.valid_until, row.lapsed_on) == (*RESTORED, None)


def test_a_stale_lapse_does_not_stop_a_later_registration(suite):
    """A registration handled before the lapse of an earlier cycle keeps the
    allowance going; a lapse after it began stops it."""
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, hired_on="2020-03-01")["id"]
    deliver(suite, registered(w, date(2024, 12, 1), date(2028, 2, 29)))  # a later registration, to 2028
    deliver(suite, lapsed(w, LAPSE))  # an older cycle's lapse, late
    deliver(suite, registered(w, *FIRST))  # the older registration, later still
    assert _allowances(admin, w, ["2025-01", "2027-12"]) == {"2025-01": 40_000, "2027-12": 40_000}
    deliver(suite, lapsed(w, date(2026, 5, 20)))  # its own lapse, even before valid_until
    assert _allowances(admin, w, ["2026-04", "2026-05"]) == {"2026-04": 40_000, "2026-05": 0}


def test_a_late_copy_of_a_lapsed_registration_does_not_undo_the_lapse(suite):
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, hired_on="2020-03-01")["id"]
    deliver(suite, registered(w, *FIRST))
    assert _allowances(admin, w, ["2024-01"]) == {"2024-01": 40_000}
    deliver(suite, lapsed(w, LAPSE))
    deliver(suite, registered(w, *FIRST))  # the same registration again, under a new event id
    with service(suite).db.read_session() as s:
        assert s.execute(select(WorkerCertificate.lapsed_on)).scalar_one() == LAPSE


def test_certs_sends_talent_selected_to_hr():
    from deploy import topology

    assert "hr" in topology.subscribers()["talent.selected"]
    assert "talent.selected" in event_handlers(None)  # the worker registers the handler
