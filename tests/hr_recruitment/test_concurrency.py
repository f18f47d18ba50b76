"""S4-1 under concurrent requests: many campaigns racing for a community's last
vacancy get exactly one place. The community's row is taken FOR UPDATE on
PostgreSQL (and SQLite's IMMEDIATE transactions queue)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.hr_recruitment.helpers import GONGSHU, Hr

THREADS = 12


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_suite(request):
    return request.getfixturevalue("suite" if request.param == "sqlite" else "pg_suite")


def all_at_once(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_the_last_vacancy_goes_to_exactly_one_campaign(any_suite):
    hr = Hr(any_suite.api("hr", any_suite.create_user("hr", "hr_officer", GONGSHU)))
    assert hr.community("GS001", 400).status_code == 201  # quota 1
    campaigns = [hr.ok(hr.campaign(title=f"第{i}批"))["id"] for i in range(THREADS)]
    results = all_at_once([lambda c=c: hr.post(c, "GS001") for c in campaigns])
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * (THREADS - 1), [r.text for r in results]
    assert all(r.json()["code"] == "over_quota" for r in results if r.status_code == 409)
    assert hr.staffing("GS001")["open_in_campaigns"] == 1


def test_the_last_place_on_the_rolls_goes_to_exactly_one_hire(any_suite):
    """POST /workers racing for a community's last place (S4-1, D-9): the
    community's row is locked while its rolls are counted."""
    hr = Hr(any_suite.api("hr", any_suite.create_user("hr", "hr_officer", GONGSHU)))
    assert hr.community("GS001", 800).status_code == 201  # quota 2
    assert hr.worker("在册", "GS001").status_code == 201
    results = all_at_once([lambda i=i: hr.worker(f"新人{i}", "GS001") for i in range(THREADS)])
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * (THREADS - 1), [r.text for r in results]
    assert all(r.json()["code"] == "quota_full" for r in results if r.status_code == 409)
    assert hr.staffing("GS001")["headcount"] == 2
