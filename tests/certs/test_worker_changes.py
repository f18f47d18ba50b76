"""HR's worker.changed on the certs profile (D-11): jurisdiction, community and
status follow the change; only a newer change is applied; a change for a
worker without a profile yet fails so that it is retried."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from certs_service.store import WorkerNotYetKnown
from shared.events import WorkerChanged, WorkerHired
from tests.certs.support import ASSISTANT, CITY, GONGSHU, XIHU, Certs, id_number


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def hired(wid: int, **over) -> WorkerHired:
    body = dict(worker_id=wid, name="王芳", post="委员", grade=1, community_code="GS001", jurisdiction=GONGSHU,
                hired_on=date(2018, 3, 1))
    return WorkerHired(**{**body, **over})


def changed(wid: int, change_id: int, **over) -> WorkerChanged:
    body = dict(worker_id=wid, change_id=change_id, kind="transfer", effective_on=date(2026, 3, 1),
                jurisdiction=GONGSHU, community_code="GS001", post="委员", grade=1, status="active")
    return WorkerChanged(**{**body, **over})


def profile(certs, wid: int) -> dict:
    r = certs.officer(CITY).get(f"/profiles/{wid}")
    assert r.status_code == 200, r.text
    return r.json()


def test_a_hire_carries_the_community_and_the_probation(certs):
    certs.deliver(hired(601, probation_ends_on=date(2018, 8, 31)))
    p = profile(certs, 601)
    assert (p["community_code"], p["status"]) == ("GS001", "probation")
    certs.deliver(hired(602, community_code=None))
    assert profile(certs, 602)["status"] == "active"


def test_a_transfer_moves_the_profile_to_the_new_district(certs):
    certs.deliver(hired(603, probation_ends_on=date(2018, 8, 31)))
    xihu = certs.officer(XIHU)
    assert xihu.get("/profiles/603").status_code == 404
    assert certs.deliver(changed(603, 5, jurisdiction=XIHU, community_code="XH007", from_jurisdiction=GONGSHU,
                                 from_community_code="GS001", status="active", from_status="probation")) == 1
    p = xihu.get("/profiles/603").json()
    assert (p["jurisdiction"], p["community_code"], p["status"]) == (XIHU, "XH007", "active")
    assert certs.officer(GONGSHU).get("/profiles/603").status_code == 404  # no longer Gongshu's (D-8)
    r = xihu.post("/profiles/603/real-name", json={"name": "王芳", "id_number": id_number(603)})
    assert r.status_code == 200, r.text  # the new district's officer now writes it


def test_an_older_or_repeated_change_is_a_no_op(certs):
    certs.deliver(hired(604))
    certs.deliver(changed(604, 9, community_code="GS002"))
    certs.deliver(changed(604, 8, jurisdiction=XIHU, community_code="XH001"))  # older
    certs.deliver(changed(604, 9, jurisdiction=XIHU, community_code="XH002"))  # the same change again
    p = profile(certs, 604)
    assert (p["jurisdiction"], p["community_code"]) == (GONGSHU, "GS002")
    certs.deliver(changed(604, 10, community_code="GS003"))
    assert profile(certs, 604)["community_code"] == "GS003"


def test_a_change_before_the_hire_fails_and_is_applied_when_retried(certs):
    early = changed(605, 12, community_code="GS004")
    with pytest.raises(WorkerNotYetKnown):
        certs.deliver(early)
    inbox = certs.svc.infra.inbox
    with certs.svc.db.read_session() as s:
        claimed = s.execute(select(func.count()).select_from(inbox).where(inbox.c.event_id == early.event_id))
        assert claimed.scalar_one() == 0  # rolled back with the handler: a retry runs it
    assert certs.officer(CITY).get("/profiles/605").status_code == 404
    certs.deliver(hired(605))
    assert certs.deliver(early) == 1
    assert profile(certs, 605)["community_code"] == "GS004"


def test_leaving_closes_registrations_and_reinstatement_reopens_the_profile(certs):
    wid = certs.worker("李娜")
    certs.certified("李娜", ASSISTANT, "2025-09-01")
    certs.registered("李娜", "2025-10-01")
    certs.deliver(changed(wid, 20, kind="probation_ended", status="left", effective_on=date(2026, 3, 31)))
    p = profile(certs, wid)
    assert (p["status"], p["left_on"]) == ("left", "2026-03-31")
    [reg] = certs.officer().get(f"/certificates/{certs.certificates['李娜']}/registrations").json()
    assert (reg["ended"], reg["ended_on"]) == ("closed", "2026-03-31")
    assert certs.register("李娜", "2026-04-10").json()["code"] == "worker_left"

    certs.deliver(changed(wid, 21, kind="reinstated", status="active", from_status="left",
                          effective_on=date(2026, 4, 15)))
    p = profile(certs, wid)
    assert (p["status"], p["left_on"]) == ("active", None)
    # after a close on leaving, the holder registers again with the closed cycle's hours (D-5)
    assert certs.register("李娜", "2026-04-20").json()["code"] == "cpd_hours_short"
