"""Names and free text on every way in (issue's input rules; docs/architecture.md,
"How a request flows"): a blank-only name is a 400 naming the field on each
service; a name is kept without the spaces around it; every file import
refuses, by row and column, a cell no text may hold (``shared.text``), a CSV
field over the csv module's limit, a file that is neither CSV nor XLSX and a
broken workbook, as a 4xx and never half a change; the CLI's ``workers
import`` says so and exits non-zero without a traceback. Roles outside a
write route's guard get 403 (D-8)."""
from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner

from deploy import cli
from deploy.cli import main
from shared.tabular import FIELD_LIMIT
from tests.hr.helpers import GONGSHU, hire, id_number
from tests.training.helpers import add_worker, enrol, import_roster, programme, session, xlsx

BLANKS = ["", "   ", "\u3000\u3000", "\t"]  # nothing, spaces, ideographic spaces, a tab


@pytest.fixture
def coordinator(suite):
    """A training coordinator of Gongshu district, as an API client."""
    return suite.api("training", suite.create_user("tc-gongshu", "training_coordinator", GONGSHU))


def assert_refused(r, field: str | None = None, statuses=(400, 422)) -> dict:
    assert r.status_code in statuses, r.text
    body = r.json()
    if field is not None:
        assert body["field"] == field or field in str(body.get("errors")), body
    return body


def broken_workbooks() -> dict[str, bytes]:
    """A truncated workbook, a zip that is no workbook, and a workbook whose sheet XML is cut short."""
    good = xlsx([["worker_id", "name", "post", "jurisdiction"], [1, "甲", "委员", GONGSHU]])
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("a.txt", "hello")
    cut = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(cut, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<worksheet><sheetData><row><c" if item.filename.endswith("sheet1.xml") else data)
    return {"truncated": good[: len(good) // 2], "not_a_workbook": other.getvalue(), "bad_xml": cut.getvalue()}


# --- names in request bodies -------------------------------------------------------------


@pytest.mark.parametrize("name", BLANKS)
def test_hr_refuses_a_blank_worker_or_contact_name(suite, name):
    admin = suite.hr.as_(suite.admin_token)
    body = {"name": name, "id_number": id_number(), "jurisdiction": GONGSHU, "post": "委员", "hired_on": "2020-03-01"}
    assert_refused(admin.post("/workers", json=body), "name", (400,))
    body = {**body, "name": "王芳", "emergency_contact_name": name}
    assert_refused(admin.post("/workers", json=body), "emergency_contact_name", (400,))
    assert admin.get("/workers", params={"jurisdiction": GONGSHU}).json()["total"] == 0


def test_a_worker_name_is_kept_without_surrounding_spaces_and_has_a_limit(suite):
    admin = suite.hr.as_(suite.admin_token)
    suite.hr.as_(suite.admin_token).post("/communities", json={
        "code": "GS-001", "name": "GS-001", "district": GONGSHU, "households": 6000, "effective_from": "2000-01-01"})
    w = hire(admin, name="  王芳\u3000")
    assert w["name"] == "王芳"
    assert admin.get(f"/workers/{w['id']}").json()["name"] == "王芳"
    body = {"name": "王" * 65, "id_number": id_number(), "jurisdiction": GONGSHU, "post": "委员",
            "hired_on": "2020-03-01"}
    assert_refused(admin.post("/workers", json=body), "name", (400,))


def test_training_refuses_a_blank_programme_title_and_trainer(suite, coordinator):
    assert_refused(coordinator.post("/programmes", json={"title": "  "}), "title", (400,))
    p = programme(coordinator)
    r = coordinator.post(f"/programmes/{p['id']}/sessions", json={
        "starts_at": "2025-05-12T09:00:00", "ends_at": "2025-05-12T17:00:00", "capacity": 3, "trainer": "\u3000"})
    assert_refused(r, "trainer", (400,))


def test_certs_refuses_a_blank_profile_name(suite):
    officer = suite.api("certs", suite.create_user("co-gs", "cert_officer", GONGSHU))
    r = officer.post("/profiles", json={"worker_id": 7, "name": " \u3000 ", "jurisdiction": GONGSHU})
    assert_refused(r, "name", (400,))
    body = r.json()
    assert "must not be blank" in body["detail"] and "不能为空" in body["detail_zh"]  # not the validator's words
    assert officer.get("/profiles/7").status_code == 404


# --- file imports -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["张\x01三", "张\x1b三", "\u202e三张", "张\x7f三"])
def test_the_roster_import_refuses_a_cell_no_text_may_hold_by_row_and_column(suite, coordinator, bad):
    rows = [dict(worker_id=7001, name="李四", post="委员", jurisdiction=GONGSHU),
            dict(worker_id=7002, name=bad, post="委员", jurisdiction=GONGSHU)]
    body = assert_refused(import_roster(coordinator, rows), statuses=(422,))
    assert body["code"] == "text_invalid" and body["field"] == "row 3.name", body
    assert coordinator.get("/roster/7001").status_code == 404  # nothing was written


def test_a_roster_workbook_with_a_bidi_override_is_refused(suite, coordinator):
    body = xlsx([["worker_id", "name", "post", "jurisdiction"], [7003, "\u202e四李", "委员", GONGSHU]])
    r = coordinator.post("/roster/import", content=body)
    assert assert_refused(r, statuses=(422,))["field"] == "row 2.name"


def test_an_enrolment_file_with_a_control_character_is_refused(suite, coordinator):
    wid = add_worker(coordinator, "王五")
    s = session(coordinator, programme(coordinator)["id"])
    r = coordinator.post("/enrolments/import", content=f"session_id,worker_id,note\n{s['id']},{wid},a\x02b\n".encode())
    assert assert_refused(r, statuses=(422,))["field"] == "row 2.note"
    assert coordinator.get(f"/sessions/{s['id']}/enrolments").json() == []


@pytest.mark.parametrize("path", ["/roster/import", "/enrolments/import"])
def test_a_csv_field_over_the_limit_is_a_4xx_naming_its_line(suite, coordinator, path):
    big = "x" * (FIELD_LIMIT + 1)
    header = "worker_id,name,post,jurisdiction" if path == "/roster/import" else "session_id,worker_id"
    r = coordinator.post(path, content=f"{header}\n1,{big}\n".encode())
    body = assert_refused(r, statuses=(422,))
    assert (body["code"], body["field"]) == ("csv_malformed", "body")
    assert body["detail"] == "Line 2: a field is longer than 131,072 characters."


@pytest.mark.parametrize("path", ["/roster/import", "/enrolments/import"])
def test_a_file_neither_csv_nor_xlsx_is_a_4xx(suite, coordinator, path):
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4  # an Excel 97-2003 file
    assert assert_refused(coordinator.post(path, content=xls), statuses=(422,))["code"] == "file_type"
    body = assert_refused(coordinator.post(path, content=b"\x00\x01\x02" * 50), statuses=(422,))
    assert (body["code"], body["field"]) == ("file_type", "body")


@pytest.mark.parametrize("kind", ["truncated", "not_a_workbook", "bad_xml"])
def test_a_broken_workbook_is_a_4xx_on_every_import(suite, coordinator, kind):
    data = broken_workbooks()[kind]
    for path in ("/roster/import", "/enrolments/import"):
        body = assert_refused(coordinator.post(path, content=data), statuses=(422,))
        assert (body["code"], body["field"]) == ("xlsx_malformed", "body")


def test_hr_refuses_an_imported_item_with_a_control_character(suite):
    admin = suite.hr.as_(suite.admin_token)
    items = [{"name": "王\x01芳", "id_number": id_number(), "jurisdiction": GONGSHU, "post": "委员",
              "hired_on": "2020-03-01"}]
    r = admin.post("/workers/import", json={"items": items})
    body = assert_refused(r, "items[0].name", statuses=(422,))  # the JSON guard, before the handler
    assert body["code"] == "text_invalid"
    assert admin.get("/workers", params={"jurisdiction": GONGSHU}).json()["total"] == 0


# --- the CLI's workers import --------------------------------------------------------------


class NoServer:
    """A client for a command that must fail before it calls a service."""

    def claims(self):
        return {"jur": GONGSHU}

    def __getattr__(self, name):
        raise AssertionError(f"the command called the service ({name})")


@pytest.mark.parametrize("kind", ["truncated", "not_a_workbook", "bad_xml"])
def test_the_cli_says_a_broken_workbook_cannot_be_read(tmp_path, monkeypatch, kind):
    path = tmp_path / "workers.xlsx"
    path.write_bytes(broken_workbooks()[kind])
    monkeypatch.setattr(cli, "logged_in_client", NoServer)
    done = CliRunner().invoke(main, ["workers", "import", str(path)])
    assert done.exit_code == 1, done.output
    assert f"cannot read {path}" in done.output and "not a readable XLSX workbook" in done.output
    assert "Traceback" not in done.output and isinstance(done.exception, SystemExit)


def test_the_cli_reports_a_control_character_by_row_and_sends_nothing_of_that_row(tmp_path):
    from deploy import importing

    path = tmp_path / "workers.csv"
    path.write_text("name,id_number,jurisdiction,post,hired_on\n"
                    f"王芳,{id_number()},{GONGSHU},委员,2020-03-01\n"
                    f"李\x01强,{id_number()},{GONGSHU},委员,2020-03-01\n", encoding="utf-8")
    sheet = importing.read_sheet(path)
    errors = importing.check(sheet, GONGSHU, None)
    assert [(e.row, e.field) for e in errors] == [(3, "name")]
    assert "control character" in errors[0].reason
    assert sheet.rows[0].body is not None and sheet.rows[1].body is None


# --- roles outside a write route's guard ------------------------------------------------------


@pytest.mark.parametrize("role", ["hr_officer", "cert_officer"])
def test_other_services_officers_may_not_enrol_or_cancel(suite, coordinator, role):
    wid = add_worker(coordinator, "赵六")
    s = session(coordinator, programme(coordinator)["id"])
    place = enrol(coordinator, s["id"], wid).json()
    other = suite.api("training", suite.create_user(f"{role}-gs", role, GONGSHU))
    for r in (other.post(f"/enrolments/{place['id']}/cancel", json={}),
              other.post(f"/enrolments/{place['id'] + 1000}/cancel", json={}),
              other.post(f"/sessions/{s['id']}/enrolments", json={"worker_id": wid})):
        assert r.status_code == 403 and r.json()["code"] == "role_not_allowed", r.text
    assert coordinator.get(f"/enrolments/{place['id']}").json()["status"] == "enrolled"
