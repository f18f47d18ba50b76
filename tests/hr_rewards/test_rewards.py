"""Reward funds and rewards over the HR API (S4-13): the fund from income and
surplus, awards within it, and the refusals that must leave nothing behind."""
from __future__ import annotations

import pytest

from tests.hr_recruitment.helpers import GONGSHU, XIHU, Hr

# The seeded reward_fund policy (illustrative): 30% of the after-tax service income, the surplus in full.
INCOME, SURPLUS = 1_000_000, 50_000  # 10,000.00 and 500.00 yuan
FUND = 300_000 + 50_000


@pytest.fixture
def hr(suite) -> Hr:
    return Hr(suite.api("hr", suite.create_user("hr-gongshu", "hr_officer", GONGSHU)))


@pytest.fixture
def worker_id(hr) -> int:
    assert hr.community("GS001", 1200, 30).status_code == 201
    return hr.ok(hr.worker("张三", "GS001"), 201)["id"]


def fund(hr, code="GS001", year=2024, income=INCOME, surplus=SURPLUS):
    return hr.api.post(f"/communities/{code}/reward-funds",
                       json={"year": year, "after_tax_income_fen": income, "surplus_fen": surplus})


def reward(hr, worker_id, amount, code="GS001", year=2024, reason="年度优秀社区工作者"):
    return hr.api.post(f"/communities/{code}/rewards",
                       json={"worker_id": worker_id, "year": year, "amount_fen": amount, "reason": reason})


def view(hr, code="GS001", year=2024):
    return hr.ok(hr.api.get(f"/communities/{code}/reward-funds/{year}"))


def problem(r, status, code, field, clause="S4-13"):
    assert r.status_code == status, r.text
    body = r.json()
    assert (body["code"], body["field"], body.get("clause")) == (code, field, clause), body
    assert body["detail"] and body["detail_zh"]


def test_the_fund_is_a_share_of_the_income_plus_the_surplus(hr, worker_id):
    out = hr.ok(fund(hr), 201)
    assert (out["income_share_bp"], out["surplus_share_bp"]) == (3000, 10000)
    assert (out["income_part_fen"], out["surplus_part_fen"], out["fund_fen"]) == (300_000, 50_000, FUND)
    assert out["fund_yuan"] == "3500.00" and out["clause"] == "S4-13"
    v = view(hr)
    assert (v["fund"]["fund_fen"], v["awarded_fen"], v["left_fen"], v["awards"]) == (FUND, 0, FUND, [])


def test_the_income_share_rounds_half_up_to_the_fen(hr, worker_id):
    assert hr.ok(fund(hr, income=5, surplus=0), 201)["fund_fen"] == 2  # 5 × 30% = 1.5 fen


def test_one_fund_per_community_and_year(hr, worker_id):
    hr.ok(fund(hr), 201)
    problem(fund(hr, income=9_999_999), 409, "reward_fund_exists", "year")
    assert view(hr)["fund"]["after_tax_income_fen"] == INCOME
    hr.ok(fund(hr, year=2025), 201)


def test_awards_within_the_fund_and_the_one_beyond_it_refused(hr, worker_id):
    hr.ok(fund(hr), 201)
    first = hr.ok(reward(hr, worker_id, 200_000), 201)
    assert (first["awarded_fen"], first["left_fen"]) == (200_000, FUND - 200_000)
    assert first["award"]["worker_name"] == "张三" and first["award"]["amount_yuan"] == "2000.00"
    problem(reward(hr, worker_id, FUND - 200_000 + 1), 409, "reward_fund_exceeded", "amount_fen")
    last = hr.ok(reward(hr, worker_id, FUND - 200_000), 201)  # exactly what is left
    assert last["left_fen"] == 0
    problem(reward(hr, worker_id, 1), 409, "reward_fund_exceeded", "amount_fen")
    v = view(hr)
    assert (v["awarded_fen"], v["left_fen"]) == (FUND, 0)
    assert [a["amount_fen"] for a in v["awards"]] == [200_000, FUND - 200_000]


def test_an_award_needs_the_year_fund(hr, worker_id):
    problem(reward(hr, worker_id, 100), 409, "no_reward_fund", "year")
    hr.ok(fund(hr), 201)
    problem(reward(hr, worker_id, 100, year=2025), 409, "no_reward_fund", "year")


def test_only_workers_on_the_community_rolls(hr, worker_id):
    assert hr.community("GS002", 800).status_code == 201
    other = hr.ok(hr.worker("李四", "GS002"), 201)["id"]
    hr.ok(fund(hr), 201)
    problem(reward(hr, other, 100), 422, "not_on_rolls", "worker_id")
    problem(reward(hr, 999_999, 100), 422, "not_on_rolls", "worker_id")
    assert view(hr)["awards"] == []


def test_a_left_worker_is_off_the_rolls(hr, worker_id):
    hr.ok(fund(hr), 201)
    hr.ok(hr.api.post(f"/workers/{worker_id}/leave", json={"left_on": "2024-12-31", "reason": "辞职"}))
    problem(reward(hr, worker_id, 100), 422, "not_on_rolls", "worker_id")


def test_amounts_are_positive_fen(hr, worker_id):
    hr.ok(fund(hr), 201)
    for amount in (0, -5):
        r = reward(hr, worker_id, amount)
        assert r.status_code in (400, 422) and r.json()["field"] == "amount_fen", r.text
    r = fund(hr, year=2025, surplus=-1)
    assert r.status_code in (400, 422) and r.json()["field"] == "surplus_fen", r.text
    assert view(hr)["awards"] == []


def test_access_by_role_and_jurisdiction(suite, hr, worker_id):
    hr.ok(fund(hr), 201)
    xihu = Hr(suite.api("hr", suite.create_user("hr-xihu", "hr_officer", XIHU)))
    assert fund(xihu, year=2025).status_code == 403
    assert reward(xihu, worker_id, 100).status_code == 403
    assert xihu.api.get("/communities/GS001/reward-funds/2024").status_code == 404
    coordinator = Hr(suite.api("hr", suite.create_user("tc", "training_coordinator", GONGSHU)))
    assert fund(coordinator, year=2025).status_code == 403
    assert reward(coordinator, worker_id, 100).status_code == 403
    assert view(hr)["awards"] == []
    admin = Hr(suite.api("hr", suite.admin_token))
    assert admin.ok(reward(admin, worker_id, 100), 201)["awarded_fen"] == 100


def test_unknown_fund_or_community(hr, worker_id):
    assert hr.api.get("/communities/GS001/reward-funds/2024").status_code == 404
    assert fund(hr, code="NOPE").status_code == 404
