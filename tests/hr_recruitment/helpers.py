"""A few lines per recruitment step over the HR API, for tests and feature steps."""
from __future__ import annotations

import itertools
from datetime import date

from shared import idcard

GONGSHU = "hangzhou.gongshu"
XIHU = "hangzhou.xihu"

_seq = itertools.count(1)


def id_number_for(born: str) -> str:
    """A valid resident ID number (GB 11643) for someone born on ``born``."""
    return idcard.make("330105", date.fromisoformat(born), next(_seq) * 2 + 1)


class Hr:
    """An HR officer's calls: ``ok`` ones assert success and return the JSON."""

    def __init__(self, api):
        self.api = api

    def ok(self, r, status=(200, 201)):
        assert r.status_code in (status if isinstance(status, tuple) else (status,)), r.text
        return r.json()

    def community(self, code, households, party_members=0, district=GONGSHU, name=None):
        return self.api.post("/communities", json={
            "code": code, "name": name or f"{code}社区", "district": district,
            "households": households, "party_members": party_members,
        })

    def staffing(self, code):
        return self.ok(self.api.get(f"/communities/{code}/staffing"))

    def worker(self, name, community_code, born="1990-01-01", jurisdiction=GONGSHU, hired_on="2024-03-01"):
        return self.api.post("/workers", json={
            "name": name, "id_number": id_number_for(born), "jurisdiction": jurisdiction,
            "community_code": community_code, "post": "委员", "grade": 1, "hired_on": hired_on,
        })

    def campaign(self, announced_on="2025-03-03", jurisdiction=GONGSHU, title="公开招考社区工作者"):
        return self.api.post("/campaigns", json={"title": title, "jurisdiction": jurisdiction,
                                                 "announced_on": announced_on})

    def post(self, cid, community_code, post="委员", count=1):
        return self.api.post(f"/campaigns/{cid}/posts", json={
            "community_code": community_code, "post": post, "count": count})

    def apply(self, cid, post_id, name, born, education="本科", certificates=(), records=(), id_number=None,
              service_years=0):
        return self.api.post(f"/campaigns/{cid}/applications", json={
            "post_id": post_id, "name": name, "id_number": id_number or id_number_for(born), "birth_date": born,
            "education": education, "household_registration": "浙江省杭州市", "certificates": list(certificates),
            "record_flags": list(records), "service_years": service_years,
        })

    def review(self, cid):
        return self.api.post(f"/campaigns/{cid}/review")

    def scores(self, cid, aid, written=None, interview=None):
        body = {k: v for k, v in (("written", written), ("interview", interview)) if v is not None}
        return self.api.put(f"/campaigns/{cid}/applications/{aid}/scores", json=body)

    def upload(self, cid, text: str | bytes):
        content = text.encode() if isinstance(text, str) else text
        return self.api.post(f"/campaigns/{cid}/scores/csv", content=content, headers={"content-type": "text/csv"})

    def rank(self, cid):
        return self.api.post(f"/campaigns/{cid}/rank")

    def checks(self, cid, aid, physical="pass", background="pass", checked_on=None):
        body = {"physical_exam": physical, "background_check": background}
        if checked_on:
            body["checked_on"] = checked_on
        return self.api.post(f"/campaigns/{cid}/applications/{aid}/checks", json=body)

    def notice(self, cid, starts_on=None):
        return self.api.post(f"/campaigns/{cid}/notices", json={"starts_on": starts_on} if starts_on else {})

    def objection(self, cid, aid, lodged_on, summary="反映该考生报名材料不实"):
        return self.api.post(f"/campaigns/{cid}/objections", json={
            "application_id": aid, "lodged_on": lodged_on, "summary": summary})

    def resolve(self, cid, oid, outcome, resolved_on, resolution="经核实"):
        return self.api.post(f"/campaigns/{cid}/objections/{oid}/resolve", json={
            "outcome": outcome, "resolution": resolution, "resolved_on": resolved_on})

    def hire(self, cid, hired_on=None):
        return self.api.post(f"/campaigns/{cid}/hire", json={"hired_on": hired_on} if hired_on else {})

    def campaign_of(self, cid):
        return self.ok(self.api.get(f"/campaigns/{cid}"))

    def applications(self, cid):
        return {a["name"]: a for a in self.ok(self.api.get(f"/campaigns/{cid}/applications"))}

    def history(self, cid):
        return self.ok(self.api.get(f"/campaigns/{cid}/history"))
