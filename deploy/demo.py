"""``workforce demo``: a demo district seeded through the public APIs.

Communities, about a thousand workers (put on the rolls by ``POST
/workers/import`` in batches, their accounts with them), officer accounts
with a known password, the workers' one-time passwords issued in bulk (two
of them changed to the known password), last year's assessments, a recruitment campaign through its
ranking, checks and a past-dated public notice to the hiring of its
candidates, training programmes and sessions (one already held, attended
and closed, so hours are credited), certificates with their registrations
and a leader-talent round taken through scoring, ranking and a past-dated
notice to its leader talents; then what to try. Every step
skips what is already there, so a second run does not fail (the whole demo
already loaded is said and only the guide printed again).
"""
from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import click

from deploy.client import ApiError, Client
from shared.idcard import check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲红建国志文斌宇浩凯晨欣怡佳琪雪梅海燕丹萍"
EDUCATION = ["大专", "本科", "本科", "本科", "硕士"]
PER_COMMUNITY = 13  # 1 正职, 2 副职, 10 委员: within the D-9 cap of 15 a community
TALENTS = 8  # directors given three years of good assessments and a certificate
IMPORT_BATCH = 250  # workers a POST /workers/import (all or nothing, one transaction)


@dataclass
class Plan:
    district: str = "hangzhou.xihu"
    workers: int = 1000
    password: str = "demo-pass-1"
    threads: int = 4

    @property
    def city(self) -> str:
        return self.district.split(".")[0]

    @property
    def prefix(self) -> str:
        return self.district.split(".")[-1].upper()[:8]

    @property
    def communities(self) -> int:
        return math.ceil(self.workers / PER_COMMUNITY)

    @property
    def new_community(self) -> str:
        return f"{self.prefix}-NEW"

    def username(self, role: str) -> str:
        return f"demo.{role}"

    @property
    def streets(self) -> list[str]:
        """D-17: the demo district's two streets (街道), their communities split between them."""
        return [f"{self.district}.east", f"{self.district}.west"]

    def street_of(self, community_index: int) -> str:
        return self.streets[0] if community_index < (self.communities + 1) // 2 else self.streets[1]


@dataclass
class Seeded:
    """What the guide points at."""

    worker_ids: list[int] = field(default_factory=list)
    talent_ids: list[int] = field(default_factory=list)
    worker_accounts: dict[str, int] = field(default_factory=dict)
    worker_logins: dict[str, str] = field(default_factory=dict)  # demo.worker → the username (ID number)
    campaign_id: int | None = None
    session_ids: dict[str, int] = field(default_factory=dict)
    round_id: int | None = None
    hired: list[int] = field(default_factory=list)
    leader_talents: list[int] = field(default_factory=list)
    certificates: int = 0
    notes: list[str] = field(default_factory=list)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def id_number(area: str, birth: date, seq: int) -> str:
    first = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
    return first + check_char(first)


def worker_bodies(plan: Plan, today: date) -> list[dict]:
    """The demo's workers, the same every run (so a second run finds them taken)."""
    rng = random.Random(20240701)
    out = []
    for i in range(plan.workers):
        c, k = divmod(i, PER_COMMUNITY)
        post = "正职" if k == 0 else "副职" if k <= 2 else "委员"
        talent = k == 0 and c < TALENTS
        hired = date(rng.randint(2006, 2013) if talent else rng.randint(2008, today.year - 1), rng.randint(1, 12), 1)
        birth = date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
        birth = min(birth, date(hired.year - 20, birth.month, birth.day))
        out.append({
            "name": _name(rng),
            "id_number": id_number(f"3301{6 + i // 1000:02d}", birth, i),
            "jurisdiction": plan.district,
            "post": post,
            "hired_on": hired.isoformat(),
            "community_code": f"{plan.prefix}-{c + 1:03d}",
            "education": rng.choice(EDUCATION),
            "service_years": rng.randint(0, 4),
        })
    return out


class Seeder:
    def __init__(self, client: Client, plan: Plan, echo: Callable[[str], None] = click.echo):
        self.client, self.plan, self.echo = client, plan, echo
        self.today = date.today()
        self.seeded = Seeded()

    # --- helpers ---

    def _many(self, label: str, fn: Callable, items: list, skip: tuple[str, ...] = ()) -> list:
        """``fn`` over items with a progress bar; refusals with a code in ``skip`` count as done already."""
        results, failures = [], []
        with click.progressbar(length=len(items), label=label) as bar:
            for _item, out in self.client.map(fn, items, workers=self.plan.threads):
                if isinstance(out, ApiError):
                    if out.code not in skip:
                        failures.append(out)
                    results.append(None)
                else:
                    results.append(out)
                bar.update(1)
        if failures:
            self.echo(f"  {len(failures)} refused, e.g. {failures[0].code}: {failures[0].detail}")
        return results

    def _step(self, title: str, fn: Callable[[], None]) -> None:
        t = time.monotonic()
        self.echo(f"· {title}")
        try:
            fn()
        except ApiError as exc:
            note = f"{title}: stopped at {exc.code or exc.status}: {exc.detail}"
            self.seeded.notes.append(note)
            self.echo(f"  ! {note}")
        else:
            self.echo(f"  done in {time.monotonic() - t:.1f}s")

    def _wait(self, what: str, ready: Callable[[], bool], timeout: float = 90.0) -> bool:
        """Poll until ``ready`` (events travel between services over Redis)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if ready():
                return True
            time.sleep(0.5)
        self.echo(f"  ! gave up waiting for {what} after {timeout:.0f}s (the services' workers may be behind)")
        return False

    # --- the steps ---

    def streets(self) -> None:
        """D-17: two streets of the district, registered by the administrator."""
        p = self.plan
        bodies = [{"parent": p.district, "code": path.rsplit(".", 1)[1], "name": f"{p.prefix.title()} {zh}街道",
                   "effective_from": "2004-01-01"} for path, zh in zip(p.streets, ("东", "西"), strict=True)]
        self._many(f"  {len(bodies)} streets", lambda b: self.client.post("hr", "/org-units", b), bodies,
                   skip=("unit_exists",))

    def communities(self) -> None:
        p = self.plan
        self.streets()
        bodies = [{"code": f"{p.prefix}-{c + 1:03d}", "name": f"{p.prefix.title()} 第{c + 1}社区",
                   "district": p.district, "street": p.street_of(c), "households": 5200 + (c * 37) % 600,
                   "party_members": 60 + c % 40}
                  for c in range(p.communities)]
        bodies.append({"code": p.new_community, "name": f"{p.prefix.title()} 新建社区 (recruiting)",
                       "district": p.district, "street": p.streets[0], "households": 3200, "party_members": 25})
        self._many(f"  {len(bodies)} communities", lambda b: self.client.post("hr", "/communities", b), bodies,
                   skip=("community_exists",))

    def workers(self) -> None:
        bodies = worker_bodies(self.plan, self.today)
        have = self.client.get("hr", "/workers", params={"jurisdiction": self.plan.district, "limit": 1})["total"]
        if have < len(bodies):
            self._import_workers(bodies)
        else:
            self.echo(f"  {have} workers already on the rolls")
        # WorkerOut carries no ID number: find the demo's own by community, post, name and hire date.
        key = {(b["community_code"], b["post"], b["name"], b["hired_on"]): b for b in bodies}
        self.bodies: dict[int, dict] = {}
        for w in self.client.pages("hr", "/workers", {"jurisdiction": self.plan.district}):
            b = key.get((w["community_code"], w["post"], w["name"], str(w["hired_on"])))
            if b is not None:
                self.bodies[w["id"]] = b
        self.seeded.worker_ids = sorted(self.bodies, key=lambda w: (self.bodies[w]["community_code"], w))
        talent_codes = {f"{self.plan.prefix}-{c + 1:03d}" for c in range(TALENTS)}
        self.seeded.talent_ids = [w for w in self.seeded.worker_ids
                                  if self.bodies[w]["post"] == "正职"
                                  and self.bodies[w]["community_code"] in talent_codes]

    def _import_workers(self, bodies: list[dict]) -> None:
        """``POST /workers/import`` in batches. A batch is all or nothing: one
        refused for items already on the rolls (a re-run after a partial one)
        is sent again without them; other refused items are dropped and said."""
        created, taken, refused = 0, 0, []
        with click.progressbar(length=len(bodies), label=f"  {len(bodies)} workers") as bar:
            for start in range(0, len(bodies), IMPORT_BATCH):
                batch = bodies[start:start + IMPORT_BATCH]
                for attempt in range(3):
                    if not batch:
                        break
                    try:
                        out = self.client.post("hr", "/workers/import", {"items": batch, "dry_run": False})
                    except ApiError as exc:
                        problems = (exc.body.get("extra") or {}).get("items") if exc.code == "import_refused" else None
                        if exc.code == "id_number_taken" and attempt < 2:  # one added meanwhile: ask again
                            continue
                        if not problems or attempt == 2:
                            raise
                        bad = {p["item"] for p in problems}
                        taken += len({p["item"] for p in problems if p["code"] == "id_number_taken"})
                        first = {p["item"]: p for p in reversed(problems)}  # each item's first problem
                        refused += [p for p in first.values() if p["code"] != "id_number_taken"]
                        batch = [b for i, b in enumerate(batch) if i not in bad]
                    else:
                        created += out["count"]
                        break
                bar.update(min(IMPORT_BATCH, len(bodies) - start))
        self.echo(f"  {created} created" + (f", {taken} already on the rolls" if taken else ""))
        if refused:
            self.echo(f"  {len(refused)} refused, e.g. {refused[0]['code']}: {refused[0]['reason']}")

    def accounts(self) -> None:
        p = self.plan
        users = [{"username": p.username(r), "password": p.password, "role": role, "jurisdiction": p.district}
                 for r, role in (("hr", "hr_officer"), ("checker", "hr_officer"),  # D-16: approves demo.hr's pay runs
                                 ("training", "training_coordinator"), ("certs", "cert_officer"))]
        ws = self.seeded.worker_ids
        picks = {"worker": self.seeded.talent_ids[0] if self.seeded.talent_ids else ws[0],
                 "worker2": ws[min(5, len(ws) - 1)]}
        self.seeded.worker_accounts = {p.username(n): wid for n, wid in picks.items()}
        self._many(f"  {len(users)} accounts", lambda u: self.client.post("hr", "/users", u), users,
                   skip=("username_taken",))
        self.worker_logins(picks)

    def level_accounts(self) -> None:
        """D-17: an HR officer of the first street and the secretary of its first community."""
        p = self.plan
        users = [{"username": p.username("street"), "password": p.password, "role": "hr_officer",
                  "jurisdiction": p.streets[0]},
                 {"username": p.username("secretary"), "password": p.password, "role": "community_secretary",
                  "community_code": f"{p.prefix}-001"}]
        self._many(f"  {len(users)} street and community accounts", lambda u: self.client.post("hr", "/users", u),
                   users, skip=("username_taken",))

    def worker_logins(self, picks: dict[str, int]) -> None:
        """D-18: workers' accounts came with the hire; their one-time passwords are
        issued in bulk, and the picked workers' changed to the demo's password."""
        p = self.plan
        slips = self.client.post("hr", "/users/worker-accounts", {"jurisdiction": p.district})["items"]
        self.echo(f"  {len(slips)} workers' one-time passwords issued")
        by_worker = {slip["worker_id"]: slip for slip in slips}
        for name, wid in picks.items():
            slip = by_worker.get(wid)
            if slip is None:  # issued on an earlier run, and changed then
                username = self.client.get("hr", f"/workers/{wid}")["id_number"]
            else:
                username = slip["username"]
                first = Client(self.client.settings, token="").login(username, slip["one_time_password"])
                Client(self.client.settings, token=first["access_token"]).post("hr", "/auth/password", {
                    "current_password": slip["one_time_password"], "new_password": p.password})
            self.seeded.worker_logins[p.username(name)] = username

    def assessments(self) -> None:
        rng = random.Random(7)
        year = self.today.year - 1
        talents = set(self.seeded.talent_ids)
        items = []
        for wid in self.seeded.worker_ids:
            r = rng.random()
            grade = "优秀" if r < 0.1 else "合格" if r < 0.93 else "基本合格" if r < 0.98 else "不合格"
            years = (year - 2, year - 1, year) if wid in talents else (year,)
            for y in years:
                g = ("优秀" if y == year else "合格") if wid in talents else grade
                visits = [rng.randint(18 if g in ("基本合格", "不合格") else 20, 45) for _ in range(12)]
                items.append((wid, {"year": y, "grade": g, "visits": visits,
                                    "performance_score": round(rng.uniform(62, 98), 1),
                                    "residents_satisfaction": rng.randint(80, 99)}))
        self._many(f"  {len(items)} assessments ({year})",
                   lambda it: self.client.post("hr", f"/workers/{it[0]}/assessments", it[1]), items,
                   skip=("assessment_exists",))

    def campaign(self) -> None:
        c = self.client
        p = self.plan
        title = f"{self.today.year} {p.prefix.title()} community worker recruitment 社区工作者招聘 (demo)"
        found = [x for x in c.pages("hr", "/campaigns") if x["title"] == title]
        if found:
            self.seeded.campaign_id = found[0]["id"]
            self.echo(f"  campaign {found[0]['id']} exists ({found[0]['status']})")
            if found[0]["status"] in ("ranked", "notice"):
                self._hire(found[0]["id"])
            return
        camp = c.post("hr", "/campaigns", {"title": title, "jurisdiction": p.district,
                                           "announced_on": (self.today - timedelta(days=60)).isoformat()})
        self.seeded.campaign_id = camp["id"]
        post = c.post("hr", f"/campaigns/{camp['id']}/posts",
                      {"community_code": p.new_community, "post": "委员", "count": 2})
        rng = random.Random(11)
        apps = []
        for i in range(6):
            birth = date(1994 + i, 3 + i, 10 + i)
            apps.append(c.post("hr", f"/campaigns/{camp['id']}/applications", {
                "post_id": post["id"], "name": _name(rng), "id_number": id_number("330110", birth, 200 + i),
                "birth_date": birth.isoformat(), "education": "本科", "household_registration": "浙江省杭州市",
                "certificates": ["助理社会工作师"] if i % 2 == 0 else [],
                "applied_on": (self.today - timedelta(days=50)).isoformat(),
            }))
        reviewed = c.post("hr", f"/campaigns/{camp['id']}/review")
        for a in reviewed:
            if a["status"] == "eligible":
                c.put("hr", f"/campaigns/{camp['id']}/applications/{a['id']}/scores",
                      {"written": f"{70 + rng.randint(0, 25)}.{rng.randint(0, 99):02d}",
                       "interview": f"{70 + rng.randint(0, 25)}.{rng.randint(0, 99):02d}"})
        c.post("hr", f"/campaigns/{camp['id']}/rank")
        self._hire(camp["id"])

    def _hire(self, cid: int) -> None:
        """The chosen through their checks and a public notice (公示) dated in the
        past, so that they can be hired today; each step skips what is done."""
        c = self.client
        ranking = c.get("hr", f"/campaigns/{cid}/ranking")
        for x in (x for post in ranking for x in post["candidates"] if x["status"] == "selected"):
            try:
                c.post("hr", f"/campaigns/{cid}/applications/{x['application_id']}/checks", {
                    "physical_exam": "pass", "background_check": "pass",
                    "checked_on": (self.today - timedelta(days=35)).isoformat()})
            except ApiError as exc:
                if exc.code not in ("check_recorded", "already_in_notice"):
                    raise
        try:
            n = c.post("hr", f"/campaigns/{cid}/notices", {"starts_on": (self.today - timedelta(days=30)).isoformat()})
            self.echo(f"  public notice {n['starts_on']} to {n['ends_on']}")
        except ApiError as exc:
            if exc.code != "nobody_to_announce":
                raise
        out = c.post("hr", f"/campaigns/{cid}/hire", {})
        self.seeded.hired = [h["worker_id"] for h in out["hired"]]
        self.echo(f"  {len(out['hired'])} hired on probation into {self.plan.new_community}; "
                  f"campaign {out['campaign_status']}")

    def training(self) -> None:
        c = self.client
        p = self.plan
        programmes = {
            "induction": {"title": "岗前培训 Induction (demo)", "tier": "induction", "category": "induction",
                          "content_area": "professional_knowledge", "delivery": "offline", "mode": "theory",
                          "location": "in_city", "hours": "24", "jurisdiction": p.district},
            "continuing": {"title": "继续教育：为老服务 Elder services (demo)", "tier": "continuing",
                           "category": "continuing", "content_area": "practical_skills", "delivery": "offline",
                           "mode": "practice",
                           "location": "in_city", "hours": "16", "cpd_accredited": True, "cpd_hours": "16",
                           "topics": ["elder_services"], "jurisdiction": p.district},
            "leader_talent": {"title": "领军人才专项 Leader-talent class (demo)", "tier": "leader_talent",
                              "category": "leader_talent", "content_area": "political_theory", "delivery": "offline",
                              "mode": "theory", "location": "in_city", "hours": "40", "cpd_accredited": True,
                              "cpd_hours": "40", "eligible_designations": ["leader_talent"],
                              "jurisdiction": p.district},
        }
        existing = {x["title"]: x["id"] for x in c.pages("training", "/programmes")}
        ids = {k: existing.get(body["title"]) or c.post("training", "/programmes", body)["id"]
               for k, body in programmes.items()}
        held_before = [s for s in c.pages("training", "/sessions", {
            "programme_id": ids["continuing"], "include_cancelled": "true",
            "from": (self.today - timedelta(days=60)).isoformat()})]
        if held_before:
            for s in c.pages("training", "/sessions", {"jurisdiction": p.district, "include_cancelled": "true",
                                                       "from": (self.today - timedelta(days=60)).isoformat()}):
                key = "held" if s["status"] == "closed" else s["tier"]
                self.seeded.session_ids.setdefault(key, s["id"])
            self.echo("  programmes and sessions exist")
            return

        def at(day: date, hour: int) -> str:
            return datetime(day.year, day.month, day.day, hour).isoformat()

        held_day = self.today - timedelta(days=21)
        sessions = {
            "held": (ids["continuing"], held_day, held_day + timedelta(days=1), 40),
            "continuing": (ids["continuing"], self.today + timedelta(days=14), self.today + timedelta(days=15), 60),
            "induction": (ids["induction"], self.today + timedelta(days=10), self.today + timedelta(days=12), 60),
            "leader_talent": (ids["leader_talent"], self.today + timedelta(days=40),
                              self.today + timedelta(days=44), 20),
        }
        for key, (pid, first, last, cap) in sessions.items():
            self.seeded.session_ids[key] = c.post("training", f"/programmes/{pid}/sessions", {
                "starts_at": at(first, 9), "ends_at": at(last, 17), "capacity": cap, "venue": "西湖区社会工作服务中心",
                "trainer": "demo trainer", "jurisdiction": p.district})["id"]
        ws = self.seeded.worker_ids
        held = ws[:30]
        upcoming = ws[30:80] + [self.seeded.worker_accounts.get(p.username("worker"), ws[0])]
        wanted = set(held) | set(upcoming)  # each of them, not a count others (campaign hires) could make up
        self._wait("the training roster", lambda: wanted <= {
            w["worker_id"] for w in c.pages("training", "/roster", {"jurisdiction": p.district})})
        rows = [f"{self.seeded.session_ids['held']},{w}" for w in held]
        rows += [f"{self.seeded.session_ids['continuing']},{w}" for w in dict.fromkeys(upcoming)]
        body = ("session_id,worker_id\n" + "\n".join(rows) + "\n").encode()
        out = c.request("POST", "training", "/enrolments/import", content=body,
                        headers={"Content-Type": "text/csv"}).json()
        self.echo(f"  {out['enrolled']} enrolled, {out['waitlisted']} waitlisted")
        sid = self.seeded.session_ids["held"]
        for i, day in enumerate((held_day, held_day + timedelta(days=1))):
            c.post("training", f"/sessions/{sid}/attendance", {
                "day": day.isoformat(), "records": [{"worker_id": w, "present": not (j % 10 == 9 and i == 1)}
                                                    for j, w in enumerate(held)]})
        closed = c.post("training", f"/sessions/{sid}/close")
        self.echo(f"  session {sid} held and closed: {closed['completed']} completed, "
                  f"{closed['not_completed']} did not")

    def certificates(self) -> None:
        c = self.client
        p = self.plan
        have = c.get("certs", "/certificates", params={"jurisdiction": p.district, "limit": 1})["total"]
        if have:
            self.seeded.certificates = have
            self.echo(f"  {have} certificates exist")
            return
        n = len(self.seeded.worker_ids)
        self._wait("the certificate holders' profiles", lambda: c.get(
            "certs", "/profiles", params={"jurisdiction": p.district, "limit": 1})["total"] >= n)
        rng = random.Random(5)
        talents = set(self.seeded.talent_ids)
        holders = [w for i, w in enumerate(self.seeded.worker_ids) if w in talents or i % 9 == 4]
        listed = {w["id"]: w for w in c.pages("hr", "/workers", {"jurisdiction": p.district})}
        items = []
        for w in holders:
            level = "社会工作师" if w in talents or rng.random() < 0.2 else "助理社会工作师"
            passed = self.today - timedelta(days=rng.randint(120 if w in talents else 60, 700))
            items.append({"worker_id": w, "name": listed[w]["name"], "jurisdiction": p.district, "level": level,
                          "number": f"DEMO{p.prefix}{w:06d}", "exam_year": passed.year,
                          "passed_on": passed.isoformat(), "hired_on": listed[w]["hired_on"]})
        out = c.post("certs", "/certificates/import", {"items": items})
        self.seeded.certificates = out["certificates_recorded"]
        self._many(f"  {len(holders)} real-name registrations (实名登记)",
                   lambda w: c.post("certs", f"/profiles/{w}/real-name",
                                    {"name": listed[w]["name"], "id_number": self.bodies[w]["id_number"]}), holders)
        certs = list(c.pages("certs", "/certificates", {"jurisdiction": p.district}))
        self._many(f"  {len(certs)} registrations (登记)",
                   lambda x: c.post("certs", f"/certificates/{x['id']}/registrations", {
                       "registered_on": min(self.today,
                                            date.fromisoformat(x["passed_on"]) + timedelta(days=30)).isoformat()}),
                   certs,
                   skip=("registration_out_of_order",))

    def talent_round(self) -> None:
        """Found by name (``GET /talent-rounds``) or opened 45 days ago, then taken
        as far as it goes: nominations, three experts' scores, ranking, a public
        notice that started 30 days ago, and finalisation today (talent.selected
        reaches training and HR). Each step runs only from the state before it."""
        c = self.client
        p = self.plan
        name = f"{self.today.year} 领军人才选拔 leader talents (demo)"
        found = c.get("certs", "/talent-rounds", params={"jurisdiction": p.city, "name": name, "limit": 1})["items"]
        if found:
            r = found[0]
            self.echo(f"  round {r['id']} exists ({r['state']})")
        else:
            r = c.post("certs", "/talent-rounds", {
                "name": name, "jurisdiction": p.city, "city_quota": 2, "district_quotas": {p.district: 4},
                "opened_on": (self.today - timedelta(days=45)).isoformat()})
        rid = self.seeded.round_id = r["id"]
        path = f"/talent-rounds/{rid}"
        if r["state"] == "nominating":
            if not self._nominate(r):
                self.echo(f"  round {rid} open, with no one eligible to nominate yet")
                return
            r = c.post("certs", f"{path}/close-nominations")
        noms = [n for n in c.get("certs", f"{path}/nominations") if n["status"] == "active"]
        if r["state"] == "scoring":
            rule = r["rule"]
            for e in range(max(3, rule["min_experts"])):
                c.post("certs", f"{path}/scores", {"expert": f"专家{e + 1} (demo)", "entries": [
                    {"worker_id": n["worker_id"], "scores": {k: f"{92 - 3 * i - e}" for k in rule["weights"]}}
                    for i, n in enumerate(noms)]})
            r = c.post("certs", f"{path}/rank")
        if r["state"] == "ranked":
            r = c.post("certs", f"{path}/notice", {"starts_on": max(
                date.fromisoformat(r["opened_on"]), self.today - timedelta(days=30)).isoformat()})
        if r["state"] == "notice" and date.fromisoformat(r["notice_ends_on"]) < self.today:
            made = c.post("certs", f"{path}/finalise", {"on": self.today.isoformat()})
            r = c.get("certs", path)
            self.echo(f"  {len(made)} leader talent(s) designated")
        if r["state"] == "final":
            self.seeded.leader_talents = [n["worker_id"] for n in c.get("certs", f"{path}/nominations")
                                          if n["status"] == "active" and n["outcome"] == "selected"]
        if self.seeded.leader_talents:
            first = self.seeded.leader_talents[0]
            self._wait("talent.selected to reach HR and training", lambda: any(
                d["kind"] == "leader_talent" for d in c.get("hr", f"/workers/{first}/designations")) and any(
                d["designation"] == "leader_talent" for d in c.get("training", f"/roster/{first}")["designations"]),
                timeout=60)
        self.echo(f"  round {rid}: {r['state']}, {len(noms)} nominated")

    def _nominate(self, r: dict) -> int:
        """Up to the district's quota of the demo's talents; how many are nominated."""
        c = self.client
        rid = r["id"]
        quota = r["district_quotas"].get(self.plan.district, 0)
        have = {n["worker_id"] for n in c.get("certs", f"/talent-rounds/{rid}/nominations") if n["status"] == "active"}

        def eligible(w: int) -> bool:
            return c.get("certs", f"/talent-rounds/{rid}/eligibility/{w}")["eligible"]

        if not self.seeded.talent_ids:
            return len(have)
        first = self.seeded.talent_ids[0]
        self._wait("HR's assessments to reach certs", lambda: first in have or eligible(first), timeout=60)
        for w in self.seeded.talent_ids:
            if len(have) >= quota:
                break
            if w not in have and eligible(w):
                c.post("certs", f"/talent-rounds/{rid}/nominations", {"worker_id": w, "nominated_on": r["opened_on"]})
                have.add(w)
        return len(have)

    def already_loaded(self) -> bool:
        p = self.plan
        try:
            Client(self.client.settings, token="").login(p.username("hr"), p.password)
        except ApiError:
            return False
        have = self.client.get("hr", "/workers", params={"jurisdiction": p.district, "limit": 1})["total"]
        certs = self.client.get("certs", "/certificates", params={"jurisdiction": p.district, "limit": 1})["total"]
        return have >= p.workers and certs > 0

    def run(self) -> Seeded:
        t = time.monotonic()
        if self.already_loaded():
            self.echo(f"The demo district {self.plan.district} is already loaded; nothing to do.")
            for step in (self.workers, self.accounts, self.level_accounts, self.campaign, self.training,
                         self.talent_round):
                step()
            return self.seeded
        self.echo(f"Seeding the demo district {self.plan.district} ({self.plan.workers} workers)…")
        self._step("communities (社区)", self.communities)
        self._step("workers (社区工作者)", self.workers)
        if not self.seeded.worker_ids:
            raise click.ClickException("No demo workers could be created; see the messages above.")
        self._step("accounts", self.accounts)
        self._step("street officer and community secretary (D-17)", self.level_accounts)
        self._step("assessments (年度考核)", self.assessments)
        self._step("recruitment campaign (招聘)", self.campaign)
        self._step("training programmes and sessions (培训)", self.training)
        self._step("certificates and registrations (证书登记)", self.certificates)
        self._step("leader-talent round (领军人才)", self.talent_round)
        self.echo(f"Seeded in {time.monotonic() - t:.0f}s.")
        return self.seeded


def run(client: Client, plan: Plan, echo: Callable[[str], None] = click.echo) -> Seeded:
    seeded = Seeder(client, plan, echo).run()
    from deploy.demo_guide import guide  # it reads this module's Plan and Seeded

    echo(guide(client, plan, seeded))
    return seeded
