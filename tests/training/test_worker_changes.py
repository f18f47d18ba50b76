"""HR's worker.changed on training's roster (D-11): post, community,
jurisdiction, status and probation follow the change; only a newer change is
applied; a change for a worker not yet hired here fails so that it is retried."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from deploy.services import make_service
from shared.events import WorkerChanged, WorkerHired, to_message
from shared.inbox import consume
from tests.training.helpers import GONGSHU, XIHU, add_worker, enrol, programme, session
from training_service.actors import event_handlers
from training_service.store import WorkerNotYetKnown

AT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def svc(suite):
    service = make_service("training", suite.settings)
    yield service
    service.db.dispose()


@pytest.fixture
def deliver(svc):
    handlers = event_handlers(svc)

    def _deliver(event) -> int:
        return consume(svc.db, svc.infra.inbox, to_message(event), handlers)

    return _deliver


def hired(worker_id: int, **over) -> WorkerHired:
    body = dict(worker_id=worker_id, name="社工", post="委员", grade=1, community_code="GS001",
                jurisdiction=GONGSHU, hired_on=date(2015, 3, 1), probation_ends_on=date(2015, 8, 31), occurred_at=AT)
    return WorkerHired(**{**body, **over})


def changed(worker_id: int, change_id: int, **over) -> WorkerChanged:
    body = dict(worker_id=worker_id, change_id=change_id, kind="post_change", effective_on=date(2026, 3, 1),
                jurisdiction=GONGSHU, community_code="GS001", post="委员", grade=1, status="active",
                occurred_at=AT)
    return WorkerChanged(**{**body, **over})


def kinds(api, worker_id: int, year: int = 2026, as_of: str = "2026-03-02") -> list[str]:
    r = api.get(f"/workers/{worker_id}/obligations", params={"year": year, "as_of": as_of})
    assert r.status_code == 200, r.text
    return [o["kind"] for o in r.json()["obligations"]]


def test_a_move_to_director_brings_the_seven_days_and_the_directors_classes(coordinator, deliver):
    """D-6: secretaries/directors owe 7 days of centralised training a year; the tier is theirs (S0-4)."""
    lead_goose = programme(coordinator, title="领头雁书记主任班", tier="secretary_director", category="party_school")
    s = session(coordinator, lead_goose["id"], start="2026-05-12T09:00:00", end="2026-05-12T17:00:00")
    deliver(hired(7101))
    assert kinds(coordinator, 7101) == ["periodic_programme"]
    assert enrol(coordinator, s["id"], 7101).json()["code"] == "not_eligible_for_tier"
    assert deliver(changed(7101, 10, post="正职", from_post="委员", grade=7)) == 1
    assert coordinator.get("/roster/7101").json()["post"] == "正职"
    assert kinds(coordinator, 7101) == ["annual_days"]
    assert enrol(coordinator, s["id"], 7101).status_code == 201


def test_a_move_off_director_no_longer_owes_the_seven_days(coordinator, deliver):
    deliver(hired(7102, post="正职", grade=7))
    assert kinds(coordinator, 7102) == ["annual_days"]
    deliver(changed(7102, 11, post="副职", from_post="正职", grade=4))
    assert kinds(coordinator, 7102) == ["periodic_programme"]
    report = coordinator.get("/reports/compliance", params={"year": 2026, "as_of": "2026-03-02"}).json()
    assert {r["kind"] for r in report["rows"] if r["worker_id"] == 7102} == {"periodic_programme"}


def test_a_transfer_moves_the_worker_to_the_new_districts_coordinator(suite, coordinator, deliver):
    xihu = suite.api("training", suite.create_user("tc-xihu-t", "training_coordinator", XIHU))
    deliver(hired(7103))
    assert xihu.get("/roster/7103").status_code == 404
    deliver(changed(7103, 12, kind="transfer", jurisdiction=XIHU, community_code="XH007",
                    from_jurisdiction=GONGSHU, from_community_code="GS001"))
    entry = xihu.get("/roster/7103").json()
    assert (entry["jurisdiction"], entry["community_code"], entry["status"]) == (XIHU, "XH007", "active")
    assert coordinator.get("/roster/7103").status_code == 404  # no longer Gongshu's (D-8)
    assert 7103 in [r["worker_id"] for r in xihu.get("/roster").json()["items"]]


def test_an_older_or_repeated_change_is_a_no_op(coordinator, deliver):
    deliver(hired(7104))
    assert deliver(changed(7104, 20, post="副职")) == 1
    stale = changed(7104, 19, post="正职", community_code="GS999")
    assert deliver(stale) == 1  # the handler ran (its inbox row is written) but changed nothing
    again = changed(7104, 20, post="正职")  # the same change id under another event id
    assert deliver(again) == 1
    entry = coordinator.get("/roster/7104").json()
    assert (entry["post"], entry["community_code"]) == ("副职", "GS001")
    assert deliver(changed(7104, 21, post="正职")) == 1
    assert coordinator.get("/roster/7104").json()["post"] == "正职"


def inbox_rows(svc, event_id: str) -> int:
    with svc.db.read_session() as s:
        return s.execute(select(func.count()).select_from(svc.infra.inbox)
                         .where(svc.infra.inbox.c.event_id == event_id)).scalar_one()


def test_a_change_before_the_hire_fails_and_is_applied_when_retried(coordinator, deliver, svc):
    early = changed(7105, 30, kind="transfer", community_code="GS002")
    with pytest.raises(WorkerNotYetKnown):
        deliver(early)
    assert inbox_rows(svc, early.event_id) == 0  # the claim rolled back with the handler: a retry runs it
    assert coordinator.get("/roster/7105").status_code == 404
    deliver(hired(7105))
    assert deliver(early) == 1
    assert coordinator.get("/roster/7105").json()["community_code"] == "GS002"
    assert inbox_rows(svc, early.event_id) == 1


def test_leaving_closes_the_entry_and_reinstatement_reopens_it(coordinator, deliver):
    p = programme(coordinator)
    s = session(coordinator, p["id"], capacity=1, start="2026-06-02T09:00:00", end="2026-06-02T17:00:00")
    deliver(hired(7106))
    waiting = add_worker(coordinator, "候补")
    enrol(coordinator, s["id"], 7106), enrol(coordinator, s["id"], waiting)
    deliver(changed(7106, 40, kind="probation_ended", status="left", from_status="probation",
                    effective_on=date(2026, 3, 31), reason="试用期不合格"))
    entry = coordinator.get("/roster/7106").json()
    assert (entry["status"], entry["left_on"]) == ("left", "2026-03-31")
    mine = coordinator.get("/workers/7106/enrolments").json()
    assert [(e["status"], e["cancel_reason"]) for e in mine] == [("cancelled", "worker left: 试用期不合格")]
    assert [e["status"] for e in coordinator.get(f"/workers/{waiting}/enrolments").json()] == ["enrolled"]
    assert enrol(coordinator, s["id"], 7106).json()["code"] == "worker_not_active"
    report = coordinator.get("/reports/compliance", params={"year": 2026, "as_of": "2026-04-02"}).json()
    assert 7106 not in {r["worker_id"] for r in report["rows"]}

    deliver(changed(7106, 41, kind="reinstated", status="active", from_status="left",
                    effective_on=date(2026, 4, 15)))
    entry = coordinator.get("/roster/7106").json()
    assert (entry["status"], entry["left_on"]) == ("active", None)
    assert enrol(coordinator, s["id"], 7106).json()["status"] == "waitlisted"


def test_a_probation_decision_moves_the_induction_due_date(coordinator, deliver):
    """D-6 induction within probation: an extended probation is the new due date."""
    deliver(hired(7107, hired_on=date(2026, 1, 5), probation_ends_on=date(2026, 7, 4)))
    deliver(changed(7107, 50, kind="probation_extended", status="probation", probation_ends_on=date(2026, 10, 4)))
    ob = coordinator.get("/workers/7107/obligations", params={"year": 2026, "as_of": "2026-08-01"}).json()
    induction = [o for o in ob["obligations"] if o["kind"] == "induction"]
    assert [(o["status"], o["due_on"]) for o in induction] == [("open", "2026-10-04")]
    deliver(changed(7107, 51, kind="transfer", status="probation", community_code="GS003"))  # says no probation end
    assert coordinator.get("/roster/7107").json()["probation_ends_on"] == "2026-10-04"


@pytest.mark.postgres
def test_a_change_on_postgres(pg_suite):
    """The same handler on PostgreSQL: the row lock, the stale change, the retry after the hire."""
    svc = make_service("training", pg_suite.settings)
    try:
        handlers = event_handlers(svc)

        def deliver(event) -> int:
            return consume(svc.db, svc.infra.inbox, to_message(event), handlers)

        with pytest.raises(WorkerNotYetKnown):
            deliver(changed(7201, 60, post="正职"))
        deliver(hired(7201))
        assert deliver(changed(7201, 61, post="正职", jurisdiction=XIHU)) == 1
        assert deliver(changed(7201, 60, post="副职")) == 1  # older: no effect
        coordinator = pg_suite.api("training", pg_suite.create_user("tc-xihu-pg", "training_coordinator", XIHU))
        entry = coordinator.get("/roster/7201").json()
        assert (entry["post"], entry["jurisdiction"]) == ("正职", XIHU)
    finally:
        svc.db.dispose()
