"""POST /workers/import: many workers in one transaction, all or none, every
bad item named; the same rules as POST /workers (GB 11643, D-2, D-8)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from hr_service.tables import GradeChange, Worker
from tests.hr.communities import register, register_defaults
from tests.hr.helpers import GONGSHU, XIHU, StatementCounter, hire, id_number, outbox_types, service

PER_COMMUNITY = 15  # D-9


def body(n: int, community=lambda i: "GS-001", **extra) -> list[dict]:
    return [{"name": f"导入{i}", "id_number": id_number(date(1985, 1, 1) + timedelta(days=i)),
             "jurisdiction": GONGSHU, "post": "委员", "hired_on": "2019-03-01", "community_code": community(i),
             "education": "本科", "service_years": i % 4, **extra}
            for i in range(n)]


@pytest.fixture
def suite(suite):
    """The SQLite suite with the communities the items name."""
    register_defaults(suite)
    return suite


def _counts(suite) -> tuple[int, int]:
    with service(suite).db.read_session() as s:
        return (s.execute(select(func.count()).select_from(Worker)).scalar_one(),
                s.execute(select(func.count()).select_from(GradeChange)).scalar_one())


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_a_clean_import_writes_everyone_with_their_grade_history_and_events(request, backend):
    suite = request.getfixturevalue(backend)
    if backend == "pg_suite":
        register_defaults(suite)
    admin = suite.hr.as_(suite.admin_token)
    items = body(5)
    items[2]["grade"] = 6
    r = admin.post("/workers/import", json={"items": items})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["count"] == 5 and len(out["ids"]) == 5 and out["dry_run"] is False
    workers = [admin.get(f"/workers/{i}").json() for i in out["ids"]]
    assert [w["name"] for w in workers] == [f"导入{i}" for i in range(5)]
    # the D-2 derivation as POST /workers makes it: 委员 1 + service years + 3 for 本科
    assert [w["grade"] for w in workers] == [4, 5, 6, 7, 4]
    assert "set by admin" in workers[2]["grade_derivation"]
    assert "starting grade" in workers[0]["grade_derivation"]
    assert outbox_types(suite).count("worker.hired") == 5
    assert _counts(suite) == (5, 5)


def test_every_bad_item_is_listed_and_nothing_is_written(suite):
    admin = suite.hr.as_(suite.admin_token)
    on_rolls = hire(admin)
    items = body(8)
    items[1]["id_number"] = items[1]["id_number"][:-1] + ("0" if items[1]["id_number"][-1] != "0" else "1")
    items[2]["post"] = "主任"
    items[3]["grade"] = 13  # 委员 1-12
    items[4]["id_number"] = items[0]["id_number"]  # the same person twice in the file
    with service(suite).db.read_session() as s:  # the read model does not show the number
        items[5]["id_number"] = s.get(Worker, on_rolls["id"]).id_number  # already on the rolls
    del items[6]["name"]  # malformed: the body's own checks
    items[7]["education"] = "高中"
    before = _counts(suite)
    r = admin.post("/workers/import", json={"items": items})
    assert r.status_code == 422, r.text
    p = r.json()
    assert p["code"] == "import_refused" and p["detail_zh"]
    assert [(e["field"]) for e in p["errors"]] == [
        "items[1].id_number", "items[2].post", "items[3].grade", "items[4].id_number", "items[5].id_number",
        "items[6].name", "items[7].education"]
    codes = {x["item"]: x["code"] for x in p["extra"]["items"]}
    assert codes == {1: "id_number_check_digit", 2: "unknown_post", 3: "grade_outside_band", 4: "duplicate_in_request",
                     5: "id_number_taken", 6: "invalid_item", 7: "unknown_education"}
    assert "check" in p["errors"][0]["reason"].lower()
    assert all(x["reason_zh"] for x in p["extra"]["items"])
    assert "item 0" in p["errors"][3]["reason"]
    assert _counts(suite) == before and outbox_types(suite).count("worker.hired") == 1


def test_the_callers_jurisdiction_bounds_every_item(suite):
    gongshu = suite.hr.as_(suite.create_user("gs", "hr_officer", GONGSHU))
    items = body(3)
    items[1]["jurisdiction"] = XIHU
    r = gongshu.post("/workers/import", json={"items": items})
    assert r.status_code == 422
    [x] = r.json()["extra"]["items"]
    assert (x["item"], x["field"], x["code"], x["clause"]) == (1, "jurisdiction", "outside_jurisdiction", "D-8")
    worker_id = hire(suite.hr.as_(suite.admin_token))["id"]
    worker = suite.hr.as_(suite.create_user("w", "worker", GONGSHU, worker_id=worker_id))
    assert worker.post("/workers/import", json={"items": body(1)}).status_code == 403
    assert gongshu.post("/workers/import", json={"items": []}).status_code == 400


def test_a_dry_run_checks_and_writes_nothing(suite):
    admin = suite.hr.as_(suite.admin_token)
    items = body(4)
    r = admin.post("/workers/import", json={"items": items, "dry_run": True})
    assert r.status_code == 200 and r.json() == {"dry_run": True, "count": 4, "ids": [], "refused": []}
    assert _counts(suite) == (0, 0) and outbox_types(suite) == []
    items[3]["post"] = "主任"
    r = admin.post("/workers/import", json={"items": items, "dry_run": True})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["items[3].post"]
    assert admin.post("/workers/import", json={"items": body(2)}).status_code == 201


def test_a_thousand_rows_take_a_few_statements(suite):
    admin = suite.hr.as_(suite.admin_token)
    svc = service(suite)
    for k in range(1000 // PER_COMMUNITY + 1):
        register(admin, f"GS-T{k:03d}")
    counts = []
    for n, community in ((10, lambda i: "GS-001"), (1000, lambda i: f"GS-T{i // PER_COMMUNITY:03d}")):
        with StatementCounter(svc.db.engine) as c:  # ten rows in one community, a thousand in 67
            r = admin.post("/workers/import", json={"items": body(n, community)})
        assert r.status_code == 201 and r.json()["count"] == n
        counts.append(c.count)
    # the policies are read once, the communities locked and counted together, the inserts
    # batched: no statement per row nor per community
    assert counts[1] < counts[0] + 40, counts
    assert admin.get("/workers", params={"limit": 1}).json()["total"] == 1010
