"""D-6 obligations and the compliance report, person-times (S3-7) and spend
against the budget (S2-2), places abroad (S2-3)."""
from __future__ import annotations

from tests.training.helpers import (
    CITY,
    GONGSHU,
    XIHU,
    add_worker,
    complete,
    enrol,
    programme,
    session,
    worker_with_login,
)


def test_compliance_lists_who_is_behind_and_by_how_much(suite, coordinator, city_coordinator):
    # a programme's hours are its whole length; a day is 8 hours (a D-6 parameter)
    three_days = programme(coordinator, title="集中培训三天", hours="24")
    seven_days = programme(coordinator, title="集中培训七天", hours="56")
    online = programme(coordinator, title="网络课程", hours="56", delivery="online")
    a = add_worker(coordinator, "三天书记", post="正职", hired_on="2015-01-01")
    b = add_worker(coordinator, "七天主任", post="正职", hired_on="2015-01-01")
    c = add_worker(coordinator, "网课书记", post="正职", hired_on="2015-01-01")
    d = add_worker(coordinator, "去年培训", post="委员", hired_on="2018-01-01")
    e = add_worker(coordinator, "从未培训", post="副职", hired_on="2018-01-01")
    f = add_worker(coordinator, "新人", post="委员", hired_on="2025-03-01", probation_ends_on="2025-08-31")
    add_worker(city_coordinator, "西湖", post="委员", jurisdiction=XIHU, worker_id=8999, hired_on="2018-01-01")

    complete(coordinator, [a], three_days["id"], "2025-03-03", days=3)
    complete(coordinator, [b], seven_days["id"], "2025-04-07", days=7)
    complete(coordinator, [c], online["id"], "2025-05-05", days=7, online_link="https://meeting.example/1", venue=None)
    complete(coordinator, [d], three_days["id"], "2024-06-03", days=3)

    r = coordinator.get("/reports/compliance", params={"year": 2025, "as_of": "2026-01-15"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["jurisdiction"] == GONGSHU and body["workers_checked"] == 6 and body["clause"] == "D-6"
    rows = {(x["worker_id"], x["kind"]): x for x in body["rows"]}
    assert set(rows) == {(a, "annual_days"), (c, "annual_days"), (e, "periodic_programme"), (f, "induction"),
                         (f, "periodic_programme")}
    behind = rows[(a, "annual_days")]
    assert (behind["required"], behind["done"], behind["shortfall"], behind["shortfall_days"], behind["status"]) == (
        "56.00", "24.00", "32.00", "4.00", "behind")
    assert rows[(c, "annual_days")]["shortfall"] == "56.00"  # online hours are not centralised training
    assert (rows[(e, "periodic_programme")]["shortfall"], rows[(e, "periodic_programme")]["status"]) == ("1", "behind")
    assert rows[(f, "induction")]["status"] == "behind" and rows[(f, "induction")]["due_on"] == "2025-08-31"
    assert (rows[(f, "periodic_programme")]["status"], rows[(f, "periodic_programme")]["due_on"]) == (
        "open", "2027-02-28")
    assert body["behind"] == 4 and body["open"] == 1
    # earlier in the year the same shortfall is still open, not behind
    mid = coordinator.get("/reports/compliance", params={"year": 2025, "as_of": "2025-06-30"}).json()
    assert {x["status"] for x in mid["rows"] if x["kind"] == "annual_days"} == {"open"}
    # the report stays within the coordinator's jurisdiction (D-8)
    r = coordinator.get("/reports/compliance", params={"jurisdiction": XIHU, "year": 2025})
    assert r.status_code == 403
    report = city_coordinator.get("/reports/compliance", params={"year": 2025, "as_of": "2026-01-15"}).json()
    assert report["workers_checked"] == 7


def test_induction_within_probation(coordinator):
    induction = programme(coordinator, tier="induction", category="induction", hours="24")
    on_time = add_worker(coordinator, "按时", hired_on="2025-03-01", probation_ends_on="2025-08-31")
    late = add_worker(coordinator, "迟到", hired_on="2025-03-01", probation_ends_on="2025-08-31")
    complete(coordinator, [on_time], induction["id"], "2025-04-07", days=3)
    complete(coordinator, [late], induction["id"], "2025-10-13", days=3)
    got = {}
    for w in (on_time, late):
        ob = coordinator.get(f"/workers/{w}/obligations", params={"year": 2025, "as_of": "2025-12-01"}).json()
        got[w] = [o["status"] for o in ob["obligations"] if o["kind"] == "induction"]
    assert got == {on_time: ["met"], late: ["late"]}


def test_induction_is_owed_only_by_those_whose_probation_falls_in_the_year(suite, coordinator):
    """D-6 "every new hire completes induction within the probation period": a
    worker hired in 2011 owes none in 2025, on the report or on their own page."""
    veteran, veteran_api = worker_with_login(suite, coordinator, "老社工", post="正职", hired_on="2011-03-01",
                                             probation_ends_on="2011-08-31")
    newcomer, newcomer_api = worker_with_login(suite, coordinator, "新社工", hired_on="2025-09-01",
                                               probation_ends_on="2026-02-28")
    report = coordinator.get("/reports/compliance", params={"year": 2025, "as_of": "2025-12-01"}).json()
    inductions = {x["worker_id"]: (x["status"], x["due_on"]) for x in report["rows"] if x["kind"] == "induction"}
    assert inductions == {newcomer: ("open", "2026-02-28")}
    report = coordinator.get("/reports/compliance", params={"year": 2026, "as_of": "2026-03-02"}).json()
    inductions = {x["worker_id"]: (x["status"], x["due_on"]) for x in report["rows"] if x["kind"] == "induction"}
    assert inductions == {newcomer: ("behind", "2026-02-28")}  # the probation reaches into 2026
    report = coordinator.get("/reports/compliance", params={"year": 2027, "as_of": "2027-03-02"}).json()
    assert [x for x in report["rows"] if x["kind"] == "induction"] == []
    mine = veteran_api.get("/me/obligations", params={"year": 2025, "as_of": "2025-12-01"}).json()
    assert [o["kind"] for o in mine["obligations"]] == ["annual_days"]
    mine = newcomer_api.get("/me/obligations", params={"year": 2025, "as_of": "2025-12-01"}).json()
    assert [(o["kind"], o["period_from"], o["due_on"]) for o in mine["obligations"]][0] == (
        "induction", "2025-09-01", "2026-02-28")


def test_statistics_in_person_times_and_spend_against_the_budget(suite, coordinator, city_coordinator):
    a, b, c = (add_worker(coordinator, n) for n in "甲乙丙")
    cheap = programme(coordinator, title="讲座", cost_fen=10000)
    dear = programme(coordinator, title="研修", tier="advanced_practice", category="advanced_practice",
                     location="other_city", cost_fen=250000, hours="16")
    complete(coordinator, [a, b, c], cheap["id"], "2025-03-03")
    complete(coordinator, [a, b], dear["id"], "2025-05-05", days=2, attended=1)  # neither completes
    cancelled = session(coordinator, cheap["id"], start="2025-07-01T09:00:00", end="2025-07-01T12:00:00")
    enrol(coordinator, cancelled["id"], c)
    coordinator.post(f"/sessions/{cancelled['id']}/cancel", json={})
    complete(coordinator, [c], cheap["id"], "2024-11-04")  # another year

    st = coordinator.get("/reports/statistics", params={"year": 2025}).json()
    assert (st["sessions"], st["person_times"], st["completed_person_times"], st["workers"]) == (2, 5, 3, 3)
    assert st["by_tier"] == {"advanced_practice": 2, "continuing": 3}
    assert st["by_location"] == {"in_city": 3, "other_city": 2}
    assert st["hours"] == "24.00"
    assert st["spend_fen"] == 3 * 10000 + 2 * 250000
    assert st["budget_fen"] == 150_000_000 and st["budget_jurisdiction"] == CITY
    assert st["budget_left_fen"] == 150_000_000 - 530000 and st["budget_used_percent"] == "0.35"
    assert st["clauses"] == ["S3-7", "S2-2"]
    # a district's own budget, set as a policy version, takes over from the city's
    admin = suite.api("training", suite.admin_token)
    r = admin.post("/policies/training_budget", json={"jurisdiction": GONGSHU, "effective_from": "2025-01-01",
                                                       "value": {"annual_fen": 1_000_000}})
    assert r.status_code == 201, r.text
    st = coordinator.get("/reports/statistics", params={"year": 2025}).json()
    assert (st["budget_fen"], st["budget_jurisdiction"], st["budget_used_percent"]) == (1_000_000, GONGSHU, "53.00")
    assert city_coordinator.get("/reports/statistics", params={"year": 2025}).json()["person_times"] == 5


def test_places_abroad_go_to_the_selection_list_within_the_yearly_count(suite, coordinator):
    admin = suite.api("training", suite.admin_token)
    r = admin.post("/policies/abroad_places", json={"jurisdiction": GONGSHU, "effective_from": "2025-01-01",
                                                     "value": {"places_per_year": 1}})
    assert r.status_code == 201, r.text
    abroad = programme(coordinator, title="境外社会工作研修", location="abroad", tier="advanced_practice",
                       category="advanced_practice", hours="40", cost_fen=2_000_000)
    trip = session(coordinator, abroad["id"], start="2025-10-13T09:00:00", end="2025-10-17T17:00:00")
    chosen, other = add_worker(coordinator, "优秀"), add_worker(coordinator, "其他")
    r = enrol(coordinator, trip["id"], chosen)
    assert r.status_code == 422 and r.json()["code"] == "not_selected_abroad" and r.json()["clause"] == "S2-3"
    r = coordinator.post("/abroad-selections", json={"year": 2025, "worker_id": chosen, "note": "2025年度优秀社工"})
    assert r.status_code == 201, r.text
    selection = r.json()
    r = coordinator.post("/abroad-selections", json={"year": 2025, "worker_id": other})
    assert r.status_code == 409 and r.json()["code"] == "abroad_places_full" and r.json()["clause"] == "S2-3"
    assert coordinator.post("/abroad-selections", json={"year": 2026, "worker_id": other}).status_code == 201
    assert enrol(coordinator, trip["id"], chosen).status_code == 201
    assert enrol(coordinator, trip["id"], other).json()["code"] == "not_selected_abroad"  # selected for 2026 only
    assert [x["worker_id"] for x in coordinator.get("/abroad-selections", params={"year": 2025}).json()] == [chosen]
    # a selection in use cannot be withdrawn
    r = coordinator.delete(f"/abroad-selections/{selection['id']}")
    assert r.status_code == 409 and r.json()["code"] == "selection_in_use"
