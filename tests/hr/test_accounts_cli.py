"""``workforce accounts`` over HR's ``/users`` API (D-18), the CLI's client
bridged to the test apps."""
from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from deploy import accounts_cli
from deploy.cli import main
from deploy.client import ApiError
from tests.hr.helpers import GONGSHU, hire


class Bridge:
    """The CLI client's calls, answered by the test HR app."""

    def __init__(self, suite, token):
        self.api = suite.hr.as_(token)

    def _answer(self, r):
        if r.status_code >= 400:
            raise ApiError(r)
        return r.json()

    def get(self, service, path, params=None):
        return self._answer(self.api.get(path, params=params))

    def post(self, service, path, json=None):
        return self._answer(self.api.post(path, json=json))

    def pages(self, service, path, params=None, limit=500):
        yield from self.get(service, path, {**(params or {}), "limit": limit})["items"]


@pytest.fixture
def run(suite, monkeypatch):
    def invoke(*args):
        monkeypatch.setattr(accounts_cli, "logged_in_client", lambda: Bridge(suite, suite.admin_token))
        return CliRunner().invoke(main, ["accounts", *args])
    return invoke


def test_list_deactivate_reactivate_and_reset_by_username(suite, run):
    suite.create_user("hr-gs", "hr_officer", GONGSHU)
    out = run("deactivate", "hr-gs", "--reason", "moved away")
    assert out.exit_code == 0, out.output
    assert "deactivated (moved away)" in out.output
    listed = run("list", "--inactive")
    assert "hr-gs" in listed.output and "admin" not in listed.output.split("\n", 1)[1]
    assert "hr-gs" in run("reactivate", "hr-gs").output
    out = run("reset-password", "hr-gs")
    username, otp = out.output.split("\t")[:2]
    r = suite.hr.post("/auth/login", json={"username": username, "password": otp})
    assert r.status_code == 200 and r.json()["must_change_password"] is True


def test_issue_worker_passwords_writes_the_slips(suite, run, tmp_path):
    admin = suite.hr.as_(suite.admin_token)
    workers = [hire(admin, name=n) for n in ("王芳", "李强")]
    slips = tmp_path / "slips.csv"
    out = run("issue-worker-passwords", "--jurisdiction", GONGSHU, "-o", str(slips))
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(slips.read_text("utf-8-sig").splitlines()))
    assert {int(r["worker_id"]) for r in rows} == {w["id"] for w in workers}
    r = suite.hr.post("/auth/login", json={"username": rows[0]["username"], "password": rows[0]["one_time_password"]})
    assert r.status_code == 200
    again = run("issue-worker-passwords", "--jurisdiction", GONGSHU, "-o", str(tmp_path / "again.csv"))
    assert "0 one-time passwords" in again.output
