"""The inputs training shares with the rest of the suite: uploaded tables
(CSV or XLSX, ``shared.tabular``) and the catalogue's refusals (``shared.errors``)."""
from __future__ import annotations

from tests.training.helpers import GONGSHU, add_worker, programme, schedule, session, xlsx


def test_the_roster_and_enrolments_import_from_excel(coordinator):
    body = xlsx([["worker_id", "name", "post", "jurisdiction", "hired_on"],
                 [8801, "王芳", "委员", GONGSHU, "2020-03-01"], [None, None, None, None, None],
                 [8802, "李明", "副职", GONGSHU, None]])
    r = coordinator.post("/roster/import", content=body)
    assert r.status_code == 200 and r.json() == {"rows": 2, "created": 2, "updated": 0}
    assert coordinator.get("/roster/8801").json()["hired_on"] == "2020-03-01"
    s = session(coordinator, programme(coordinator)["id"], capacity=1)
    r = coordinator.post("/enrolments/import", content=xlsx([["session_id", "worker_id"], [s["id"], 8801],
                                                              [s["id"], 8802]]))
    assert r.status_code == 201 and (r.json()["enrolled"], r.json()["waitlisted"]) == (1, 1)


def test_a_bad_excel_row_is_named_by_its_line(coordinator):
    body = xlsx([["worker_id", "name", "post", "jurisdiction"], [8803, "甲", "委员", GONGSHU],
                 [8804.5, "乙", "主任", GONGSHU]])
    r = coordinator.post("/roster/import", content=body)
    assert r.status_code == 422 and r.json()["code"] == "csv_rows_invalid"
    assert [e["field"] for e in r.json()["errors"]] == ["row 3.worker_id", "row 3.post"]
    assert coordinator.get("/roster").json()["total"] == 0


def test_an_unreadable_file_is_refused_whole(coordinator):
    r = coordinator.post("/roster/import", content=b"\xff\xfe\x00bad")
    assert r.status_code == 422 and r.json()["code"] == "csv_encoding" and r.json()["field"] == "body"
    r = coordinator.post("/enrolments/import", content=b"session_id,worker_id\n")
    assert r.status_code == 422 and r.json()["code"] == "csv_empty"


def test_a_session_ending_before_it_starts_is_the_catalogues_refusal(coordinator):
    p = programme(coordinator)
    r = schedule(coordinator, p["id"], start="2025-05-12T09:00:00", end="2025-05-12T09:00:00")
    assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == ("ends_before_start", "ends_at")
    r = coordinator.get("/sessions", params={"from": "2025-05-12", "to": "2025-05-11"})
    assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == ("ends_before_start", "to")
    assert coordinator.get("/sessions", params={"from": "2025-05-12", "to": "2025-05-12"}).status_code == 200


def test_report_years_are_checked(coordinator):
    for year, refused in ((1999, True), (2000, False), (2100, False), (2101, True)):
        r = coordinator.get("/reports/statistics", params={"year": year})
        assert (r.json()["code"] == "invalid_year" if refused else r.status_code != 422), (year, r.text)
        if refused:
            assert (r.status_code, r.json()["field"]) == (422, "year")
    r = coordinator.get("/reports/compliance", params={"year": -1})
    assert r.status_code == 422 and r.json()["code"] == "invalid_year"
    w = add_worker(coordinator, "丙")
    r = coordinator.get(f"/workers/{w}/obligations", params={"year": 10000})
    assert r.status_code == 422 and r.json()["code"] == "invalid_year"
