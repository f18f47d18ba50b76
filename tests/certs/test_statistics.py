"""S2-7 statistics on a city-sized load, set-based: the 8,307 holders of 2016,
6,633 of them community workers, answer 79.85%."""
from __future__ import annotations

import time

import pytest

from tests.certs.support import CITY, GONGSHU, Certs, holders


@pytest.fixture
def certs(suite):
    c = Certs(suite)
    yield c
    c.close()


def test_8307_holders_load_and_answer_fast(certs):
    city = certs.officer(CITY)
    started = time.perf_counter()
    r = city.post("/certificates/import", json={"items": holders(8307, 6633, "2016-06-30")})
    loaded = time.perf_counter() - started
    assert r.status_code == 201, r.text
    started = time.perf_counter()
    body = city.get("/statistics/holders", params={"as_of": "2016-12-31"}).json()
    asked = time.perf_counter() - started
    assert (body["holders"], body["community_workers"], body["community_share_percent"]) == (8307, 6633, "79.85")
    assert sum(x["holders"] for x in body["by_level"]) == 8307
    assert sum(j["holders"] for j in body["by_jurisdiction"]) == 8307
    assert loaded < 15 and asked < 2, (loaded, asked)
    # a district officer's view is its own district's slice
    mine = certs.officer(GONGSHU).get("/statistics/holders", params={"as_of": "2016-12-31"}).json()
    gongshu = next(j for j in body["by_jurisdiction"] if j["jurisdiction"] == GONGSHU)
    assert (mine["holders"], mine["community_workers"]) == (gongshu["holders"], gongshu["community_workers"])
    # before anyone passed, no holders
    assert city.get("/statistics/holders", params={"as_of": "2000-01-01"}).json()["holders"] == 0
