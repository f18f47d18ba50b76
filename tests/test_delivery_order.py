"""Order per entity (docs/events.md): events about one worker are applied in
the order HR published them, whatever order the consumer's threads take them
in. Hundreds of hire-then-leave and change-then-change pairs go through a
real Redis to training's and certs' real consumers, eight threads each."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from shared.events import WorkerChanged
from shared.outbox import wait_until
from tests.support.delivery import JURISDICTION, Flow, hired, left

PAIRS = 200


def transfer(worker_id: int, change_id: int, community: str) -> WorkerChanged:
    return WorkerChanged(worker_id=worker_id, change_id=change_id, kind="transfer", effective_on=date(2026, 4, 1),
                         jurisdiction=JURISDICTION, community_code=community, post="委员", grade=1, status="active")


@pytest.fixture
def flow(settings, redis_url):
    f = Flow(settings, redis_url, threads=8)
    yield f
    f.close()


def communities(flow: Flow, service: str, table: str) -> dict[int, str | None]:
    t = flow.service(service).infra.outbox.metadata.tables[table]
    with flow.service(service).db.read_session() as s:
        return dict(s.execute(select(t.c.worker_id, t.c.community_code)).all())


def test_hire_then_leave_and_change_then_change_end_in_their_final_state(flow):
    leavers = range(1, PAIRS + 1)
    movers = range(10_001, 10_001 + PAIRS // 2)
    for w in movers:  # hired first, so that only the two transfers race
        flow.publish("hr", hired(w, "GS001"))
    for w in leavers:  # each event its own transaction, as HR writes them
        flow.publish("hr", hired(w))
        flow.publish("hr", left(w))
    for i, w in enumerate(movers):
        flow.publish("hr", transfer(w, 2 * i + 1, "GS002"))
        flow.publish("hr", transfer(w, 2 * i + 2, "GS003"))
    flow.start_consumers()
    flow.start_relays()
    total = len(leavers) + len(movers)

    published = len(movers) * 3 + len(leavers) * 2

    def applied(service: str) -> int:
        """How many of the workers' events ``service`` has applied: the sum of its stream positions."""
        t = flow.service(service).infra.event_stream
        with flow.service(service).db.read_session() as s:
            return s.execute(select(func.coalesce(func.sum(t.c.last_seq), 0))).scalar_one()

    def settled() -> bool:
        return applied("training") == published and applied("certs") == published

    assert wait_until(settled, timeout=60, step=0.25)
    for service, table in (("training", "roster_worker"), ("certs", "profile")):
        status = flow.statuses(service, table)
        assert [w for w in leavers if status[w] != "left"] == [], f"{service}: a hire after its leave reactivated"
        assert {communities(flow, service, table)[w] for w in movers} == {"GS003"}, f"{service}: an older transfer won"
        assert flow.count(service, "event_stream") == total and flow.count(service, "parked_event") == 0
