"""The training service's write operations, each with a recipe (see the package)."""
from __future__ import annotations

from tests.audit_walk import Call, Recipe, World, ok, policy_call
from tests.training.helpers import (
    GONGSHU,
    ROSTER_COLUMNS,
    add_worker,
    enrol,
    next_worker_id,
    programme,
    session,
    to_csv,
)

EXEMPT: dict[str, str] = {}


def api(w: World):
    return w.api("training")


def course(w: World, **over) -> dict:
    """A session of a fresh programme, with a worker on the roster enrolled."""
    p = programme(api(w), **over)
    s = session(api(w), p["id"], start="2025-05-12T09:00:00", end="2025-05-12T17:00:00")
    wid = add_worker(api(w), "走查")
    ok(enrol(api(w), s["id"], wid))
    return {"programme": p["id"], "session": s["id"], "worker": wid}


def on_session(path: str, entity: str, body=None, method: str = "POST", **over) -> Recipe:
    def recipe(w: World) -> Call:
        c = course(w, **over)
        return Call(api(w), method, path.format(**c), entity, body(c) if callable(body) else body)
    return recipe


def abroad(w: World) -> tuple[int, int]:
    admin = api(w)
    if "abroad" not in w.ids:
        ok(admin.post("/policies/abroad_places", json={"jurisdiction": GONGSHU, "effective_from": "2025-01-01",
                                                       "value": {"places_per_year": 3}}))
        w.ids["abroad"] = True
    return add_worker(admin, "出境"), 2025


def abroad_delete(w: World) -> Call:
    wid, year = abroad(w)
    sid = ok(api(w).post("/abroad-selections", json={"year": year, "worker_id": wid}))["id"]
    return Call(api(w), "DELETE", f"/abroad-selections/{sid}", "abroad_selection")


def enrolments_import(w: World) -> Call:
    p = programme(api(w))
    s = session(api(w), p["id"], start="2025-06-12T09:00:00", end="2025-06-12T17:00:00")
    wid = add_worker(api(w), "导入")
    return Call(api(w), "POST", "/enrolments/import", "enrolment",
                content=to_csv([{"session_id": s["id"], "worker_id": wid}], ["session_id", "worker_id"]),
                headers={"content-type": "text/csv"})


def enrolment_cancel(w: World) -> Call:
    c = course(w)
    eid = ok(api(w).get(f"/sessions/{c['session']}/enrolments"))[0]["id"]
    return Call(api(w), "POST", f"/enrolments/{eid}/cancel", "enrolment", {"reason": "工作冲突"})


RECIPES: dict[str, Recipe] = {
    "POST /policies/{key}": lambda w: policy_call(w, "training"),
    "POST /roster/import": lambda w: Call(api(w), "POST", "/roster/import", "roster_worker", content=to_csv(
        [{"worker_id": next_worker_id(), "name": "名册", "post": "委员", "jurisdiction": GONGSHU}], ROSTER_COLUMNS),
        headers={"content-type": "text/csv"}),
    "POST /programmes": lambda w: Call(api(w), "POST", "/programmes", "programme", {
        "title": "走查培训班", "tier": "continuing", "category": "continuing", "content_area": "professional_knowledge",
        "delivery": "offline", "mode": "theory", "location": "in_city", "hours": "8", "topics": ["elder_services"],
        "cost_fen": 50000}),
    "POST /programmes/{programme_id}/sessions": lambda w: Call(
        api(w), "POST", f"/programmes/{programme(api(w))['id']}/sessions", "training_session", {
            "starts_at": "2025-05-12T09:00:00", "ends_at": "2025-05-12T17:00:00", "capacity": 30, "venue": "走查"}),
    "POST /sessions/{session_id}/enrolments": lambda w: (lambda c: Call(
        api(w), "POST", f"/sessions/{c['session']}/enrolments", "enrolment",
        {"worker_id": add_worker(api(w), "再报")}))(course(w)),
    "POST /sessions/{session_id}/attendance": on_session(
        "/sessions/{session}/attendance", "attendance",
        lambda c: {"day": "2025-05-12", "records": [{"worker_id": c["worker"], "present": True}]}),
    "POST /sessions/{session_id}/assessments": on_session(
        "/sessions/{session}/assessments", "enrolment",
        lambda c: {"records": [{"worker_id": c["worker"], "passed": True}]}, assessment_required=True),
    "PATCH /sessions/{session_id}": on_session("/sessions/{session}", "training_session", {"capacity": 40},
                                                method="PATCH"),
    "POST /sessions/{session_id}/close": on_session("/sessions/{session}/close", "training_session"),
    "POST /sessions/{session_id}/cancel": on_session("/sessions/{session}/cancel", "training_session",
                                                     {"reason": "台风"}),
    "POST /enrolments/import": enrolments_import,
    "POST /enrolments/{enrolment_id}/cancel": enrolment_cancel,
    "POST /abroad-selections": lambda w: (lambda wy: Call(api(w), "POST", "/abroad-selections", "abroad_selection",
                                                          {"year": wy[1], "worker_id": wy[0]}))(abroad(w)),
    "DELETE /abroad-selections/{selection_id}": abroad_delete,
}
