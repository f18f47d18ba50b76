"""``workforce calendar`` over the services' ``/calendar`` APIs (D-10), the
CLI's client bridged to the test apps."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from deploy import calendar_cli
from deploy.cli import main
from deploy.client import ApiError


class Bridge:
    """The CLI client's ``get`` and ``put``, answered by the test apps."""

    def __init__(self, suite, token):
        self.suite, self.token = suite, token

    def _answer(self, r):
        if r.status_code >= 400:
            raise ApiError(r)
        return r.json()

    def get(self, service, path):
        return self._answer(self.suite.api(service, self.token).get(path))

    def put(self, service, path, json=None):
        return self._answer(self.suite.api(service, self.token).put(path, json=json))


@pytest.fixture
def run(suite, monkeypatch):
    def invoke(*args, token=None):
        monkeypatch.setattr(calendar_cli, "client", lambda: Bridge(suite, token or suite.admin_token))
        return CliRunner().invoke(main, ["calendar", *args])
    return invoke


def test_load_a_year_on_both_services_then_list_and_show_it(suite, run, tmp_path):
    arrangement = tmp_path / "2027.json"
    arrangement.write_text(json.dumps({"holidays": ["2027-01-01"], "working_days": [], "source": "国办发明电"}),
                           "utf-8")
    out = run("load", "2027", str(arrangement))
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        f"{s}: 2027 loaded, 1 holidays, 0 make-up working days (0 earlier versions kept)" for s in ("hr", "certs")]
    for service in ("hr", "certs"):
        assert suite.api(service, suite.admin_token).get("/calendar/2027").json()["in_force"]["source"] == "国办发明电"
    listed = run("list").output.splitlines()
    assert [line.split("\t")[:2] for line in listed if "\t2027\t" in line] == [["hr", "2027"], ["certs", "2027"]]
    shown = run("show", "2027", "--service", "certs").output
    assert shown.startswith("2027: 国办发明电 (loaded by admin") and "holidays: 2027-01-01" in shown


def test_a_refused_year_shows_the_problem(run, tmp_path):
    arrangement = tmp_path / "bad.json"
    arrangement.write_text(json.dumps({"holidays": ["2026-12-31"], "source": "x"}), "utf-8")
    out = run("load", "2027", str(arrangement))
    assert out.exit_code != 0 and "date_outside_year" in out.output and "holidays[0]" in out.output
    arrangement.write_text("{not json", "utf-8")
    assert "not JSON" in run("load", "2027", str(arrangement)).output
