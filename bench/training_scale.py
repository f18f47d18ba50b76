"""Training at city scale: the roster import, bulk enrolment, the D-6
compliance report and the S3-7 statistics over Hangzhou's 11,800 workers
(S2-1) on SQLite (or the database ``WORKFORCE_TRAINING_DB_URL`` names).

    .venv/bin/python -m bench.training_scale [N]        # default 11800

One worker in eight is 正职 (S4-9's three posts, roughly one director per
community). Every worker gets two completed programmes in the two years
before the report year and two in three get a 40-hour one in it, so the
report weighs about 2.7N ledger lines; every 正职 comes out behind on the
seven days (D-6: 56 hours), the others are on time.
Prints each step's time against its target (scaled with N).
"""
from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from deploy import topology
from deploy.services import make_service, prepare
from shared.auth import Principal, Role
from training_service import rules, store
from training_service.tables import CourseSession, Enrolment, Programme, TrainingCredit

TARGETS = {"roster_import": 5.0, "bulk_enrol_1000": 2.0, "compliance": 3.0, "statistics": 1.0}
PER_N = {"roster_import", "compliance", "statistics"}  # targets that scale with N (for 11,800)
YEAR = 2025
DISTRICTS = ["shangcheng", "gongshu", "xihu", "binjiang", "xiaoshan", "yuhang", "linping", "qiantang", "fuyang"]


def roster_csv(n: int) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["worker_id", "name", "post", "jurisdiction", "community_code", "hired_on"])
    for i in range(1, n + 1):
        post = "正职" if i % 8 == 0 else ("副职" if i % 8 == 1 else "委员")
        w.writerow([i, f"社工{i}", post, f"hangzhou.{DISTRICTS[i % len(DISTRICTS)]}", f"C{i // 12:04d}",
                    date(2010 + i % 12, 1 + i % 12, 1).isoformat()])
    return buf.getvalue().encode()


def main(n: int = 11_800) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"WORKFORCE_DATA_DIR": str(Path(tmp) / "data"), **os.environ}
        settings = topology.settings(env)
        prepare(settings)
        svc = make_service("training", settings)
        admin = Principal(sub="bench", role=Role.admin, jurisdiction=rules.CITY)
        now = datetime.now(UTC)
        timings: dict[str, float] = {}

        start = time.perf_counter()
        with svc.db.transaction() as s:
            created, _ = store.import_roster(s, roster_csv(n), admin, now)
        timings["roster_import"] = time.perf_counter() - start
        assert created == n, created

        # the past two years and this one: sessions, enrolments and ledger lines, inserted in bulk
        with svc.db.transaction() as s:
            progs = []
            for hours, delivery in ((24, "offline"), (16, "online"), (40, "offline")):
                p = Programme(title=f"bench {hours}h", jurisdiction=rules.CITY, tier="continuing",
                              category="continuing", content_area="professional_knowledge", topics=[],
                              delivery=delivery, mode="theory",
                              location="in_city", hours_ch=hours * 100, cpd_accredited=False, cpd_hours_ch=0,
                              eligible_posts=[], eligible_designations=[], assessment_required=False, cost_fen=20000,
                              created_by="bench", created_at=now)
                s.add(p)
                progs.append(p)
            s.flush()
            sessions, enrolments, credits = [], [], []
            for k, (year, prog) in enumerate([(YEAR - 1, progs[0]), (YEAR - 1, progs[1]), (YEAR, progs[2])]):
                day = date(year, 3 + 2 * k, 2)
                sessions.append(dict(id=k + 1, programme_id=prog.id, jurisdiction=rules.CITY,
                                     starts_at=datetime(day.year, day.month, day.day, 9),
                                     ends_at=datetime(day.year, day.month, day.day, 17) + timedelta(days=4),
                                     days=[(day + timedelta(days=d)).isoformat() for d in range(5)], venue="bench",
                                     capacity=n, status="closed", created_by="bench", created_at=now))
            s.execute(insert(CourseSession), sessions)
            eid = 0
            for k, sess in enumerate(sessions):
                prog = progs[k]
                completed_on = sess["ends_at"].date()
                for w in range(1, n + 1):
                    if k == 2 and w % 3 == 0:
                        continue  # a third of the workers have nothing this year yet
                    eid += 1
                    enrolments.append(dict(id=eid, session_id=sess["id"], worker_id=w, status="completed", source="csv",
                                           requested_by="bench", requested_at=now, seated_at=now, promoted=False,
                                           completed_on=completed_on))
                    credits.append(dict(worker_id=w, enrolment_id=eid, session_id=sess["id"], programme_id=prog.id,
                                        title=prog.title, jurisdiction=rules.CITY, tier="continuing",
                                        category="continuing", delivery=prog.delivery, location="in_city",
                                        hours_ch=prog.hours_ch, cpd_hours_ch=0, completed_on=completed_on,
                                        year=completed_on.year))
            s.execute(insert(Enrolment), enrolments)
            s.execute(insert(TrainingCredit), credits)

        # bulk enrolment: 1,000 rows into one new session, 800 seats (the rest waitlisted)
        with svc.db.transaction() as s:
            sess = store.create_session(s, admin, progs[0].id, jurisdiction=rules.CITY,
                                        starts_at=datetime(YEAR, 11, 3, 9), ends_at=datetime(YEAR, 11, 3, 17),
                                        days=None,
                                        venue="bench", online_link=None, trainer=None, capacity=800, now=now)
            sid = sess.id
        body = ("session_id,worker_id\n" + "".join(f"{sid},{w}\n" for w in range(1, min(n, 1000) + 1))).encode()
        start = time.perf_counter()
        with svc.db.transaction() as s:
            done = store.bulk_enrol(s, svc.policies, body, admin, now)
        timings["bulk_enrol_1000"] = time.perf_counter() - start
        assert len(done) == min(n, 1000)

        start = time.perf_counter()
        with svc.db.read_session() as s:
            checked, lines = store.compliance(s, svc.policies, rules.CITY, YEAR, date(YEAR + 1, 1, 15))
        timings["compliance"] = time.perf_counter() - start
        assert checked == n, checked
        behind = sum(1 for x in lines if x.obligation.status == "behind")

        start = time.perf_counter()
        with svc.db.read_session() as s:
            st = store.statistics(s, svc.policies, rules.CITY, YEAR)
        timings["statistics"] = time.perf_counter() - start
        svc.db.dispose()

    scale = n / 11_800
    print(f"training at {n} workers ({svc.db.url.split(':')[0]}): {behind} obligations behind, "
          f"{st.person_times} person-times in {YEAR}")
    ok = True
    for step, seconds in timings.items():
        target = TARGETS[step] * (max(scale, 0.01) if step in PER_N else 1)
        ok &= seconds <= target
        print(f"  {step:<16} {seconds:7.2f} s   target {target:6.2f} s   {'ok' if seconds <= target else 'SLOW'}")
    if not ok:
        raise SystemExit(1)
    return timings


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 11_800)
