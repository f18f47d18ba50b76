"""HR's recipes for community ratings (S1-4): one round of Gongshu taken
through every step, another opened and one cancelled (see the package)."""
from __future__ import annotations

from tests.audit_walk import Call, Recipe, World
from tests.audit_walk.hr_world import admin, communities
from tests.hr.helpers import GONGSHU
from tests.hr_ratings.helpers import PANEL, Ratings

YEAR = 2025


def ratings(w: World) -> Ratings:
    return Ratings(admin(w))


def round_world(w: World) -> dict:
    """The round every step walks: opened, with the walk's communities ready to apply."""
    if "rating_round" not in w.ids:
        codes = communities(w)
        rt = ratings(w)
        w.ids["rating_round"] = {"id": rt.ok(rt.open_round(YEAR, GONGSHU), 201)["id"], "codes": codes}
    return w.ids["rating_round"]


def call(method: str, path: str, entity: str, body=None) -> Recipe:
    """A step of the round: ``{id}`` in the path is its id."""
    def recipe(w: World) -> Call:
        return Call(admin(w), method, path.format(id=round_world(w)["id"]), entity, body)
    return recipe


def apply(w: World) -> Call:
    r = round_world(w)
    return Call(admin(w), "POST", f"/rating-rounds/{r['id']}/applications", "rating_application",
                {"community_code": r["codes"][0], "level": "规范"})


def withdraw(w: World) -> Call:
    r, rt = round_world(w), ratings(w)
    aid = rt.ok(rt.apply(r["id"], r["codes"][1], "规范"), 201)["id"]
    return Call(admin(w), "POST", f"/rating-rounds/{r['id']}/applications/{aid}/withdraw", "rating_application",
                {"reason": "材料未齐"})


def reviewer(w: World) -> Call:
    r, rt = round_world(w), ratings(w)
    r["panel"] = rt.panel(r["id"], PANEL[:-1])
    return Call(admin(w), "POST", f"/rating-rounds/{r['id']}/reviewers", "rating_reviewer", {"name": PANEL[-1]})


def scores(w: World) -> Call:
    r, rt = round_world(w), ratings(w)
    aid = rt.applications(r["id"])[r["codes"][0]]["id"]
    r["application"] = aid
    for vid in r["panel"].values():
        rt.ok(rt.score(r["id"], aid, vid, 80, 80))
    last = next(v["id"] for v in rt.ok(rt.api.get(f"/rating-rounds/{r['id']}/reviewers"))
                if v["name"] == PANEL[-1])
    return Call(admin(w), "PUT", f"/rating-rounds/{r['id']}/applications/{aid}/scores", "rating_score",
                {"reviewer_id": last, "scores": {"陈述": 85, "答辩": 80}})


def objection(w: World) -> Call:
    r = round_world(w)
    return Call(admin(w), "POST", f"/rating-rounds/{r['id']}/objections", "rating_objection", {
        "application_id": r["application"], "lodged_on": f"{YEAR}-05-06", "summary": "群众反映该社区材料不实"})


def resolve(w: World) -> Call:
    r, rt = round_world(w), ratings(w)
    oid = rt.ok(rt.api.get(f"/rating-rounds/{r['id']}/objections"))[0]["id"]
    return Call(admin(w), "POST", f"/rating-rounds/{r['id']}/objections/{oid}/resolve", "rating_objection", {
        "outcome": "dismissed", "resolution": "经核实", "resolved_on": f"{YEAR}-05-07"})


def cancel(w: World) -> Call:
    rt = ratings(w)
    rid = rt.ok(rt.open_round(YEAR - 2, GONGSHU), 201)["id"]
    return Call(admin(w), "POST", f"/rating-rounds/{rid}/cancel", "rating_round")


RECIPES: dict[str, Recipe] = {
    "POST /rating-rounds": lambda w: Call(admin(w), "POST", "/rating-rounds", "rating_round", {
        "year": YEAR - 1, "jurisdiction": GONGSHU, "title": "走查评审", "opened_on": f"{YEAR - 1}-03-03"}),
    "POST /rating-rounds/{round_id}/applications": apply,
    "POST /rating-rounds/{round_id}/applications/{application_id}/withdraw": withdraw,
    "POST /rating-rounds/{round_id}/reviewers": reviewer,
    "POST /rating-rounds/{round_id}/review": call("POST", "/rating-rounds/{id}/review", "rating_round"),
    "PUT /rating-rounds/{round_id}/applications/{application_id}/scores": scores,
    "POST /rating-rounds/{round_id}/rank": call("POST", "/rating-rounds/{id}/rank", "rating_application"),
    "POST /rating-rounds/{round_id}/notice": call("POST", "/rating-rounds/{id}/notice", "rating_round",
                                                  {"starts_on": f"{YEAR}-04-30"}),
    "POST /rating-rounds/{round_id}/objections": objection,
    "POST /rating-rounds/{round_id}/objections/{objection_id}/resolve": resolve,
    "POST /rating-rounds/{round_id}/finalise": call("POST", "/rating-rounds/{id}/finalise", "community_rating",
                                                    {"finalised_on": f"{YEAR}-05-12"}),
    "POST /rating-rounds/{round_id}/cancel": cancel,
}
