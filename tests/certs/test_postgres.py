"""The certs service on PostgreSQL: the same API, the same answers."""
from __future__ import annotations

import pytest

from tests.certs.support import ASSISTANT, CITY, GONGSHU, Certs, eligible_worker, holders, score_sheet

pytestmark = pytest.mark.postgres


@pytest.fixture
def certs(pg_suite):
    c = Certs(pg_suite)
    yield c
    c.close()


def test_registration_cycle_statistics_and_a_round_on_postgres(certs):
    certs.worker("王芳")
    certs.certified("王芳", ASSISTANT, "2021-09-01")
    certs.registered("王芳", "2021-10-01")
    assert certs.register("王芳", "2024-06-30").json()["code"] == "outside_renewal_window"
    assert certs.cpd("王芳", "71.5", "2023-01-01").status_code == 201
    assert certs.register("王芳", "2024-07-01").json()["extra"]["counted_hours"] == "71.50"
    assert certs.cpd("王芳", "0.5", "2023-01-02").status_code == 201
    assert certs.registered("王芳", "2024-07-01")["valid_until"] == "2027-09-30"
    certs.run_job("registration_check", "2024-10-01")
    assert certs.outbox("registration.lapsed") == []  # the first cycle was renewed
    certs.run_job("registration_check", "2027-10-01")
    assert [e["lapsed_on"] for e in certs.outbox("registration.lapsed")] == ["2027-10-01"]

    city = certs.officer(CITY)
    assert city.post("/certificates/import", json={"items": holders(8307, 6633, "2016-06-30")}).status_code == 201
    body = city.get("/statistics/holders", params={"as_of": "2016-12-31"}).json()
    assert (body["holders"], body["community_share_percent"]) == (8307, "79.85")

    rid = city.post("/talent-rounds", json={"name": "x", "jurisdiction": CITY, "city_quota": 1,
                                            "opened_on": "2025-03-01", "district_quotas": {GONGSHU: 1}}).json()["id"]
    a, b = eligible_worker(certs, "甲", GONGSHU), eligible_worker(certs, "乙", GONGSHU)
    assert certs.officer().post(f"/talent-rounds/{rid}/nominations", json={"worker_id": a}).status_code == 201
    r = certs.officer().post(f"/talent-rounds/{rid}/nominations", json={"worker_id": b})
    assert r.status_code == 409 and r.json()["code"] == "district_quota_full"
    city.post(f"/talent-rounds/{rid}/close-nominations")
    for e in ("e1", "e2", "e3"):
        city.post(f"/talent-rounds/{rid}/scores", json=score_sheet(e, {a: {c: "88.5" for c in (
            "integrity", "recognition", "results", "training", "certificate")}}))
    assert city.post(f"/talent-rounds/{rid}/rank").status_code == 200
    [nom] = city.get(f"/talent-rounds/{rid}/nominations").json()
    assert (nom["composite"], nom["outcome"]) == ("88.50", "selected")


def test_the_certificate_list_and_worker_changes_on_postgres(certs):
    from datetime import date

    from shared.events import WorkerChanged

    wid = certs.worker("李娜")
    cid = certs.certified("李娜", ASSISTANT, "2025-09-01")
    certs.registered("李娜", "2025-10-01")
    assert certs.cpd("李娜", "16", "2026-01-10").status_code == 201
    [row] = certs.officer().get("/certificates", params={"as_of": "2026-11-01"}).json()["items"]
    assert (row["id"], row["registration"]["state"], row["registration"]["cpd_counted_hours"]) == (
        cid, "active", "16.00")
    change = dict(worker_id=wid, kind="transfer", effective_on=date(2026, 3, 1), jurisdiction="hangzhou.xihu",
                  community_code="XH007", post="委员", grade=1, status="active")
    assert certs.deliver(WorkerChanged(change_id=7, **change)) == 1
    assert certs.deliver(WorkerChanged(change_id=6, **{**change, "community_code": "XH001"})) == 1
    profile = certs.officer(CITY).get(f"/profiles/{wid}").json()
    assert (profile["jurisdiction"], profile["community_code"]) == ("hangzhou.xihu", "XH007")
