"""The ``workforce`` CLI against the running suite."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from deploy.cli import main
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e


def test_login_keeps_the_token_and_reports_problems(live, tmp_path):
    env = {**live.env(), "WORKFORCE_CONFIG_DIR": str(tmp_path / "cfg")}
    runner = CliRunner()
    ok = runner.invoke(main, ["login", "-u", "admin", "-p", ADMIN_PASSWORD], env=env)
    assert ok.exit_code == 0, ok.output
    assert "Logged in as admin (admin, hangzhou)" in ok.output
    saved = json.loads((tmp_path / "cfg" / "credentials.json").read_text())
    assert live.api("hr", saved["token"]).get("/workers").status_code == 200

    bad = runner.invoke(main, ["login", "-u", "admin", "-p", "wrong"], env=env)
    assert bad.exit_code == 1
    assert "401 bad_credentials" in bad.output and "用户名或密码错误" in bad.output
