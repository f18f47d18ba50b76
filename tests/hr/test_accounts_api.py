"""Accounts over HTTP (D-18): managing them, revocation at once on all three
services, one-time passwords, the throttle and the lock, workers' accounts."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import redis
from litestar.testing import TestClient
from sqlalchemy import select

from hr_service.accounts.tables import LoginAttempt, UserAccount
from hr_service.app import create_app as create_hr_app
from shared import revocation
from tests.hr.helpers import GONGSHU, XIHU, hire, service
from tests.support.api import Api
from training_service.app import create_app

PASSWORD = "password-123"
SERVICES = ("hr", "training", "certs")


def officer(suite, username: str, jurisdiction: str = GONGSHU, role: str = "hr_officer") -> dict:
    r = suite.hr.as_(suite.admin_token).post("/users", json={"username": username, "password": PASSWORD,
                                                             "role": role, "jurisdiction": jurisdiction})
    assert r.status_code == 201, r.text
    return r.json()


def login(suite, username: str, password: str = PASSWORD):
    return suite.hr.post("/auth/login", json={"username": username, "password": password})


def token(suite, username: str, password: str = PASSWORD) -> str:
    r = login(suite, username, password)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def reaches(suite, tok: str) -> dict[str, int]:
    """What each service answers the token on a route every officer may read."""
    return {s: suite.api(s, tok).get("/policies/keys").status_code for s in SERVICES}


def test_a_worker_account_is_not_made_by_hand(suite):
    r = suite.hr.as_(suite.admin_token).post("/users", json={"username": "w", "password": PASSWORD,
                                                             "role": "worker", "jurisdiction": GONGSHU})
    assert r.status_code == 422
    assert r.json()["code"] == "worker_account_by_hand" and r.json()["clause"] == "D-18"


def test_deactivation_stops_the_tokens_at_once_on_every_service_and_reactivation_lets_log_in(suite):
    account = officer(suite, "hr-gs")
    tok = token(suite, "hr-gs")
    assert reaches(suite, tok) == {"hr": 200, "training": 200, "certs": 200}
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post(f"/users/{account['id']}/deactivate", json={"reason": "left the office"})
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["deactivated_by"] == "admin"
    assert reaches(suite, tok) == {"hr": 401, "training": 401, "certs": 401}
    assert suite.training.as_(tok).get("/policies/keys").json()["code"] == "token_revoked"
    r = login(suite, "hr-gs")
    assert r.status_code == 401 and r.json()["code"] == "bad_credentials"  # no hint it is closed
    assert admin.post(f"/users/{account['id']}/reactivate").status_code == 200
    fresh = token(suite, "hr-gs")
    assert reaches(suite, fresh) == {"hr": 200, "training": 200, "certs": 200}
    assert reaches(suite, tok)["certs"] == 401  # the token from before stays revoked


def test_a_one_time_password_must_be_changed_before_anything_else(suite):
    account = officer(suite, "hr-gs")
    r = suite.hr.as_(suite.admin_token).post(f"/users/{account['id']}/one-time-password")
    assert r.status_code == 200, r.text
    otp = r.json()["one_time_password"]
    assert login(suite, "hr-gs").status_code == 401  # the old password is gone
    r = login(suite, "hr-gs", otp)
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    limited = r.json()["access_token"]
    for s in SERVICES:
        r = suite.api(s, limited).get("/policies/keys")
        assert r.status_code == 403 and r.json()["code"] == "password_change_required", (s, r.text)
    r = suite.hr.as_(limited).post("/auth/password", json={"current_password": otp, "new_password": "short1"})
    assert r.status_code == 422 and r.json()["field"] == "new_password"
    r = suite.hr.as_(limited).post("/auth/password", json={"current_password": otp,
                                                           "new_password": "river-stone-42"})
    assert r.status_code == 200 and r.json()["must_change_password"] is False
    assert reaches(suite, r.json()["access_token"]) == {"hr": 200, "training": 200, "certs": 200}
    assert suite.hr.as_(limited).get("/policies/keys").status_code == 401  # revoked by the change
    assert login(suite, "hr-gs", otp).status_code == 401
    assert login(suite, "hr-gs", "river-stone-42").status_code == 200


def test_a_password_change_proves_the_current_one_and_follows_the_rule(suite):
    officer(suite, "hr-gs")
    me = suite.hr.as_(token(suite, "hr-gs"))
    r = me.post("/auth/password", json={"current_password": "wrong-pass-1", "new_password": "river-stone-42"})
    assert r.status_code == 422 and r.json()["field"] == "current_password"
    for bad, code in (("password-123", "password_reused"), ("my-hr-gs-pass-1", "password_contains_username"),
                      ("onlyletters-here", "password_needs_letters_and_digits")):
        r = me.post("/auth/password", json={"current_password": PASSWORD, "new_password": bad})
        assert r.status_code == 422 and r.json()["code"] == code and r.json()["field"] == "new_password", r.text
    assert login(suite, "hr-gs").status_code == 200  # nothing changed


def test_officers_manage_only_the_accounts_below_them(suite):
    admin = suite.hr.as_(suite.admin_token)
    district = suite.hr.as_(suite.create_user("hr-gs", "hr_officer", GONGSHU))
    r = district.post("/users", json={"username": "hr-hushu", "password": PASSWORD, "role": "hr_officer",
                                      "jurisdiction": GONGSHU + ".hushu"})
    assert r.status_code == 201, r.text
    street = r.json()
    peer = officer(suite, "tc-gs", GONGSHU, "training_coordinator")
    xihu = officer(suite, "hr-xh-street", XIHU + ".beishan")
    r = district.post("/users", json={"username": "hr-gs-2", "password": PASSWORD, "role": "hr_officer",
                                      "jurisdiction": GONGSHU})
    assert r.status_code == 403 and r.json()["code"] == "account_not_below"
    r = district.post(f"/users/{peer['id']}/deactivate", json={"reason": "x"})
    assert r.status_code == 403 and r.json()["code"] == "account_not_below"
    assert district.post(f"/users/{xihu['id']}/deactivate", json={"reason": "x"}).status_code == 403
    assert district.get(f"/users/{xihu['id']}").status_code == 404  # D-8: outside reads as absent
    assert district.get(f"/users/{street['id']}").status_code == 200
    listed = {u["username"] for u in district.get("/users").json()["items"]}
    assert listed == {"hr-hushu"}
    assert district.post(f"/users/{street['id']}/deactivate", json={"reason": "moved"}).status_code == 200
    me = next(u for u in admin.get("/users", params={"q": "hr-gs"}).json()["items"] if u["username"] == "hr-gs")
    r = suite.hr.as_(suite.admin_token).post(f"/users/{me['id']}/one-time-password")
    assert r.status_code == 200
    admin_id = next(u["id"] for u in admin.get("/users", params={"role": "admin"}).json()["items"])
    r = admin.post(f"/users/{admin_id}/deactivate", json={"reason": "x"})
    assert r.status_code == 403 and r.json()["code"] == "own_account"
    assert suite.hr.as_(token(suite, "tc-gs")).get("/users").status_code == 403  # not an HR officer


def test_a_community_secretary_lies_where_their_community_lies(suite):
    admin = suite.hr.as_(suite.admin_token)
    r = admin.post("/users", json={"username": "sec-gs1", "role": "community_secretary"})
    assert r.status_code == 422 and r.json()["field"] == "community_code"
    r = admin.post("/users", json={"username": "sec-gs1", "role": "community_secretary", "community_code": "GS-001"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["jurisdiction"] == GONGSHU and body["community_code"] == "GS-001"
    assert body["must_change_password"] is True and body["one_time_password"]
    r = login(suite, "sec-gs1", body["one_time_password"])
    assert r.status_code == 200 and r.json()["community_code"] == "GS-001" and r.json()["must_change_password"]
    assert admin.get(f"/users/{body['id']}").json()["one_time_password"] is None  # shown once


def test_forty_wrong_passwords_meet_the_throttle_then_the_lock(suite):
    officer(suite, "hr-gs")
    svc = service(suite)
    at = datetime.now(UTC)
    svc.extra["clock"] = lambda: at
    answers = [login(suite, "hr-gs", "wrong-pass-1") for _ in range(40)]
    codes = [r.json()["code"] for r in answers]
    assert codes[:5] == ["bad_credentials"] * 5
    assert codes[5:10] == ["login_throttled"] * 5
    assert codes[10:] == ["account_locked"] * 30
    retry = [int(r.headers["retry-after"]) for r in answers[5:10]]
    assert retry == [1, 2, 4, 8, 16]  # the delay grows
    assert all(r.status_code == 429 for r in answers[5:])
    assert int(answers[-1].headers["retry-after"]) == 15 * 60
    r = login(suite, "hr-gs")
    assert r.status_code == 429 and r.json()["code"] == "account_locked"  # the right password too
    at += timedelta(minutes=15, seconds=1)
    assert login(suite, "hr-gs").status_code == 200
    with svc.db.read_session() as s:
        user = s.execute(select(UserAccount).where(UserAccount.username == "hr-gs")).scalar_one()
        assert user.failed_logins == 0 and user.locked_until is None
        outcomes = list(s.execute(select(LoginAttempt.outcome).where(LoginAttempt.username == "hr-gs")
                                  .order_by(LoginAttempt.id)).scalars())
    assert outcomes == ["bad_credentials"] * 5 + ["throttled"] * 5 + ["locked"] * 31 + ["ok"]
    log = suite.hr.as_(suite.admin_token).get("/login-attempts", params={"address": "testclient"}).json()
    assert log["total"] == 43 and log["items"][0]["outcome"] == "ok"  # and the admin's own login


def test_one_address_is_throttled_after_twenty_failures_and_an_admin_unlocks(suite):
    admin = suite.hr.as_(suite.admin_token)
    svc = service(suite)
    at = datetime.now(UTC)
    svc.extra["clock"] = lambda: at
    codes = [login(suite, f"nobody-{i}", "wrong-pass-1").json()["code"] for i in range(21)]
    assert codes[:20] == ["bad_credentials"] * 20 and codes[20] == "login_throttled"
    account = officer(suite, "hr-gs")
    assert login(suite, "hr-gs").status_code == 429  # from that address, for now
    at += timedelta(minutes=16)
    for _ in range(10):
        login(suite, "hr-gs", "wrong-pass-1")
        at += timedelta(seconds=20)
    assert login(suite, "hr-gs").json()["code"] == "account_locked"
    r = admin.post(f"/users/{account['id']}/unlock")
    assert r.status_code == 200 and r.json()["locked_until"] is None
    at += timedelta(minutes=1)
    assert login(suite, "hr-gs").status_code == 200
    attempts = admin.get(f"/users/{account['id']}/login-attempts").json()
    assert attempts["items"][0]["outcome"] == "ok" and attempts["total"] == 13


def test_workers_accounts_come_with_the_hire_and_passwords_in_bulk(suite):
    admin = suite.hr.as_(suite.admin_token)
    workers = [hire(admin, name=n) for n in ("王芳", "李强", "张伟")]
    other = hire(admin, name="赵敏", jurisdiction=XIHU, community_code="XH-001")
    svc = service(suite)
    with svc.db.read_session() as s:
        accounts = s.execute(select(UserAccount.username, UserAccount.must_change_password)
                             .where(UserAccount.role == "worker")).all()
    assert len(accounts) == 4 and all(must for _, must in accounts)
    district = suite.hr.as_(suite.create_user("hr-gs", "hr_officer", GONGSHU))
    r = district.post("/users/worker-accounts", json={"jurisdiction": GONGSHU})
    assert r.status_code == 200, r.text
    rows = r.json()["items"]
    assert {row["worker_id"] for row in rows} == {w["id"] for w in workers}
    assert district.post("/users/worker-accounts", json={"jurisdiction": GONGSHU}).json()["count"] == 0
    r = district.post("/users/worker-accounts", json={"worker_ids": [other["id"]]})
    assert r.status_code == 403
    first = login(suite, rows[0]["username"], rows[0]["one_time_password"])
    assert first.status_code == 200 and first.json()["must_change_password"] is True
    assert first.json()["worker_id"] == rows[0]["worker_id"]


def test_without_redis_a_change_that_revokes_rolls_back_and_checks_use_the_last_version_seen(suite):
    account = officer(suite, "hr-gs")
    tok = token(suite, "hr-gs")
    admin = suite.hr.as_(suite.admin_token)
    assert admin.post(f"/users/{account['id']}/deactivate", json={"reason": "x"}).status_code == 200
    assert suite.certs.as_(tok).get("/policies/keys").status_code == 401  # the certs service has seen it
    for s in SERVICES:  # Redis goes away; each app keeps the versions it saw
        state = suite.api(s, None).client.app.state
        down = revocation.Revocations("redis://127.0.0.1:1", timeout=0.2)
        down.seen.update(revocation.for_app(state, None).seen)
        state.revocations = down
    r = admin.post(f"/users/{account['id']}/reactivate")
    assert r.status_code == 503 and r.json()["code"] == "revocation_unavailable"
    assert admin.get(f"/users/{account['id']}").json()["active"] is False  # rolled back
    assert suite.certs.as_(tok).get("/policies/keys").status_code == 401  # the last version seen
    assert suite.training.as_(suite.admin_token).get("/policies/keys").status_code == 200  # still serving
    # as documented: a service that never checked this account lets the token through until Redis is back
    assert suite.training.as_(tok).get("/policies/keys").status_code == 200


def test_a_login_takes_the_higher_version_when_redis_is_ahead(suite, settings):
    account = officer(suite, "hr-gs")
    client = redis.Redis.from_url(settings.redis_url)
    client.hset(revocation.KEY, "hr-gs", 7)  # as after a change whose commit failed
    client.close()
    tok = token(suite, "hr-gs")
    assert reaches(suite, tok) == {"hr": 200, "training": 200, "certs": 200}
    admin = suite.hr.as_(suite.admin_token)
    assert admin.post(f"/users/{account['id']}/deactivate", json={"reason": "x"}).status_code == 200
    assert reaches(suite, tok)["training"] == 401


def test_hr_republishes_the_token_versions_when_it_starts_after_redis_lost_them(suite, settings):
    account = officer(suite, "hr-gs")
    tok = token(suite, "hr-gs")
    admin = suite.hr.as_(suite.admin_token)
    assert admin.post(f"/users/{account['id']}/deactivate", json={"reason": "x"}).status_code == 200
    client = redis.Redis.from_url(settings.redis_url)
    client.flushdb()  # Redis restarted without its data
    try:
        with TestClient(create_app(settings)) as fresh_training:  # a service that never saw the token
            assert Api(fresh_training, tok).get("/policies/keys").status_code == 200
            with TestClient(create_hr_app(settings)):  # HR starts again …
                assert int(client.hget(revocation.KEY, "hr-gs")) == 1  # raised by the deactivation
            assert Api(fresh_training, tok).get("/policies/keys").status_code == 401  # … and the token is dead
    finally:
        client.close()


@pytest.mark.postgres
def test_workers_accounts_the_bulk_issue_and_the_list_on_postgresql(pg_suite):
    admin = pg_suite.hr.as_(pg_suite.admin_token)
    workers = [hire(admin, name=n) for n in ("王芳", "李强")]
    district = pg_suite.hr.as_(pg_suite.create_user("hr-gs", "hr_officer", GONGSHU))
    r = district.post("/users/worker-accounts", json={"jurisdiction": GONGSHU, "community_code": "GS-001"})
    assert r.status_code == 200 and {row["worker_id"] for row in r.json()["items"]} == {w["id"] for w in workers}
    assert district.post("/users/worker-accounts", json={"jurisdiction": GONGSHU}).json()["count"] == 0
    listed = district.get("/users", params={"role": "worker", "q": "王"}).json()
    assert listed["total"] == 1 and listed["items"][0]["worker_id"] == workers[0]["id"]
    r = district.post("/users/worker-accounts", json={"worker_ids": [w["id"] for w in workers],
                                                      "only_without_password": False})
    assert r.status_code == 200 and r.json()["count"] == 2
    slip = r.json()["items"][0]
    assert login(pg_suite, slip["username"], slip["one_time_password"]).json()["must_change_password"] is True


def test_the_throttle_and_the_password_rule_are_the_account_s_jurisdiction_s_policy(suite):
    admin = suite.hr.as_(suite.admin_token)
    officer(suite, "hr-gs")  # made before the district's password rule below
    for key, value in (("login_throttle", {"delay_after": 2, "lock_after": 3, "lock_minutes": 5, "address_limit": 3}),
                       ("password_rule", {"min_length": 14})):
        r = admin.post(f"/policies/{key}", json={"jurisdiction": GONGSHU, "effective_from": "2020-01-01",
                                                 "value": value})
        assert r.status_code == 201, r.text
    r = admin.post("/users", json={"username": "hr-gs2", "password": PASSWORD, "role": "hr_officer",
                                   "jurisdiction": GONGSHU})
    assert r.status_code == 422 and r.json()["code"] == "password_too_short" and "14" in r.json()["detail"]
    officer(suite, "hr-xh", XIHU)  # the city's rule: 12 characters pass
    at = datetime.now(UTC)
    service(suite).extra["clock"] = lambda: at
    codes = [login(suite, "hr-gs", "wrong-pass-1").json()["code"] for _ in range(4)]
    assert codes == ["bad_credentials"] * 2 + ["login_throttled", "account_locked"]  # the district's figures
    r = login(suite, "hr-gs")
    assert r.status_code == 429 and int(r.headers["retry-after"]) == 5 * 60
    # an unknown username and the city's officer: the city's figures (5 in a row, 20 from an address)
    assert [login(suite, f"nobody-{i}", "wrong-pass-1").json()["code"] for i in range(6)] == ["bad_credentials"] * 6
    assert [login(suite, "hr-xh", "wrong-pass-1").json()["code"] for _ in range(6)] == (
        ["bad_credentials"] * 5 + ["login_throttled"])
