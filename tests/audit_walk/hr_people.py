"""HR's recipes for accounts (D-18), districts, streets and community names
(D-17) and the worker's profile and education (see the package)."""
from __future__ import annotations

from shared.web import today
from tests.audit_walk import Call, Recipe, World, ok
from tests.audit_walk.hr_world import admin, worker, worker_api
from tests.hr.communities import register
from tests.hr.helpers import GONGSHU
from tests.support.api import login

PASSWORD = "password-123"


def officer(w: World, username: str) -> int:
    """A fresh HR officer's account of Gongshu, made by the administrator: its id."""
    return ok(admin(w).post("/users", json={"username": username, "password": PASSWORD, "role": "hr_officer",
                                            "jurisdiction": GONGSHU}))["id"]


def users(w: World) -> Call:
    return Call(admin(w), "POST", "/users", "user_account", {
        "username": "walk-officer", "password": PASSWORD, "role": "hr_officer", "jurisdiction": GONGSHU})


def password(w: World) -> Call:
    officer(w, "walk-own-password")
    token = login(w.suite.hr.client, "walk-own-password", PASSWORD)
    return Call(w.api("hr", token), "POST", "/auth/password", "user_account",
                {"current_password": PASSWORD, "new_password": "another-pass-456"}, actor="walk-own-password")


def worker_accounts(w: World) -> Call:
    wid = worker(w)
    return Call(admin(w), "POST", "/users/worker-accounts", "user_account", {"worker_ids": [wid]})


def deactivate(w: World) -> Call:
    uid = officer(w, "walk-leaving")
    return Call(admin(w), "POST", f"/users/{uid}/deactivate", "user_account", {"reason": "调离岗位"})


def reactivate(w: World) -> Call:
    uid = officer(w, "walk-returning")
    ok(admin(w).post(f"/users/{uid}/deactivate", json={"reason": "借调"}))
    return Call(admin(w), "POST", f"/users/{uid}/reactivate", "user_account")


def one_time_password(w: World) -> Call:
    uid = officer(w, "walk-forgetful")
    return Call(admin(w), "POST", f"/users/{uid}/one-time-password", "user_account")


def unlock(w: World) -> Call:
    uid = officer(w, "walk-mistyped")
    r = w.suite.hr.post("/auth/login", json={"username": "walk-mistyped", "password": "not-the-password"})
    assert r.status_code == 401, r.text  # one failure counted: the unlock clears it
    return Call(admin(w), "POST", f"/users/{uid}/unlock", "user_account")


def street(w: World, code: str) -> str:
    ok(admin(w).post("/org-units", json={"parent": GONGSHU, "code": code, "name": f"{code}街道",
                                         "effective_from": "2020-01-01"}))
    return f"{GONGSHU}.{code}"


def community_name(w: World) -> Call:
    register(admin(w), "WALK-N", GONGSHU, effective_from="2024-01-01")
    return Call(admin(w), "POST", "/communities/WALK-N/names", "org_unit_name",
                {"name": "走查新名社区", "effective_from": today().isoformat()})


def profile(w: World) -> Call:
    wid = worker(w)
    return Call(admin(w), "PATCH", f"/workers/{wid}/profile", "worker",
                {"phone": "13812345678", "ethnicity": "汉族"})


def education(w: World) -> Call:
    wid = worker(w)
    return Call(admin(w), "PUT", f"/workers/{wid}/education", "worker_education",
                [{"qualification": "本科", "school": "浙江大学", "graduated_year": 2012}])


def my_profile(w: World) -> Call:
    wid = worker(w)
    api = worker_api(w, wid)  # the worker's username is their ID number
    return Call(api, "PATCH", "/me/profile", "worker", {"phone": "13700002222"},
                actor=w.suite.usernames[f"walk-w{wid}"])


RECIPES: dict[str, Recipe] = {
    "POST /users": users,
    "POST /auth/password": password,
    "POST /users/worker-accounts": worker_accounts,
    "POST /users/{user_id}/deactivate": deactivate,
    "POST /users/{user_id}/reactivate": reactivate,
    "POST /users/{user_id}/one-time-password": one_time_password,
    "POST /users/{user_id}/unlock": unlock,
    "POST /org-units": lambda w: Call(admin(w), "POST", "/org-units", "org_unit", {
        "parent": GONGSHU, "code": "walk", "name": "走查街道", "effective_from": "2020-01-01"}),
    "POST /org-units/{path}/names": lambda w: Call(admin(w), "POST", f"/org-units/{street(w, 'walkname')}/names",
                                                   "org_unit_name", {"name": "走查改名街道",
                                                                     "effective_from": today().isoformat()}),
    "POST /communities/{code}/names": community_name,
    "PATCH /workers/{worker_id}/profile": profile,
    "PUT /workers/{worker_id}/education": education,
    "PATCH /me/profile": my_profile,
}
