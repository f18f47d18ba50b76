"""HR's policy tables over HTTP: seeded from the clauses, added to, never rewritten."""
from __future__ import annotations

from tests.hr.helpers import CITY, GONGSHU


def test_hr_policy_keys_are_listed_with_their_clauses(suite):
    keys = {k["key"]: k["clause"] for k in suite.hr.as_(suite.admin_token).get("/policies/keys").json()}
    assert {k: keys[k] for k in ("pay_scale", "step_rule", "bonus_pool", "insurance", "average_wage", "cost_split",
                                 "allowances", "assessment")} == {
        "pay_scale": "D-2", "step_rule": "S4-10", "bonus_pool": "S4-12", "insurance": "S4-11",
        "average_wage": "S0-2", "cost_split": "S0-2", "allowances": "D-3", "assessment": "S3-1"}


def test_pay_scale_versions_include_the_2002_table(suite):
    admin = suite.hr.as_(suite.admin_token)
    versions = admin.get("/policies", params={"key": "pay_scale", "jurisdiction": CITY}).json()
    assert [(v["effective_from"], v["clause"]) for v in versions] == [
        ("2002-01-01", "S4-9"), ("2004-07-01", "D-2"), ("2024-01-01", "D-2")]
    old = admin.get("/policies/pay_scale/in-force", params={"jurisdiction": GONGSHU, "as_of": "2003-06-30"}).json()
    assert old["value"]["posts"]["委员"]["amounts"][0] == 70_000 and old["value"]["welfare_fen"] == 10_000
    wage = admin.get("/policies/average_wage/in-force", params={"jurisdiction": GONGSHU, "as_of": "2025-03-01"})
    assert wage.json()["value"]["reference_year"] == 2024 and wage.json()["clause"] == "S0-2"
    step = admin.get("/policies/step_rule/in-force", params={"jurisdiction": GONGSHU, "as_of": "2025-07-01"}).json()
    assert step["value"] == {"interval_years": 1, "month_day": "07-01", "early_step": False}


def test_a_malformed_pay_scale_is_refused(suite):
    admin = suite.hr.as_(suite.admin_token)
    bad = {"posts": {"委员": {"low": 1, "high": 12, "amounts": [700_000] * 11}}}
    r = admin.post("/policies/pay_scale", json={"jurisdiction": CITY, "effective_from": "2030-01-01", "value": bad})
    assert r.status_code == 422 and r.json()["field"] == "value" and "12 amounts" in r.json()["detail"]
    r = admin.post("/policies/bonus_pool", json={"jurisdiction": CITY, "effective_from": "2030-01-01",
                                                 "value": {"ratio_bp": 12_000}})
    assert r.status_code == 422 and r.json()["clause"] == "S4-12"


def test_a_district_may_have_its_own_step_rule(suite):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/policies/step_rule", json={"jurisdiction": GONGSHU, "effective_from": "2026-01-01",
                                                "value": {"interval_years": 2, "month_day": "07-01",
                                                          "early_step": True}})
    assert r.status_code == 201
    mine = admin.get("/policies/step_rule/in-force", params={"jurisdiction": GONGSHU, "as_of": "2026-07-01"}).json()
    assert mine["jurisdiction"] == GONGSHU and mine["value"]["interval_years"] == 2
