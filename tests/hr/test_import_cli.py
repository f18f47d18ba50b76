"""``deploy.importing`` reading HR's answers to ``POST /workers/import``: a
file refused whole (422, or 409 when every row clashes with the rolls, e.g. a
community's quota) and a partial import's rows left out become row errors;
the written rows get their ids; a hire date after today is caught before sending."""
from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from deploy import importing
from deploy.client import ApiError
from deploy.importing import Row
from tests.hr.helpers import GONGSHU, id_number


class FakeClient:
    def __init__(self, status: int, body: dict):
        self.status, self.body, self.sent = status, body, None

    def post(self, service: str, path: str, body: dict) -> dict:
        self.sent = (service, path, body)
        if self.status >= 400:
            raise ApiError(httpx.Response(self.status, json=self.body))
        return self.body


def rows(n: int) -> list[Row]:
    return [Row(i + 2, {}, {"name": f"r{i}"}) for i in range(n)]  # spreadsheet rows 2..n+1


def test_a_partial_import_maps_ids_to_the_written_rows_and_lists_the_rest():
    answer = {"dry_run": False, "count": 2, "ids": [71, 72], "refused": [
        {"item": 1, "problems": [{"field": "community_code", "code": "quota_full", "reason": "full",
                                  "reason_zh": "满编", "clause": "S4-1"},
                                 {"field": "post", "code": "unknown_post", "reason": "post", "reason_zh": "岗位"}]}]}
    client = FakeClient(201, answer)
    result = importing.import_rows(client, rows(3), partial=True)
    assert client.sent[2]["partial"] is True and client.sent[2]["dry_run"] is False
    assert result.created == [(2, 71), (4, 72)]
    assert [(e.row, e.field, e.reason_zh) for e in result.errors] == [
        (3, "community_code", "满编"), (3, "post", "岗位")]


@pytest.mark.parametrize("status", [409, 422])
def test_a_file_refused_whole_is_reported_by_row(status):
    body = {"code": "import_refused", "detail": "refused", "extra": {"items": [
        {"item": 2, "field": "community_code", "code": "quota_full", "reason": "full", "reason_zh": "满编"}]}}
    result = importing.import_rows(FakeClient(status, body), rows(3))
    assert result.created == [] and [(e.row, e.field) for e in result.errors] == [(4, "community_code")]


def test_another_refusal_is_raised():
    with pytest.raises(ApiError):
        importing.import_rows(FakeClient(409, {"code": "something_else", "detail": "x"}), rows(1))


def test_a_hire_date_after_today_is_caught_before_sending(tmp_path):
    path = tmp_path / "w.csv"
    later = (date.today() + timedelta(days=2)).isoformat()
    path.write_text("name,id_number,jurisdiction,post,hired_on\n"
                    f"甲,{id_number()},{GONGSHU},委员,{later}\n", encoding="utf-8")
    sheet = importing.read_sheet(path)
    errors = importing.check(sheet, GONGSHU, None)
    assert [(e.row, e.field) for e in errors] == [(2, "hired_on")] and sheet.rows[0].body is None
