"""D-18: the audit log. The session listener (insert, update and delete diffs,
secrets masked, set-based statements, the same transaction as the change),
``GET /audit`` (filters, paging, who sees what) and the CLI export."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import String, insert, select, text, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared import audit
from shared.db import BigId, Database, add_infra_tables, new_metadata
from shared.errors import Conflict
from tests.hr.communities import register_defaults
from tests.hr.helpers import GONGSHU, XIHU, hire

metadata = new_metadata()
infra = add_infra_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata


class Account(Base):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(40))
    jurisdiction: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)


@pytest.fixture
def db(tmp_path):
    d = Database(f"sqlite:///{tmp_path / 'audit.sqlite3'}", audit=infra.audit)
    metadata.create_all(d.engine)
    yield d
    d.dispose()


def log(db: Database) -> list:
    with db.read_session() as s:
        return list(s.execute(select(infra.audit).order_by(infra.audit.c.id)))


def test_insert_update_delete_record_the_fields_that_changed(db):
    who = audit.Actor("hr-1", "hr_officer", GONGSHU, "10.0.0.7", "POST /accounts")
    with audit.acting(who), db.transaction() as s:
        a = Account(name="王芳", jurisdiction=f"{GONGSHU}.hushu", password_hash="secret")
        s.add(a)
    with audit.acting(who), db.transaction() as s:
        a = s.get(Account, a.id)
        a.name = "王芳芳"
        a.jurisdiction = a.jurisdiction  # unchanged: not listed
        a.password_hash = "other"
    with db.transaction() as s:
        s.delete(s.get(Account, a.id))
    ins, upd, dele = log(db)
    assert (ins.entity, ins.entity_key, ins.action, ins.actor, ins.role, ins.address, ins.request) == (
        "account", str(a.id), "insert", "hr-1", "hr_officer", "10.0.0.7", "POST /accounts")
    assert ins.jurisdiction == f"{GONGSHU}.hushu"  # the row's own, not the actor's
    assert ins.changes == {"id": a.id, "name": "王芳", "jurisdiction": f"{GONGSHU}.hushu", "password_hash": "***"}
    assert upd.action == "update" and upd.changes == {"name": ["王芳", "王芳芳"], "password_hash": ["***", "***"]}
    assert (dele.action, dele.actor, dele.request) == ("delete", "system", None)
    assert dele.changes["name"] == "王芳芳" and dele.changes["password_hash"] == "***"


def test_a_refusal_rolls_the_audit_row_back_with_the_change(db):
    with pytest.raises(Conflict), db.transaction() as s:
        s.add(Account(name="甲", jurisdiction=GONGSHU))
        s.flush()
        assert len(s.execute(select(infra.audit)).all()) == 1  # written in the same transaction
        raise Conflict("refused", "refused", "拒绝")
    assert log(db) == []
    with db.transaction() as s:
        s.add(Account(name="乙", jurisdiction=GONGSHU))
    assert len(log(db)) == 1


def test_an_update_that_changes_nothing_and_the_infra_tables_leave_no_row(db):
    with db.transaction() as s:
        a = Account(name="甲", jurisdiction=GONGSHU)
        s.add(a)
    with db.transaction() as s:
        s.get(Account, a.id).name = "甲"
        s.execute(insert(infra.outbox).values(event_id="e1", event_type="x", payload={},
                                              created_at=datetime.now(UTC), attempts=0))
    assert [r.action for r in log(db)] == ["insert"]


def test_set_based_statements_are_recorded_per_row_or_per_statement(db):
    with audit.acting("job:nightly"), db.transaction() as s:
        s.execute(insert(Account), [{"name": f"w{i}", "jurisdiction": XIHU} for i in range(3)])
        s.execute(update(Account).where(Account.name != "w0").values(name="moved"))
        s.execute(text("DELETE FROM account WHERE name = :n"), {"n": "moved"})
    rows = log(db)
    assert [(r.entity, r.action) for r in rows] == [("account", "insert")] * 3 + [("account", "update"),
                                                                                  ("account", "delete")]
    assert {r.actor for r in rows} == {"job:nightly"} and rows[0].jurisdiction == XIHU
    assert rows[1].changes == {"name": "w1", "jurisdiction": XIHU}
    assert rows[3].changes["statement_rows"] == 2 and rows[3].changes["params"]["name"] == "moved"
    assert rows[4].changes == {"params": {"n": "moved"}, "statement_rows": 2}


def test_text_targets():
    assert audit.text_target("INSERT INTO payslip (a) SELECT 1") == ("payslip", "insert")
    assert audit.text_target("  update worker SET grade = 2") == ("worker", "update")
    assert audit.text_target("WITH x AS (SELECT 1) DELETE FROM pay_adjustment") == ("pay_adjustment", "delete")
    assert audit.text_target("CREATE TEMP TABLE step_decision AS SELECT 1") is None
    assert audit.text_target("SELECT 1") is None


# --- GET /audit and the CLI ------------------------------------------------------------------------------


@pytest.fixture
def hired(suite):
    register_defaults(suite)
    admin = suite.hr.as_(suite.admin_token)
    gongshu = hire(admin, name="拱墅")
    xihu = hire(admin, name="西湖", jurisdiction=XIHU, community_code="XH-001")
    officer = suite.hr.as_(suite.create_user("hr-gs", "hr_officer", GONGSHU))
    r = officer.post(f"/workers/{gongshu['id']}/transfers",
                     json={"community_code": "GS-002", "effective_on": "2025-09-01", "reason": "reorganisation"})
    assert r.status_code == 201, r.text
    return gongshu, xihu, officer


def test_the_log_is_filtered_paged_and_newest_first(suite, hired):
    gongshu, _, _ = hired
    admin = suite.hr.as_(suite.admin_token)
    page = admin.get("/audit", params={"entity": "worker", "entity_key": str(gongshu["id"])}).json()
    assert [(e["action"], e["actor"]) for e in page["items"]] == [("update", "hr-gs"), ("insert", "admin")]
    update_, insert_ = page["items"]
    assert update_["changes"]["community_code"] == ["GS-001", "GS-002"]
    assert update_["request"] == f"POST /workers/{gongshu['id']}/transfers" and update_["address"] == "testclient"
    assert insert_["changes"]["name"] == "拱墅" and insert_["jurisdiction"] == GONGSHU
    by_officer = admin.get("/audit", params={"actor": "hr-gs", "limit": 2}).json()
    assert by_officer["total"] >= 2 and len(by_officer["items"]) == 2
    assert {e["actor"] for e in by_officer["items"]} == {"hr-gs"}
    assert admin.get("/audit", params={"action": "delete", "entity": "worker"}).json()["total"] == 0
    today = date.today().isoformat()
    assert admin.get("/audit", params={"from": today, "to": today}).json()["total"] > 0
    assert admin.get("/audit", params={"to": "2020-01-01"}).json()["total"] == 0
    assert admin.get("/audit", params={"from": "2199-01-01T00:00:00"}).json()["total"] == 0
    instant = {"entity": "worker", "entity_key": str(gongshu["id"]), "from": update_["at"], "to": update_["at"]}
    assert [e["id"] for e in admin.get("/audit", params=instant).json()["items"]] == [update_["id"]]  # `to` includes it
    for params, field in (({"from": "yesterday"}, "from"), ({"action": "drop"}, "action"), ({"limit": 0}, "limit"),
                          ({"from": "2025-02-01", "to": "2025-01-01"}, "to"),
                          ({"from": "2025-02-01", "to": "2025-01-31"}, "to")):
        r = admin.get("/audit", params=params)
        assert r.status_code in (400, 422) and r.json()["field"] == field, r.text


def test_officers_see_their_jurisdiction_and_workers_none(suite, hired):
    gongshu, xihu, officer = hired
    seen = officer.get("/audit", params={"entity": "worker", "limit": 500}).json()["items"]
    assert {e["entity_key"] for e in seen} == {str(gongshu["id"])}
    assert all(e["jurisdiction"].startswith(GONGSHU) for e in officer.get("/audit", params={"limit": 500}
                                                                          ).json()["items"])
    admin_seen = suite.hr.as_(suite.admin_token).get("/audit", params={"entity": "worker"}).json()["items"]
    assert {str(gongshu["id"]), str(xihu["id"])} <= {e["entity_key"] for e in admin_seen}
    coordinator = suite.create_user("tc-xh", "training_coordinator", XIHU)
    assert suite.training.as_(coordinator).get("/audit").status_code == 200
    r = suite.hr.as_(coordinator).get("/audit")  # HR's log holds records in full: HR's officers only
    assert r.status_code == 403 and r.json()["code"] == "not_this_services_officer" and r.json()["clause"] == "D-18"
    assert suite.certs.as_(officer.token).get("/audit").status_code == 403
    me = suite.hr.as_(suite.create_user("w-gs", "worker", GONGSHU, worker_id=gongshu["id"]))
    r = me.get("/audit")
    assert r.status_code == 403 and r.json()["code"] == "role_not_allowed"
    assert suite.certs.get("/audit").status_code == 401


def cli_client(suite, token: str):
    from deploy.client import Client

    client = Client(suite.settings, token=token)
    client.http = suite.hr.client  # requests go to the test apps: each service's client by its URL
    client.urls = {"hr": "", "training": "", "certs": ""}
    return client


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_cli_exports_the_rows_the_filters_select(suite, hired, tmp_path, monkeypatch, suffix):
    from deploy import audit_cli
    from deploy.cli import main

    gongshu, _, _ = hired
    monkeypatch.setattr(audit_cli, "PAGE", 1)  # one row a page: the export walks every page
    monkeypatch.setattr(audit_cli, "logged_in_client", lambda: cli_client(suite, suite.admin_token))
    out = tmp_path / f"audit.{suffix}"
    done = CliRunner().invoke(main, ["audit", "export", "--service", "hr", "--entity", "worker", "--entity-key",
                                     str(gongshu["id"]), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "Wrote 2 audit row(s) of hr" in done.output and "2/2 audit row(s) of hr" in done.output
    if suffix == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    else:
        from openpyxl import load_workbook

        rows = [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]
    assert rows[0][:3] == ["时间（北京时间）", "操作人", "角色"]
    entries = suite.hr.as_(suite.admin_token).get("/audit", params={"entity": "worker",
                                                                    "entity_key": str(gongshu["id"])}).json()["items"]
    at = datetime.fromisoformat(entries[0]["at"])
    assert at.tzinfo is not None  # the API says its zone; the file is in Beijing time
    assert rows[1][0] == at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert [(r[1], r[7]) for r in rows[1:]] == [("hr-gs", "update"), ("admin", "insert")]
    assert '"community_code": ["GS-001", "GS-002"]' in rows[1][9]


@pytest.mark.postgres
def test_on_postgresql_the_log_is_written_and_append_only(pg_suite):
    from sqlalchemy.exc import DBAPIError

    register_defaults(pg_suite)
    admin = pg_suite.hr.as_(pg_suite.admin_token)
    w = hire(admin, name="拱墅")
    [entry] = admin.get("/audit", params={"entity": "worker", "entity_key": str(w["id"])}).json()["items"]
    assert entry["changes"]["name"] == "拱墅" and entry["actor"] == "admin" and entry["jurisdiction"] == GONGSHU
    run = admin.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": "2025-01"})
    assert run.status_code == 201, run.text
    slips = admin.get("/audit", params={"entity": "payslip"}).json()["items"]
    assert slips and slips[0]["changes"]["statement_rows"] == 1
    svc = pg_suite.hr.client.app.state.service
    with pytest.raises(DBAPIError, match="append-only"), svc.db.transaction() as s:
        s.connection().execute(text("UPDATE audit_log SET actor = 'someone else'"))
