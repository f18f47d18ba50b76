"""Helpers for the certs tests and feature steps: officers, workers with a
login, and the certs calls a scenario makes, all through the HTTP APIs."""
from __future__ import annotations

import itertools
from datetime import date

from deploy.services import make_service
from shared import idcard
from shared.consumer import run_job
from shared.events import Event, to_message
from shared.inbox import consume

CITY = "hangzhou"
GONGSHU = "hangzhou.gongshu"
XIHU = "hangzhou.xihu"
ASSISTANT, SOCIAL_WORKER, SENIOR = "助理社会工作师", "社会工作师", "高级社会工作师"

_seq = itertools.count(1)


def id_number(n: int) -> str:
    """A well-formed 18-digit resident ID number with a valid check digit."""
    return idcard.make("330106", date(1970 + n % 30, 1 + n % 9, 10 + n % 10), n)


class Certs:
    """One test's view of the certs service: officers by jurisdiction, workers by name."""

    def __init__(self, suite):
        self.suite = suite
        self.officers: dict[str, str] = {}
        self.workers: dict[str, int] = {}
        self.tokens: dict[str, str] = {}
        self.hr_officers: dict[str, str] = {}
        self.certificates: dict[str, int] = {}
        self.entries: dict[str, int] = {}
        self._svc = None

    def officer(self, jurisdiction: str = GONGSHU):
        if jurisdiction not in self.officers:
            self.officers[jurisdiction] = self.suite.create_user(
                f"cert-{jurisdiction}-{next(_seq)}", "cert_officer", jurisdiction)
        return self.suite.api("certs", self.officers[jurisdiction])

    def worker(self, name: str, jurisdiction: str = GONGSHU, *, hired_on: str = "2015-03-01", login: bool = False,
               real_name: bool = True, community_worker: bool = True) -> int:
        """A worker on HR's rolls with a profile here (recorded through the API)."""
        if jurisdiction not in self.hr_officers:
            self.hr_officers[jurisdiction] = self.suite.create_user(f"hr-{next(_seq)}", "hr_officer", jurisdiction)
        n = next(_seq)
        r = self.suite.api("hr", self.hr_officers[jurisdiction]).post("/workers", json={
            "name": name, "id_number": id_number(n), "jurisdiction": jurisdiction,
            "post": "委员", "grade": 1, "hired_on": hired_on,
        })
        assert r.status_code == 201, r.text
        wid = r.json()["id"]
        body = {"worker_id": wid, "name": name, "jurisdiction": jurisdiction, "hired_on": hired_on,
                "community_worker": community_worker}
        if real_name:
            body["id_number"] = id_number(n)
        r = self.officer(jurisdiction).post("/profiles", json=body)
        assert r.status_code == 201, r.text
        self.workers[name] = wid
        if login:
            self.tokens[name] = self.suite.create_user(f"w{wid}", "worker", jurisdiction, worker_id=wid)
        return wid

    def as_worker(self, name: str):
        return self.suite.api("certs", self.tokens[name])

    def jurisdiction_of(self, name: str) -> str:
        return self.officer(CITY).get(f"/profiles/{self.workers[name]}").json()["jurisdiction"]

    def certificate(self, name: str, level: str, passed_on: str, number: str | None = None,
                    exam_year: int | None = None):
        wid = self.workers[name]
        return self.officer(self.jurisdiction_of(name)).post("/certificates", json={
            "worker_id": wid, "level": level, "number": number or f"SW{next(_seq):08d}",
            "exam_year": exam_year or int(passed_on[:4]), "passed_on": passed_on,
        })

    def certified(self, name: str, level: str, passed_on: str) -> int:
        r = self.certificate(name, level, passed_on)
        assert r.status_code == 201, r.text
        self.certificates[name] = r.json()["id"]
        return self.certificates[name]

    def register(self, name: str, on: str):
        return self.officer(self.jurisdiction_of(name)).post(
            f"/certificates/{self.certificates[name]}/registrations", json={"registered_on": on})

    def registered(self, name: str, on: str) -> dict:
        r = self.register(name, on)
        assert r.status_code == 201, r.text
        return r.json()

    def cpd(self, name: str, hours: str | None, on: str, source: str = "course"):
        body = {"credited_on": on, "source": source}
        if hours is not None:
            body["hours"] = hours
        return self.officer(self.jurisdiction_of(name)).post(f"/profiles/{self.workers[name]}/cpd", json=body)

    def assess(self, name: str, year: int, grade: str):
        r = self.officer(self.jurisdiction_of(name)).post(
            f"/profiles/{self.workers[name]}/assessments", json={"year": year, "grade": grade})
        assert r.status_code == 200, r.text

    # --- the worker process, run in-line -------------------------------------

    @property
    def svc(self):
        if self._svc is None:
            self._svc = make_service("certs", self.suite.settings)
        return self._svc

    def run_job(self, job: str, period: str) -> bool:
        from certs_service.actors import job_handlers

        return run_job(self.svc.db, self.svc.infra.inbox, job_handlers(self.svc), {"job": job, "period": period})

    def deliver(self, event: Event) -> int:
        from certs_service.actors import event_handlers

        return consume(self.svc.db, self.svc.infra.inbox, to_message(event), event_handlers(self.svc))

    def outbox(self, event_type: str | None = None) -> list[dict]:
        from sqlalchemy import select

        t = self.svc.infra.outbox
        with self.svc.db.read_session() as s:
            q = select(t.c.event_type, t.c.payload).order_by(t.c.id)
            if event_type:
                q = q.where(t.c.event_type == event_type)
            return [dict(r.payload) for r in s.execute(q)]

    def close(self) -> None:
        if self._svc is not None:
            self._svc.db.dispose()


def d(s: str) -> date:
    return date.fromisoformat(s)


DISTRICTS = ("shangcheng", "gongshu", "xihu", "binjiang", "xiaoshan", "yuhang", "linping", "qiantang", "fuyang")


def holders(total: int, community: int, passed_by: str, *, first_worker_id: int = 100_000) -> list[dict]:
    """``total`` holders for a bulk load, the first ``community`` of them community
    workers, spread over the districts and levels, all passed by ``passed_by``."""
    last = d(passed_by)
    rows = []
    for i in range(total):
        level = SENIOR if i % 10 == 9 else SOCIAL_WORKER if i % 10 >= 7 else ASSISTANT
        passed = date(last.year - i % 8, min(last.month, 1 + i % 12), min(last.day, 1 + i % 28))
        passed = min(passed, last)
        row = {
            "worker_id": first_worker_id + i, "name": f"持证人{i}",
            "jurisdiction": f"{CITY}.{DISTRICTS[i % len(DISTRICTS)]}",
            "community_worker": i < community, "level": level, "number": f"B{first_worker_id + i:09d}",
            "exam_year": passed.year, "passed_on": passed.isoformat(),
        }
        if level == SENIOR:
            row["reviewed_on"] = passed.isoformat()
        rows.append(row)
    return rows


def eligible_worker(certs: Certs, name: str, jurisdiction: str) -> int:
    """A worker who meets D-7 for a round opened in 2025: hired in 2015, 助理 since
    2019, assessed 合格 in 2022-2024."""
    wid = certs.worker(name, jurisdiction, hired_on="2015-03-01")
    certs.certified(name, ASSISTANT, "2019-09-01")
    for year in (2022, 2023, 2024):
        certs.assess(name, year, "合格")
    return wid


def score_sheet(expert: str, marks: dict[int, dict[str, str]]) -> dict:
    """One expert's sheet: ``marks[worker_id][criterion]``."""
    return {"expert": expert, "entries": [{"worker_id": w, "scores": m} for w, m in marks.items()]}
