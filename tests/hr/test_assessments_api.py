"""Assessments over HTTP: one per worker per year (D-1, S3-1, S4-14), corrections with reasons."""
from __future__ import annotations

from datetime import date

import pytest

from shared.web import today
from tests.hr.communities import register_defaults
from tests.hr.helpers import GONGSHU, XIHU, assess, hire, outbox_types


@pytest.fixture(autouse=True)
def communities(suite):
    register_defaults(suite)


def test_assessment_flags_months_under_the_visit_minimum(suite):
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, hired_on="2024-03-15")
    visits = [0, 0, 25, 19, 20, 30, 5, 25, 25, 25, 25, 25]
    a = assess(admin, w["id"], 2024, visits=visits, score=86.5, residents_satisfaction=92)
    assert a["months_below_visit_minimum"] == [4, 7]  # January and February precede the hire
    assert a["performance_score"] == 86.5 and a["residents_satisfaction"] == 92 and a["version"] == 1
    assert outbox_types(suite)[-1] == "assessment.recorded"


def test_second_assessment_for_the_year_is_409(suite):
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin)
    assess(admin, w["id"], 2024)
    r = assess(admin, w["id"], 2024, grade="优秀", expect=409)
    assert r["code"] == "assessment_exists" and r["field"] == "year"
    assert len(admin.get(f"/workers/{w['id']}/assessments").json()) == 1


def test_bad_assessments(suite):
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, hired_on="2022-06-01")
    r = assess(admin, w["id"], 2099, expect=422)
    assert (r["code"], r["field"], r["clause"]) == ("date_in_future", "year", "S4-10")
    r = assess(admin, w["id"], 2021, expect=422)
    assert (r["code"], r["field"]) == ("before_hire", "year")
    r = assess(admin, w["id"], 2024, grade="良好", expect=400)
    assert r["field"] == "grade"
    r = assess(admin, w["id"], 2024, visits=[20] * 11, expect=400)
    assert r["field"] == "visits"
    r = assess(admin, w["id"], 2024, score=101, expect=400)
    assert r["field"] == "performance_score"
    r = assess(admin, w["id"], 2024, score=80.123, expect=422)
    assert r["field"] == "performance_score"
    xihu = suite.hr.as_(suite.create_user("x", "hr_officer", XIHU))
    assess(xihu, w["id"], 2024, expect=404)
    assert admin.get(f"/workers/{w['id']}/assessments").json() == []


def test_correction_needs_a_reason_and_is_kept(suite):
    officer = suite.hr.as_(suite.create_user("hr", "hr_officer", GONGSHU))
    w = hire(officer)
    assess(officer, w["id"], 2024, grade="基本合格", score=65)
    url = f"/workers/{w['id']}/assessments/2024/corrections"
    r = officer.post(url, json={"grade": "合格"})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = officer.post(url, json={"reason": "   ", "grade": "合格"})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = officer.post(url, json={"reason": "review board upheld the appeal", "grade": "合格", "performance_score": 75})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["grade"] == "合格" and a["version"] == 2 and a["updated_by"] == "hr"
    assert a["history"][0]["previous"]["grade"] == "基本合格" and a["history"][0]["previous"]["score_centi"] == 6500
    assert a["history"][0]["reason"] == "review board upheld the appeal"
    assert officer.post(url, json={"reason": "same again", "grade": "合格"}).status_code == 422
    assert officer.get(f"/workers/{w['id']}/assessments/2024").json()["history"] == a["history"]
    assert outbox_types(suite).count("assessment.recorded") == 2
    assert officer.post(f"/workers/{w['id']}/assessments/2023/corrections",
                        json={"reason": "x", "grade": "合格"}).status_code == 404


def test_a_year_not_yet_ended_is_dated_after_today(suite):
    """No fact dated in the future: this year's assessment waits for its last day (S4-10)."""
    admin = suite.hr.as_(suite.admin_token)
    w = hire(admin, hired_on="2020-03-01")
    this_year = today().year  # the service's today (Asia/Shanghai)
    last_day = date(this_year, 12, 31)
    if today() < last_day:
        r = assess(admin, w["id"], this_year, expect=422)
        assert (r["code"], r["field"], r["clause"]) == ("date_in_future", "year", "S4-10")
        assert str(last_day) in r["detail"] and r["detail_zh"]
    assess(admin, w["id"], this_year - 1)
    assert [a["year"] for a in admin.get(f"/workers/{w['id']}/assessments").json()] == [this_year - 1]
