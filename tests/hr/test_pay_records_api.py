"""The records the payroll reads, over HTTP: special additional deductions
(D-13), declared contribution wages (D-14) and unpaid absence (D-15), and
that the pay run reads them."""
from __future__ import annotations

from datetime import date

import msgspec
import pytest

from hr_service import rules
from hr_service.rules.tax import DEDUCTION_KINDS, DeductionKind
from shared.web import today
from tests.hr.helpers import CITY, GONGSHU, XIHU, hire
from tests.hr.pay_helpers import pay_admin

THIS = today().year
LAST = THIS - 1


def m(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def close_month(run_id: int, maker, checker) -> None:
    """Close a pay run as D-16 has it: submitted by one officer, approved by another."""
    r = maker.post(f"/pay-runs/{run_id}/submit")
    assert r.status_code == 200, r.text
    r = checker.post(f"/pay-runs/{run_id}/approve")
    assert r.status_code == 200, r.text


def officers(suite, jurisdiction: str = GONGSHU):
    """Two HR officers of a jurisdiction: one prepares a pay run, the other approves it."""
    return (suite.hr.as_(suite.create_user("hr-maker", "hr_officer", jurisdiction)),
            suite.hr.as_(suite.create_user("hr-checker", "hr_officer", jurisdiction)))


def run_and_close(maker, checker, month: str) -> dict:
    r = maker.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": month})
    assert r.status_code == 201, r.text
    close_month(r.json()["id"], maker, checker)
    return r.json()


def worker_login(suite, worker_id: int, username: str = "w"):
    return suite.hr.as_(suite.create_user(username, "worker", GONGSHU, worker_id=worker_id))


def declare(api, path: str, kind: str, monthly_fen: int, from_month: str, **extra):
    return api.post(path, json={"kind": kind, "monthly_fen": monthly_fen, "from_month": from_month, **extra})


def refused(r, status: int, code: str, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code and body["detail_zh"], body
    if field is not None:
        assert body["field"] == field, body
    return body


# --- D-13 ---------------------------------------------------------------------------


def test_the_kinds_in_force_follow_the_policy_of_the_date(suite):
    w = hire(pay_admin(suite))
    me = worker_login(suite, w["id"])
    now = {k["kind"]: k for k in me.get("/tax-deduction-kinds").json()}
    assert now["children_education"] == {"kind": "children_education", "label_zh": "子女教育",
                                         "label_en": "Children's education", "max_monthly_fen": 200_000,
                                         "per_person": True, "excludes": []}
    assert now["housing_rent"]["excludes"] == ["housing_loan_interest"]
    then = {k["kind"]: k for k in me.get("/tax-deduction-kinds", params={"on": "2020-06-01"}).json()}
    assert then["children_education"]["max_monthly_fen"] == 100_000 and "infant_care" not in then
    assert me.get("/tax-deduction-kinds", params={"on": "June"}).status_code == 400


def test_a_worker_declares_for_two_children_and_hr_reads_them(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    me = worker_login(suite, w["id"])
    first = declare(me, "/me/tax-deductions", "children_education", 200_000, m(THIS, 1), person="老大")
    assert first.status_code == 201, first.text
    assert first.json()["recorded_by"] == suite.usernames["w"] and first.json()["label_zh"] == "子女教育"
    second = declare(me, "/me/tax-deductions", "children_education", 200_000, m(THIS, 1), person="老二",
                     to_month=m(THIS, 12))
    assert second.status_code == 201, second.text
    # the same child twice for the same months would count twice
    body = refused(declare(me, "/me/tax-deductions", "children_education", 100_000, m(THIS, 3), person="老大"),
                   409, "deduction_overlaps")
    assert body["extra"]["existing_id"] == first.json()["id"]
    refused(declare(me, "/me/tax-deductions", "children_education", 100_000, m(THIS, 3)), 422, "person_required",
            "person")
    hr = suite.hr.as_(suite.create_user("hr", "hr_officer", GONGSHU))
    listed = hr.get(f"/workers/{w['id']}/tax-deductions").json()
    assert [(d["id"], d["person"], d["to_month"]) for d in listed] == [
        (first.json()["id"], "老大", None), (second.json()["id"], "老二", m(THIS, 12))]
    assert me.get("/me/tax-deductions").json() == listed
    # the payroll counts both children from the first month on its payroll this year
    slip = hr.get(f"/workers/{w['id']}/payslips/{m(THIS, 1)}").json()
    assert slip["months_to_date"] == 1 and slip["special_deductions_to_date"] == 400_000


def test_declarations_are_read_by_hr_and_the_worker_only(suite):
    admin = pay_admin(suite)
    w, other = hire(admin), hire(admin, name="李四")
    me = worker_login(suite, w["id"])
    assert declare(me, "/me/tax-deductions", "elderly_support", 300_000, m(THIS, 1)).status_code == 201
    assert me.get(f"/workers/{w['id']}/tax-deductions").status_code == 200
    assert me.get(f"/workers/{other['id']}/tax-deductions").status_code == 404
    coordinator = suite.hr.as_(suite.create_user("tc", "training_coordinator", GONGSHU))
    assert coordinator.get(f"/workers/{w['id']}/tax-deductions").status_code == 404
    xihu = suite.hr.as_(suite.create_user("hr-xihu", "hr_officer", XIHU))
    assert xihu.get(f"/workers/{w['id']}/tax-deductions").status_code == 404
    assert declare(xihu, f"/workers/{w['id']}/tax-deductions", "elderly_support", 1, m(THIS, 1)).status_code == 404
    # a worker records their own through /me, not another's
    refused(declare(me, f"/workers/{w['id']}/tax-deductions", "housing_rent", 100_000, m(THIS, 1)), 403,
            "role_not_allowed")
    assert suite.hr.as_(suite.admin_token).get("/me/tax-deductions").status_code == 404


def test_housing_rent_beside_housing_loan_interest_is_refused_for_the_same_months(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    path = f"/workers/{w['id']}/tax-deductions"
    loan = declare(admin, path, "housing_loan_interest", 100_000, m(LAST, 1), to_month=m(THIS, 3))
    assert loan.status_code == 201 and loan.json()["recorded_by"] == "admin"
    body = refused(declare(admin, path, "housing_rent", 150_000, m(THIS, 3)), 409, "deduction_excluded")
    assert body["extra"]["existing_id"] == loan.json()["id"] and body["clause"] == "D-13"
    assert f"declaration {loan.json()['id']}" in body["detail"]
    rent = declare(admin, path, "housing_rent", 150_000, m(THIS, 4))
    assert rent.status_code == 201, rent.text
    # ending the loan later would reach the rent's months: the same rule
    refused(admin.patch(f"{path}/{loan.json()['id']}", json={"to_month": m(THIS, 6)}), 409, "deduction_excluded")
    refused(admin.patch(f"{path}/{loan.json()['id']}", json={"to_month": None}), 409, "deduction_excluded")
    ended = admin.patch(f"{path}/{loan.json()['id']}", json={"to_month": m(THIS, 2)})
    assert ended.status_code == 200 and ended.json()["to_month"] == m(THIS, 2)


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"kind": "lottery", "monthly_fen": 100}, "unknown_deduction_kind", "kind"),
    ({"kind": "housing_rent", "monthly_fen": 150_001}, "deduction_above_maximum", "monthly_fen"),
    ({"kind": "housing_rent", "monthly_fen": 0}, "deduction_above_maximum", "monthly_fen"),
    ({"kind": "housing_rent", "monthly_fen": -5}, "deduction_above_maximum", "monthly_fen"),
    ({"kind": "housing_rent", "monthly_fen": 100, "from_month": "2025-13"}, "malformed_month", "from_month"),
    ({"kind": "housing_rent", "monthly_fen": 100, "to_month": "March"}, "malformed_month", "to_month"),
    ({"kind": "housing_rent", "monthly_fen": 100, "from_month": m(THIS, 5), "to_month": m(THIS, 4)},
     "ends_before_start", "to_month"),
    ({"kind": "housing_rent", "monthly_fen": 100, "from_month": "2020-02"}, "from_month_out_of_range",
     "from_month"),  # before the hire (2020-03-01)
    ({"kind": "housing_rent", "monthly_fen": 100, "from_month": m(THIS + 1, 1)}, "from_month_out_of_range",
     "from_month"),
])
def test_a_declaration_the_rules_refuse_names_its_field(suite, body, code, field):
    admin = pay_admin(suite)
    w = hire(admin)
    r = admin.post(f"/workers/{w['id']}/tax-deductions", json={"from_month": m(THIS, 1), **body})
    refused(r, 422, code, field)
    assert admin.get(f"/workers/{w['id']}/tax-deductions").json() == []


def test_the_earliest_and_latest_months_a_declaration_may_start(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    path = f"/workers/{w['id']}/tax-deductions"
    assert declare(admin, path, "continuing_education", 40_000, m(LAST, 1), to_month=m(LAST, 12)).status_code == 201
    assert declare(admin, path, "continuing_education", 40_000, m(THIS, 12)).status_code == 201
    r = admin.post(path, json={"kind": "continuing_education", "monthly_fen": "four hundred", "from_month": m(THIS, 1)})
    assert r.status_code == 400 and r.json()["field"] == "monthly_fen"


def test_the_maximum_is_the_policy_in_force_on_the_first_day_of_from_month(suite):
    admin = pay_admin(suite)
    lower = msgspec.to_builtins(rules.IncomeTax(deductions={
        **DEDUCTION_KINDS,
        "children_education": DeductionKind("子女教育", "Children's education", 150_000, per_person=True)}))
    r = admin.post("/policies/income_tax", json={"jurisdiction": GONGSHU, "effective_from": f"{THIS}-07-01",
                                                 "value": lower})
    assert r.status_code == 201, r.text
    gongshu, xihu = hire(admin), hire(admin, jurisdiction=XIHU, community_code=None)
    june = declare(admin, f"/workers/{gongshu['id']}/tax-deductions", "children_education", 200_000, m(THIS, 6),
                   to_month=m(THIS, 6), person="老大")
    assert june.status_code == 201, june.text
    refused(declare(admin, f"/workers/{gongshu['id']}/tax-deductions", "children_education", 200_000, m(THIS, 7),
                    person="老大"), 422, "deduction_above_maximum", "monthly_fen")
    # the district's version is not Xihu's
    assert declare(admin, f"/workers/{xihu['id']}/tax-deductions", "children_education", 200_000, m(THIS, 7),
                   person="老大").status_code == 201
    officer = suite.hr.as_(suite.create_user("hr", "hr_officer", GONGSHU))
    kinds = {k["kind"]: k for k in officer.get("/tax-deduction-kinds", params={"on": f"{THIS}-07-01"}).json()}
    assert kinds["children_education"]["max_monthly_fen"] == 150_000
    city = suite.hr.as_(suite.create_user("hr-city", "hr_officer", CITY))
    kinds = {k["kind"]: k for k in city.get("/tax-deduction-kinds", params={"on": f"{THIS}-07-01"}).json()}
    assert kinds["children_education"]["max_monthly_fen"] == 200_000


def test_the_worker_ends_and_deletes_their_own_declarations(suite):
    admin = pay_admin(suite)
    w, other = hire(admin), hire(admin, name="李四")
    me = worker_login(suite, w["id"])
    mine = declare(me, "/me/tax-deductions", "personal_pension", 100_000, m(THIS, 1)).json()
    theirs = declare(admin, f"/workers/{other['id']}/tax-deductions", "personal_pension", 100_000, m(THIS, 1)).json()
    refused(me.patch(f"/me/tax-deductions/{mine['id']}", json={"to_month": m(LAST, 12)}), 422, "ends_before_start",
            "to_month")
    refused(me.patch(f"/me/tax-deductions/{mine['id']}", json={"to_month": "2025-1"}), 422, "malformed_month",
            "to_month")
    ended = me.patch(f"/me/tax-deductions/{mine['id']}", json={"to_month": m(THIS, 2)})
    assert ended.status_code == 200 and ended.json()["to_month"] == m(THIS, 2)
    assert me.patch(f"/me/tax-deductions/{theirs['id']}", json={"to_month": m(THIS, 2)}).status_code == 404
    assert me.delete(f"/me/tax-deductions/{theirs['id']}").status_code == 404
    assert me.delete(f"/me/tax-deductions/{mine['id']}").status_code == 204
    assert me.get("/me/tax-deductions").json() == []
    assert admin.delete(f"/workers/{w['id']}/tax-deductions/{mine['id']}").status_code == 404
    assert [d["id"] for d in admin.get(f"/workers/{other['id']}/tax-deductions").json()] == [theirs["id"]]


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_a_declaration_a_closed_payslip_counted_is_ended_not_deleted(request, backend):
    suite = request.getfixturevalue(backend)
    admin = pay_admin(suite)
    maker, checker = officers(suite)
    w = hire(admin)
    path = f"/workers/{w['id']}/tax-deductions"
    counted = declare(admin, path, "elderly_support", 300_000, m(LAST, 2)).json()
    later = declare(admin, path, "infant_care", 200_000, m(LAST, 4), person="老三").json()
    before = declare(admin, path, "continuing_education", 40_000, m(LAST, 1), to_month=m(LAST, 2)).json()
    drafted = declare(admin, path, "continuing_education", 40_000, m(LAST, 3), to_month=m(LAST, 3)).json()
    draft = maker.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": m(LAST, 3)})
    assert draft.status_code == 201
    assert admin.delete(f"{path}/{drafted['id']}").status_code == 204  # a draft payslip has paid nothing yet
    close_month(draft.json()["id"], maker, checker)
    body = refused(admin.delete(f"{path}/{counted['id']}"), 409, "deduction_used")
    assert body["extra"] == {"paid_month": m(LAST, 3)}
    assert admin.patch(f"{path}/{counted['id']}", json={"to_month": m(LAST, 3)}).status_code == 200
    refused(admin.delete(f"{path}/{counted['id']}"), 409, "deduction_used")
    # months before or after the closed one only
    assert admin.delete(f"{path}/{before['id']}").status_code == 204
    assert admin.delete(f"{path}/{later['id']}").status_code == 204
    assert [d["id"] for d in admin.get(path).json()] == [counted["id"]]


# --- D-14 ---------------------------------------------------------------------------


def test_hr_declares_a_contribution_wage_held_within_the_floor_and_ceiling(suite):
    admin = pay_admin(suite)
    w = hire(admin, hired_on="2020-03-01")
    path = f"/workers/{w['id']}/contribution-wages"
    r = admin.put(f"{path}/{LAST}", json={"wage_fen": 3_000_000, "reason": "salary survey"})
    assert r.status_code == 201, r.text
    assert {k: r.json()[k] for k in ("year", "wage_fen", "basis", "base_fen", "recorded_by", "applies_from")} == {
        "year": LAST, "wage_fen": 3_000_000, "basis": "declared", "base_fen": 2_493_000, "recorded_by": "admin",
        "applies_from": m(LAST, 1)}
    r = admin.put(f"{path}/{LAST}", json={"wage_fen": 300_000, "reason": "figure corrected"})
    assert r.status_code == 200 and r.json()["base_fen"] == 446_200
    assert admin.put(f"{path}/2020", json={"wage_fen": 800_000, "reason": "hire year"}).status_code == 201
    assert [(c["year"], c["wage_fen"], c["base_fen"]) for c in admin.get(path).json()] == [
        (2020, 800_000, 800_000), (LAST, 300_000, 446_200)]
    # the payroll reads it: the year's payslips are charged on it
    slip = admin.get(f"/workers/{w['id']}/payslips/{m(LAST, 5)}").json()
    assert slip["contribution_wage"] == 300_000 and slip["contribution_base"] == 446_200


@pytest.mark.parametrize(("year", "body", "field"), [
    (2019, {"wage_fen": 800_000}, "year"),
    (THIS + 2, {"wage_fen": 800_000}, "year"),
    (THIS, {"wage_fen": 0}, "wage_fen"),
    (THIS, {"wage_fen": -1}, "wage_fen"),
])
def test_a_contribution_wage_out_of_bounds_is_refused(suite, year, body, field):
    admin = pay_admin(suite)
    w = hire(admin, hired_on="2020-03-01")
    r = admin.put(f"/workers/{w['id']}/contribution-wages/{year}", json={"reason": "r", **body})
    assert r.status_code == 422 and r.json()["field"] == field, r.text
    assert admin.get(f"/workers/{w['id']}/contribution-wages").json() == []


def test_only_hr_of_the_jurisdiction_declares_a_contribution_wage(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    me = worker_login(suite, w["id"])
    refused(me.put(f"/workers/{w['id']}/contribution-wages/{THIS}", json={"wage_fen": 1, "reason": "r"}), 403,
            "role_not_allowed")
    xihu = suite.hr.as_(suite.create_user("hr-xihu", "hr_officer", XIHU))
    assert xihu.put(f"/workers/{w['id']}/contribution-wages/{THIS}", json={"wage_fen": 1, "reason": "r"}
                    ).status_code == 404
    assert admin.put(f"/workers/{w['id']}/contribution-wages/{THIS}", json={"wage_fen": 1}).status_code == 400
    assert me.get(f"/workers/{w['id']}/contribution-wages").json() == []


def test_the_base_is_shown_by_the_insurance_policy_of_1_july_or_today(suite):
    admin = pay_admin(suite)
    published = msgspec.to_builtins(msgspec.structs.replace(rules.INSURANCE_SEED, base_max_fen=2_000_000))
    later = msgspec.to_builtins(msgspec.structs.replace(rules.INSURANCE_SEED, base_max_fen=1_800_000))
    for effective_from, value in ((f"{LAST}-07-01", published), (f"{THIS + 1}-03-01", later)):
        r = admin.post("/policies/insurance", json={"jurisdiction": GONGSHU, "effective_from": effective_from,
                                                    "value": value})
        assert r.status_code == 201, r.text
    w = hire(admin, hired_on="2020-03-01")
    path = f"/workers/{w['id']}/contribution-wages"
    for year in (LAST - 1, LAST, THIS + 1):
        assert admin.put(f"{path}/{year}", json={"wage_fen": 2_300_000, "reason": "r"}).status_code == 201
    # the year before: the old ceiling; last year: July's; next year: today's (March is yet to come)
    assert [(c["year"], c["base_fen"]) for c in admin.get(path).json()] == [
        (LAST - 1, 2_300_000), (LAST, 2_000_000), (THIS + 1, 2_000_000)]


def test_a_wage_declared_after_months_were_closed_applies_from_the_first_open_month(suite):
    admin = pay_admin(suite)
    maker, checker = officers(suite)
    w = hire(admin, hired_on="2020-03-01")
    jan = run_and_close(maker, checker, m(LAST, 1))
    run_and_close(maker, checker, m(LAST, 2))
    path = f"/workers/{w['id']}/contribution-wages"
    recorded = admin.get(path).json()  # the first approved run recorded the year's wage (D-14)
    assert [(c["year"], c["basis"]) for c in recorded] == [(LAST, "starting_wage")]
    r = admin.put(f"{path}/{LAST}", json={"wage_fen": 1_500_000, "reason": "last year's pay confirmed"})
    assert r.status_code == 200 and r.json()["applies_from"] == m(LAST, 3) and r.json()["basis"] == "declared"
    march = admin.get(f"/workers/{w['id']}/payslips/{m(LAST, 3)}").json()
    assert march["contribution_wage"] == 1_500_000 and march["contribution_base"] == 1_500_000
    paid = admin.get(f"/workers/{w['id']}/payslips/{m(LAST, 1)}").json()
    assert paid["run_id"] == jan["id"] and paid["contribution_wage"] == recorded[0]["wage_fen"]
    hired_late = hire(admin, name="李四", jurisdiction=XIHU, community_code=None, hired_on=f"{LAST}-02-10")
    r = admin.put(f"/workers/{hired_late['id']}/contribution-wages/{LAST}", json={"wage_fen": 900_000, "reason": "r"})
    assert r.status_code == 201 and r.json()["applies_from"] == m(LAST, 2)  # the month of the hire


# --- D-15 ---------------------------------------------------------------------------


def prorated(days_centi: int, amount: int) -> int:
    """D-15: round half up of amount × days / 21.75."""
    return rules.prorate(amount, days_centi, rules.Proration())


def test_three_weekdays_of_unpaid_absence_leave_18_75_paid_days(suite):
    admin = pay_admin(suite)
    w = hire(admin, post="委员", grade=3, hired_on="2020-03-01")
    full = admin.get(f"/workers/{w['id']}/payslips/2025-09").json()
    assert full["paid_days"] == 2175
    r = admin.post(f"/workers/{w['id']}/unpaid-absences", json={"first_day": "2025-09-02", "last_day": "2025-09-04",
                                                                "reason": "personal leave"})
    assert r.status_code == 201, r.text
    assert r.json()["rechecked"] is False and r.json()["closed_months"] == [] and r.json()["recorded_by"] == "admin"
    slip = admin.get(f"/workers/{w['id']}/payslips/2025-09").json()
    assert slip["paid_days"] == 1875
    assert slip["grade_pay"] == prorated(1875, full["grade_pay"]) == (full["grade_pay"] * 1875 * 2 + 2175) // 4350
    # a weekend inside an absence takes no paid day: Friday to Monday is two
    assert admin.post(f"/workers/{w['id']}/unpaid-absences", json={"first_day": "2025-10-03", "last_day": "2025-10-06",
                                                                   "reason": "r"}).status_code == 201
    assert admin.get(f"/workers/{w['id']}/payslips/2025-10").json()["paid_days"] == 1975
    assert [(a["first_day"], a["last_day"]) for a in admin.get(f"/workers/{w['id']}/unpaid-absences").json()] == [
        ("2025-09-02", "2025-09-04"), ("2025-10-03", "2025-10-06")]


@pytest.mark.parametrize(("first", "last", "status", "code", "field"), [
    ("2025-09-10", "2025-09-09", 422, "ends_before_start", "last_day"),
    ("2020-02-28", "2020-03-03", 422, "before_hire", "first_day"),
    ("2025-06-27", "2025-07-02", 422, "not_on_rolls", "last_day"),
    ("2025-05-30", "2025-06-02", 409, "absence_overlaps", "first_day"),
    ("2025-06-03", "2025-06-03", 409, "absence_overlaps", "first_day"),
])
def test_an_absence_off_the_rolls_or_over_another_is_refused(suite, first, last, status, code, field):
    admin = pay_admin(suite)
    w = hire(admin, hired_on="2020-03-01")
    path = f"/workers/{w['id']}/unpaid-absences"
    earlier = admin.post(path, json={"first_day": "2025-06-02", "last_day": "2025-06-04", "reason": "r"})
    assert earlier.status_code == 201
    assert admin.post(f"/workers/{w['id']}/leave", json={"left_on": "2025-06-30", "reason": "moved"}
                      ).status_code == 200
    body = refused(admin.post(path, json={"first_day": first, "last_day": last, "reason": "r"}), status, code, field)
    assert body["clause"] == "D-15"
    if status == 409:
        assert body["extra"]["existing_id"] == earlier.json()["id"]
    assert len(admin.get(path).json()) == 1


def test_an_absence_begun_after_today_is_refused_one_running_on_is_not(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    path = f"/workers/{w['id']}/unpaid-absences"
    day = today()
    tomorrow = date.fromordinal(day.toordinal() + 1)
    refused(admin.post(path, json={"first_day": tomorrow.isoformat(), "last_day": tomorrow.isoformat(),
                                   "reason": "r"}), 422, "date_in_future", "first_day")
    r = admin.post(path, json={"first_day": day.isoformat(), "last_day": tomorrow.isoformat(), "reason": "r"})
    assert r.status_code == 201, r.text
    assert admin.post(path, json={"first_day": "2025-09-02", "reason": "r"}).status_code == 400


def test_only_hr_of_the_jurisdiction_records_absences(suite):
    admin = pay_admin(suite)
    w = hire(admin)
    path = f"/workers/{w['id']}/unpaid-absences"
    body = {"first_day": "2025-09-02", "last_day": "2025-09-02", "reason": "r"}
    me = worker_login(suite, w["id"])
    refused(me.post(path, json=body), 403, "role_not_allowed")
    xihu = suite.hr.as_(suite.create_user("hr-xihu", "hr_officer", XIHU))
    assert xihu.post(path, json=body).status_code == 404
    a = admin.post(path, json=body).json()
    assert me.get(path).json()[0]["id"] == a["id"]  # the worker reads their own
    assert xihu.delete(f"{path}/{a['id']}").status_code == 404
    other = hire(admin, name="李四")
    assert admin.delete(f"/workers/{other['id']}/unpaid-absences/{a['id']}").status_code == 404
    assert admin.delete(f"{path}/{a['id']}").status_code == 204
    assert admin.get(path).json() == []


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_an_absence_reaching_a_closed_month_is_recovered_and_its_removal_paid_back(request, backend):
    suite = request.getfixturevalue(backend)
    admin = pay_admin(suite)
    maker, checker = officers(suite)
    w = hire(admin, post="正职", grade=12, hired_on="2020-03-01", community_code=None)
    other = hire(admin, name="李四", post="正职", grade=12, hired_on="2020-03-01", community_code=None)
    sep = {s["worker_id"]: s for s in maker.get(
        f"/pay-runs/{run_and_close(maker, checker, '2025-09')['id']}/payslips").json()["items"]}
    path = f"/workers/{w['id']}/unpaid-absences"
    r = admin.post(path, json={"first_day": "2025-09-02", "last_day": "2025-09-04", "reason": "personal leave"})
    assert r.status_code == 201 and r.json()["rechecked"] is True and r.json()["closed_months"] == ["2025-09"]
    october = maker.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-10"})
    assert october.status_code == 201
    lines = admin.get(f"/workers/{w['id']}/payslips/2025-10").json()["adjustments"]
    # a pool of one above the floor: its grade pay, its 30 % share and its service allowance, for 18.75 days
    paid = sep[w["id"]]
    now = {k: prorated(1875, paid[k]) for k in ("grade_pay", "service_allowance")}
    share = (now["grade_pay"] * 3000 + 5000) // 10_000
    want = now["grade_pay"] + now["service_allowance"] + share - (paid["grade_pay"] + paid["service_allowance"]
                                                                  + paid["bonus_share"])
    assert want < 0 and paid["floor_top_up"] == 0
    assert [(a["covers"], a["kind"], a["amount"]) for a in lines] == [("2025-09", "recovery", want)]
    assert "personal leave" in lines[0]["reason"]
    assert admin.get(f"/workers/{other['id']}/payslips/2025-10").json()["adjustments"] == []
    # recorded in error: removed once October is closed too, the next run pays back what was recovered
    close_month(october.json()["id"], maker, checker)
    assert admin.delete(f"{path}/{r.json()['id']}").status_code == 204
    assert maker.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-11"}).status_code == 201
    back = admin.get(f"/workers/{w['id']}/payslips/2025-11").json()["adjustments"]
    assert [(a["covers"], a["kind"], a["amount"]) for a in back] == [("2025-09", "arrears", -want)]
