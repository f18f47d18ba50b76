"""A few lines per step of a community rating round (S1-4) over the HR API, for tests and feature steps."""
from __future__ import annotations

from collections.abc import Iterable

PANEL = ("评委一", "评委二", "评委三", "评委四", "评委五")


class Ratings:
    """An HR officer's calls on ``/rating-rounds``: ``ok`` ones assert success and return the JSON."""

    def __init__(self, api):
        self.api = api

    def ok(self, r, status=(200, 201)):
        assert r.status_code in (status if isinstance(status, tuple) else (status,)), r.text
        return r.json()

    def open_round(self, year, jurisdiction, opened_on=None, title="创建规范、星级、花园社区评审"):
        return self.api.post("/rating-rounds", json={"year": year, "jurisdiction": jurisdiction, "title": title,
                                                     "opened_on": opened_on or f"{year}-03-03"})

    def apply(self, rid, code, level, stars=None, applied_on=None):
        body = {"community_code": code, "level": level, "stars": stars}
        if applied_on:
            body["applied_on"] = applied_on
        return self.api.post(f"/rating-rounds/{rid}/applications", json=body)

    def applications(self, rid):
        return {a["community_code"]: a for a in self.ok(self.api.get(f"/rating-rounds/{rid}/applications"))}

    def reviewer(self, rid, name):
        return self.api.post(f"/rating-rounds/{rid}/reviewers", json={"name": name})

    def review(self, rid):
        return self.api.post(f"/rating-rounds/{rid}/review")

    def score(self, rid, aid, reviewer_id, presentation, defence):
        return self.api.put(f"/rating-rounds/{rid}/applications/{aid}/scores", json={
            "reviewer_id": reviewer_id, "scores": {"陈述": presentation, "答辩": defence}})

    def rank(self, rid):
        return self.api.post(f"/rating-rounds/{rid}/rank")

    def notice(self, rid, starts_on):
        return self.api.post(f"/rating-rounds/{rid}/notice", json={"starts_on": starts_on})

    def object(self, rid, aid, lodged_on, summary="群众反映该社区材料不实"):
        return self.api.post(f"/rating-rounds/{rid}/objections", json={
            "application_id": aid, "lodged_on": lodged_on, "summary": summary})

    def resolve(self, rid, oid, outcome, resolved_on, resolution="经核实"):
        return self.api.post(f"/rating-rounds/{rid}/objections/{oid}/resolve", json={
            "outcome": outcome, "resolution": resolution, "resolved_on": resolved_on})

    def finalise(self, rid, finalised_on):
        return self.api.post(f"/rating-rounds/{rid}/finalise", json={"finalised_on": finalised_on})

    def panel(self, rid, names: Iterable[str] = PANEL) -> dict[str, int]:
        return {n: self.ok(self.reviewer(rid, n), 201)["id"] for n in names}

    def score_all(self, rid, panel: dict[str, int], presentation=80, defence=80) -> None:
        for a in self.applications(rid).values():
            if a["status"] == "applied":
                for vid in panel.values():
                    self.ok(self.score(rid, a["id"], vid, presentation, defence))

    def full_round(self, year, jurisdiction, entries: Iterable[tuple[str, str, int | None]]) -> int:
        """A round of ``year`` from opening to results, every application scored 90/90 (all pass)."""
        rid = self.ok(self.open_round(year, jurisdiction), 201)["id"]
        for code, level, stars in entries:
            self.ok(self.apply(rid, code, level, stars), 201)
        panel = self.panel(rid)
        self.ok(self.review(rid))
        self.score_all(rid, panel, 90, 90)
        self.ok(self.rank(rid))
        self.ok(self.notice(rid, f"{year}-06-02"), 201)
        self.ok(self.finalise(rid, f"{year}-07-15"))
        return rid
