"""The certs service's write operations, each with a recipe (see the package)."""
from __future__ import annotations

from tests.audit_walk import Call, Recipe, World, calendar_call, ok, policy_call
from tests.certs.support import ASSISTANT, CITY, GONGSHU, SENIOR, XIHU, Certs, eligible_worker, id_number, score_sheet

EXEMPT: dict[str, str] = {}
CRITERIA = ("integrity", "recognition", "results", "training", "certificate")


def certs(w: World) -> Certs:
    if "certs" not in w.ids:
        w.ids["certs"] = Certs(w.suite)
        w.ids["n"] = 0
    return w.ids["certs"]


def api(w: World):
    return w.api("certs")


def person(w: World, **kw) -> tuple[str, int]:
    c = certs(w)
    w.ids["n"] += 1
    name = f"走查{w.ids['n']}"
    return name, c.worker(name, **kw)


def on_profile(path: str, entity: str, body, **kw) -> Recipe:
    def recipe(w: World) -> Call:
        name, wid = person(w, **kw)
        return Call(api(w), "POST", path.format(wid=wid), entity, body(wid) if callable(body) else body)
    return recipe


def on_certificate(path: str, entity: str, body, level: str = ASSISTANT, passed_on: str = "2019-09-01") -> Recipe:
    def recipe(w: World) -> Call:
        name, _ = person(w)
        cid = certs(w).certified(name, level, passed_on)
        return Call(api(w), "POST", path.format(cid=cid), entity, body)
    return recipe


def certificate(w: World) -> Call:
    _, wid = person(w)
    return Call(api(w), "POST", "/certificates", "certificate", {
        "worker_id": wid, "level": ASSISTANT, "number": "WALK0001", "exam_year": 2019, "passed_on": "2019-09-01"})


def exam_result(w: World) -> Call:
    _, wid = person(w)
    eid = ok(api(w).post("/exam-entries", json={"worker_id": wid, "exam_year": 2024, "level": ASSISTANT,
                                                "entered_on": "2024-03-01"}))["id"]
    return Call(api(w), "POST", f"/exam-entries/{eid}/result", "exam_entry", {"result": "passed"})


# --- a talent round (D-7) taken through every step ---------------------------------------------------------


def talent(w: World) -> dict:
    if "round" not in w.ids:
        c = certs(w)
        rid = ok(c.officer(CITY).post("/talent-rounds", json={
            "name": "领军人才", "jurisdiction": CITY, "city_quota": 1, "opened_on": "2025-03-01",
            "district_quotas": {GONGSHU: 2, XIHU: 2}}))["id"]
        w.ids["round"] = {"id": rid, "people": [eligible_worker(c, n, GONGSHU) for n in ("王芳", "李明")]}
    return w.ids["round"]


def round_step(path: str, entity: str, body=None) -> Recipe:
    def recipe(w: World) -> Call:
        r = talent(w)
        return Call(api(w), "POST", path.format(rid=r["id"]), entity, body(r) if callable(body) else body)
    return recipe


def nominate(w: World) -> Call:
    r = talent(w)
    c = certs(w)
    ok(c.officer(GONGSHU).post(f"/talent-rounds/{r['id']}/nominations",
                               json={"worker_id": r["people"][1], "nominated_on": "2025-04-01"}))
    return Call(api(w), "POST", f"/talent-rounds/{r['id']}/nominations", "nomination",
                {"worker_id": r["people"][0], "nominated_on": "2025-04-01"})


def scores(w: World) -> Call:
    r = talent(w)
    sheet = {r["people"][0]: {k: "90" for k in CRITERIA}, r["people"][1]: {k: "80" for k in CRITERIA}}
    for expert in ("e2", "e3"):
        ok(api(w).post(f"/talent-rounds/{r['id']}/scores", json=score_sheet(expert, sheet)))
    return Call(api(w), "POST", f"/talent-rounds/{r['id']}/scores", "expert_score", score_sheet("e1", sheet))


def decision(w: World) -> Call:
    r = talent(w)
    oid = r["objection"]
    return Call(api(w), "POST", f"/talent-rounds/{r['id']}/objections/{oid}/decision", "objection",
                {"outcome": "dismissed", "decided_on": "2025-10-09", "decision": "查无实据"})


def objection(w: World) -> Call:
    r = talent(w)

    class Remember(Call):
        def send(self):
            out = super().send()
            if out.status_code == 201:
                r["objection"] = out.json()["id"]
            return out

    return Remember(api(w), "POST", f"/talent-rounds/{r['id']}/objections", "objection",
                    {"worker_id": r["people"][0], "raised_on": "2025-09-30", "grounds": "x"})


RECIPES: dict[str, Recipe] = {
    "POST /policies/{key}": lambda w: policy_call(w, "certs"),
    "PUT /calendar/{year}": lambda w: calendar_call(w, "certs"),
    "POST /profiles": lambda w: Call(api(w), "POST", "/profiles", "profile", {
        "worker_id": 99_100, "name": "档案", "jurisdiction": GONGSHU, "hired_on": "2020-03-01",
        "community_worker": True}),
    "POST /profiles/{worker_id}/assessments": on_profile("/profiles/{wid}/assessments", "assessment",
                                                         {"year": 2024, "grade": "合格"}),
    "POST /profiles/{worker_id}/cpd": on_profile("/profiles/{wid}/cpd", "cpd_credit",
                                                 {"credited_on": "2024-05-01", "source": "course", "hours": "8"}),
    "POST /profiles/{worker_id}/real-name": on_profile("/profiles/{wid}/real-name", "profile",
                                                       lambda wid: {"name": "实名", "id_number": id_number(wid + 7000)},
                                                       real_name=False),
    "POST /profiles/{worker_id}/service-record": on_profile("/profiles/{wid}/service-record", "service_entry", {
        "kind": "award", "title": "最美社工", "started_on": "2024-01-01"}),
    "POST /certificates": certificate,
    "POST /certificates/import": lambda w: Call(api(w), "POST", "/certificates/import", "certificate", {"items": [{
        "worker_id": 99_200, "name": "导入", "jurisdiction": GONGSHU, "level": ASSISTANT, "number": "WALK0002",
        "exam_year": 2020, "passed_on": "2020-09-01", "community_worker": True}]}),
    "POST /certificates/{certificate_id}/review": on_certificate(
        "/certificates/{cid}/review", "certificate", {"outcome": "passed", "reviewed_on": "2022-01-10"},
        level=SENIOR, passed_on="2021-10-01"),
    "POST /certificates/{certificate_id}/registrations": on_certificate(
        "/certificates/{cid}/registrations", "registration", {"registered_on": "2020-01-10"}),
    "POST /exam-entries": lambda w: Call(api(w), "POST", "/exam-entries", "exam_entry", {
        "worker_id": person(w)[1], "exam_year": 2024, "level": ASSISTANT, "entered_on": "2024-03-01"}),
    "POST /exam-entries/{entry_id}/result": exam_result,
    "POST /talent-rounds": lambda w: Call(api(w), "POST", "/talent-rounds", "talent_round", {
        "name": "领军人才（另）", "jurisdiction": CITY, "city_quota": 1, "opened_on": "2025-03-01",
        "district_quotas": {GONGSHU: 1}}),
    "POST /talent-rounds/{round_id}/nominations": nominate,
    "POST /talent-rounds/{round_id}/close-nominations": round_step("/talent-rounds/{rid}/close-nominations",
                                                                   "talent_round"),
    "POST /talent-rounds/{round_id}/scores": scores,
    "POST /talent-rounds/{round_id}/rank": round_step("/talent-rounds/{rid}/rank", "talent_round"),
    "POST /talent-rounds/{round_id}/notice": round_step("/talent-rounds/{rid}/notice", "talent_round",
                                                        {"starts_on": "2025-09-29"}),
    "POST /talent-rounds/{round_id}/objections": objection,
    "POST /talent-rounds/{round_id}/objections/{objection_id}/decision": decision,
    "POST /talent-rounds/{round_id}/finalise": round_step("/talent-rounds/{rid}/finalise", "designation",
                                                          {"on": "2025-10-13"}),
}
