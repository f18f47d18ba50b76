"""HR's and certs' events feed training's roster: hired, left, talent selected.
Each handler runs in the inbox transaction; a repeat delivery has no effect."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from deploy.services import make_service
from shared.events import TalentSelected, WorkerHired, WorkerLeft, to_message
from shared.inbox import consume
from tests.training.helpers import GONGSHU, add_worker, enrol, programme, session
from training_service.actors import event_handlers

AT = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def deliver(suite):
    svc = make_service("training", suite.settings)
    handlers = event_handlers(svc)

    def _deliver(event) -> int:
        return consume(svc.db, svc.infra.inbox, to_message(event), handlers)

    yield _deliver
    svc.db.dispose()


def hired(worker_id: int, **over) -> WorkerHired:
    body = dict(worker_id=worker_id, name="新人", post="委员", grade=1, community_code="GS001",
                jurisdiction=GONGSHU, hired_on=date(2025, 3, 1), occurred_at=AT)
    return WorkerHired(**{**body, **over})


def test_a_hire_joins_the_roster_and_the_earliest_open_induction_session(coordinator, deliver):
    induction = programme(coordinator, title="新入职社区工作者岗前培训", tier="induction", category="induction",
                          hours="24")
    past = session(coordinator, induction["id"], start="2025-02-10T09:00:00", end="2025-02-12T17:00:00")
    full = session(coordinator, induction["id"], capacity=1, start="2025-03-10T09:00:00", end="2025-03-12T17:00:00")
    later = session(coordinator, induction["id"], start="2025-04-07T09:00:00", end="2025-04-09T17:00:00")
    enrol(coordinator, full["id"], add_worker(coordinator, "先到"))
    event = hired(7001)
    assert deliver(event) == 1
    entry = coordinator.get("/roster/7001").json()
    assert (entry["name"], entry["post"], entry["hired_on"], entry["probation_ends_on"]) == (
        "新人", "委员", "2025-03-01", "2025-08-31")  # six months' probation (D-4)
    places = coordinator.get("/workers/7001/enrolments").json()
    assert [(e["session_id"], e["status"]) for e in places] == [(later["id"], "enrolled")]
    assert past["id"] != later["id"]
    assert deliver(event) == 0  # the same event again: skipped by the inbox
    assert len(coordinator.get("/workers/7001/enrolments").json()) == 1


def test_a_hire_goes_on_the_waitlist_when_every_induction_session_is_full(coordinator, deliver):
    induction = programme(coordinator, tier="induction", category="induction")
    full = session(coordinator, induction["id"], capacity=1, start="2025-03-10T09:00:00", end="2025-03-10T17:00:00")
    enrol(coordinator, full["id"], add_worker(coordinator, "先到"))
    deliver(hired(7002, probation_ends_on=date(2025, 6, 30)))
    assert coordinator.get("/roster/7002").json()["probation_ends_on"] == "2025-06-30"
    assert [e["status"] for e in coordinator.get("/workers/7002/enrolments").json()] == ["waitlisted"]


def test_induction_is_offered_only_within_probation(coordinator, deliver):
    """D-6: induction within the probation period, so no later session is chosen."""
    induction = programme(coordinator, tier="induction", category="induction")
    session(coordinator, induction["id"], start="2025-07-07T09:00:00", end="2025-07-07T17:00:00")
    deliver(hired(7005, probation_ends_on=date(2025, 6, 30)))
    assert coordinator.get("/workers/7005/enrolments").json() == []
    within = session(coordinator, induction["id"], start="2025-06-30T09:00:00", end="2025-06-30T17:00:00")
    deliver(hired(7006, probation_ends_on=date(2025, 6, 30)))
    assert [e["session_id"] for e in coordinator.get("/workers/7006/enrolments").json()] == [within["id"]]


def test_a_hire_without_an_open_induction_session_is_only_on_the_roster(coordinator, deliver):
    deliver(hired(7003))
    assert coordinator.get("/roster/7003").status_code == 200
    assert coordinator.get("/workers/7003/enrolments").json() == []


def test_a_leaver_gives_up_open_places_and_the_waitlist_moves_up(coordinator, deliver):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=1, start="2025-05-12T09:00:00", end="2025-05-12T17:00:00")
    deliver(hired(7004))
    waiting = add_worker(coordinator, "候补")
    enrol(coordinator, s["id"], 7004), enrol(coordinator, s["id"], waiting)
    deliver(WorkerLeft(worker_id=7004, jurisdiction=GONGSHU, left_on=date(2025, 4, 30), reason="辞职", occurred_at=AT))
    assert coordinator.get("/roster/7004").json()["status"] == "left"
    mine = coordinator.get("/workers/7004/enrolments").json()
    assert [(e["status"], e["cancel_reason"]) for e in mine] == [("cancelled", "worker left: 辞职")]
    assert [e["status"] for e in coordinator.get(f"/workers/{waiting}/enrolments").json()] == ["enrolled"]
    r = enrol(coordinator, s["id"], 7004)
    assert r.status_code == 422 and r.json()["code"] == "worker_not_active"


def test_a_selected_talent_gets_the_designation_and_the_leader_programme(coordinator, deliver):
    leaders = programme(coordinator, title="领军人才专项培训", tier="leader_talent", category="leader_talent",
                        location="other_city")
    trip = session(coordinator, leaders["id"], start="2025-09-15T09:00:00", end="2025-09-19T17:00:00")
    w = add_worker(coordinator, "人才", post="副职")
    assert enrol(coordinator, trip["id"], w).status_code == 422
    deliver(TalentSelected(worker_id=w, jurisdiction=GONGSHU, round_id=1, term_starts_on=date(2025, 7, 1),
                           term_ends_on=date(2028, 6, 30), allowance_fen=100000, occurred_at=AT))
    entry = coordinator.get(f"/roster/{w}").json()
    assert [(d["designation"], d["valid_from"], d["valid_until"]) for d in entry["designations"]] == [
        ("leader_talent", "2025-07-01", "2028-06-30")]
    assert [(e["session_id"], e["status"]) for e in coordinator.get(f"/workers/{w}/enrolments").json()] == [
        (trip["id"], "enrolled")]


def test_the_designation_counts_only_during_its_term(coordinator, deliver):
    leaders = programme(coordinator, tier="leader_talent", category="leader_talent")
    after_term = session(coordinator, leaders["id"], start="2029-03-01T09:00:00", end="2029-03-01T17:00:00")
    w = add_worker(coordinator, "人才", post="副职")
    deliver(TalentSelected(worker_id=w, jurisdiction=GONGSHU, round_id=1, term_starts_on=date(2025, 7, 1),
                           term_ends_on=date(2028, 6, 30), allowance_fen=100000, occurred_at=AT))
    r = enrol(coordinator, after_term["id"], w)
    assert r.status_code == 422 and r.json()["clause"] == "S2-6"
