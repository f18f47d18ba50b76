"""``workforce demo`` against the running suite (a small district): it completes,
the accounts it prints work, and a second run does not fail."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from deploy.cli import main
from tests.conftest import ADMIN_PASSWORD
from tests.support.api import login

pytestmark = pytest.mark.e2e


def test_demo_seeds_a_small_district_and_its_accounts_work(live, tmp_path):
    env = {**live.env(), "WORKFORCE_CONFIG_DIR": str(tmp_path / "cfg")}
    args = ["demo", "--admin-password", ADMIN_PASSWORD, "--workers", "60"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Steps that did not finish" not in out, out
    assert "held and closed: 27 completed, 3 did not" in out
    assert "gave up waiting" not in out, out
    assert "2 hired on probation into XIHU-NEW; campaign closed" in out, out
    assert "2 leader talent(s) designated" in out, out
    assert "/me/page" in out and "workforce login -u demo.hr -p demo-pass-1" in out
    found = re.search(r"As a worker:\n  (\d{17}[\dX]) \(worker (\d+)\)", out)  # D-18: named by the ID number
    worker_login, worker_id = found.group(1), int(found.group(2))

    hr = live.clients["hr"]
    officer = live.api("hr", login(hr, "demo.hr", "demo-pass-1"))
    # 60 imported in batches, and the campaign's 2 hired on probation into the new community
    page = officer.get("/workers", params={"jurisdiction": "hangzhou.xihu", "limit": 1}).json()
    assert page["total"] == 62
    hired = officer.get("/workers", params={"community_code": "XIHU-NEW"}).json()["items"]
    assert [w["status"] for w in hired] == ["probation", "probation"]
    assert len(officer.get("/communities", params={"district": "hangzhou.xihu"}).json()["items"]) == 6
    assert officer.get("/campaigns").json()["items"][0]["status"] == "closed"

    # the talent round went through to its leader talents, and talent.selected reached HR and training
    certs_officer = live.api("certs", login(hr, "demo.certs", "demo-pass-1"))
    rounds = certs_officer.get("/talent-rounds").json()
    assert rounds["total"] == 1 and rounds["items"][0]["state"] == "final", rounds
    talents = [d["worker_id"] for d in certs_officer.get("/leader-talents").json()["items"]]
    assert len(talents) == 2, talents
    assert any(d["kind"] == "leader_talent" for d in officer.get(f"/workers/{talents[0]}/designations").json())
    roster = live.api("training", login(hr, "demo.training", "demo-pass-1")).get(f"/roster/{talents[0]}").json()
    assert any(d["designation"] == "leader_talent" for d in roster["designations"]), roster

    me = live.api("hr", login(hr, worker_login, "demo-pass-1"))
    assert me.get("/me").json()["id"] == worker_id
    assert me.get("/workers/1" if worker_id != 1 else "/workers/2").status_code == 404
    token = me.token
    certs = live.api("certs", token).get("/me/certificates").json()
    assert certs["certificates"] and certs["certificates"][0]["registration"] is not None
    enrolments = live.api("training", token).get("/me/enrolments").json()
    assert enrolments

    coordinator = live.api("training", login(hr, "demo.training", "demo-pass-1"))
    held = [s for s in coordinator.get("/sessions", params={"from": "2000-01-01"}).json()["items"]
            if s["status"] == "closed"]
    assert held

    again = CliRunner().invoke(main, args, env=env)
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output
    assert officer.get("/workers", params={"jurisdiction": "hangzhou.xihu", "limit": 1}).json()["total"] == 62
    assert certs_officer.get("/talent-rounds").json()["total"] == 1  # found again, not opened again
