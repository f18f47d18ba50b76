"""HR at scale: the 1 July step increment (S4-10) and the monthly pay run over
N generated workers, the last one making good two closed months for one
worker in 100 (D-12), each timed beside one bare SQL ``UPDATE`` of the same
worker rows (the floor a set-based run cannot beat), as a ratio.

    .venv/bin/python -m bench.hr_increment_payrun                 # 11,800 workers on SQLite (S2-1)
    .venv/bin/python -m bench.hr_increment_payrun --n 50000
    BENCH_PG_URL=postgresql+psycopg://user@host/db \\
        .venv/bin/python -m bench.hr_increment_payrun --pg-n 1000000   # and on PostgreSQL
    .venv/bin/python -m bench.hr_increment_payrun --scratch-pg --pg-n 1000000   # a scratch server

``BENCH_PG_URL`` names a server whose database the bench may drop and
recreate (``hr_bench``). ``--scratch-pg`` starts a throw-away cluster with the
test tooling (tests/support/servers.py: fsync off). Targets: the increment
within 2× the bare UPDATE (issue 3); the pay run, with income tax, part months
and declared bases (D-13…D-15), within 3× a bare ``INSERT … SELECT`` of as
many payslip rows and under 30 s at 1,000,000 workers on PostgreSQL, under 1 s
at 11,800 on SQLite.

The generator: communities of 10 (one 正职, one 副职, eight others) spread
over 13 districts of Hangzhou, grades uniform in each post's band, hired
2005-2024, and a 2024 assessment for 97% of them (15% 优秀, 75% 合格, 4%
基本合格, 3% 不合格), scores 60-100, twelve visit counts each.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, select, text

from deploy import topology
from hr_service import increment, pay, rules
from hr_service.store import POLICIES
from hr_service.tables import PayRun
from shared import idcard
from shared.db import Database
from shared.migrate import upgrade

CITY = "hangzhou"
DISTRICTS = ["shangcheng", "gongshu", "xihu", "binjiang", "xiaoshan", "yuhang", "linping", "qiantang",
             "fuyang", "linan", "tonglu", "chunan", "jiande"]
AREA = {d: f"3301{i + 2:02d}" for i, d in enumerate(DISTRICTS)}
EFFECTIVE = date(2025, 7, 1)
TARGETS = {"pay run, 1,000,000 workers (s)": 30.0, "pay run / bare INSERT": 3.0, "increment / bare UPDATE": 2.0}


# --- the generator -------------------------------------------------------------------

def generate(n: int, seed: int = 2025):
    """Yield (worker, grade_change, assessment or None) rows for ``n`` workers."""
    rnd = random.Random(seed)
    created = datetime(2025, 1, 1, tzinfo=UTC)
    born0 = date(1965, 1, 1)
    for i in range(1, n + 1):
        community = (i - 1) // 10
        district = DISTRICTS[community % len(DISTRICTS)]
        slot = (i - 1) % 10
        post = "正职" if slot == 0 else "副职" if slot == 1 else "委员"
        band = rules.PAY_SCALE_2024.posts[post]
        grade = rnd.randint(band.low, band.high)
        born = born0 + timedelta(days=(i // 1000) % 12000)
        hired = date(rnd.randint(2005, 2024), rnd.randint(1, 12), rnd.randint(1, 28))
        worker = {
            "id": i, "name": f"职工{i}", "id_number": idcard.make(AREA[district], born, i % 1000),
            "jurisdiction": f"{CITY}.{district}", "community_code": f"C{community:06d}", "post": post,
            "grade": grade, "status": "active", "hired_on": hired, "created_at": created, "birth_date": born,
            "education": rnd.choice([None, "大专", "本科", "硕士"]), "service_years": rnd.choice([0, 0, 2, 5]),
            "grade_since": hired,
        }
        change = {"worker_id": i, "effective_on": hired, "post": post, "grade": grade, "kind": "hire",
                  "reason": "bench data", "clause": "D-2", "actor": "bench", "recorded_at": created}
        assessment = None
        r = rnd.random()
        if r < 0.97:
            g = "优秀" if r < 0.15 else "合格" if r < 0.90 else "基本合格" if r < 0.94 else "不合格"
            assessment = {"worker_id": i, "year": 2024, "grade": g,
                          "visits": json.dumps([rnd.randint(15, 40) for _ in range(12)]),
                          "months_below_minimum": "[]", "residents_satisfaction": rnd.randint(70, 100),
                          "score_centi": rnd.randint(6000, 10000), "version": 1, "recorded_by": "bench",
                          "recorded_at": created}
        yield worker, change, assessment


W_COLS = ["id", "name", "id_number", "jurisdiction", "community_code", "post", "grade", "status", "hired_on",
          "created_at", "birth_date", "education", "service_years", "grade_since"]
G_COLS = ["worker_id", "effective_on", "post", "grade", "kind", "reason", "clause", "actor", "recorded_at"]
A_COLS = ["worker_id", "year", "grade", "visits", "months_below_minimum", "residents_satisfaction", "score_centi",
          "version", "recorded_by", "recorded_at"]


def load(db: Database, n: int) -> float:
    start = time.perf_counter()
    if db.sqlite:
        _load_sqlite(db, n)
    else:
        _load_postgres(db, n)
    return time.perf_counter() - start


def _load_sqlite(db: Database, n: int) -> None:
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")

        def conv(row, cols):
            return [str(row[c]) if isinstance(row[c], (date, datetime)) else row[c] for c in cols]

        batch: dict[str, list] = {"w": [], "g": [], "a": []}

        def flush():
            cur.executemany(f"INSERT INTO worker ({','.join(W_COLS)}) VALUES ({','.join('?' * len(W_COLS))})",
                            batch["w"])
            cur.executemany(f"INSERT INTO grade_change ({','.join(G_COLS)}) VALUES ({','.join('?' * len(G_COLS))})",
                            batch["g"])
            cur.executemany(f"INSERT INTO assessment ({','.join(A_COLS)}) VALUES ({','.join('?' * len(A_COLS))})",
                            batch["a"])
            for v in batch.values():
                v.clear()

        for w, g, a in generate(n):
            w = dict(w, created_at=w["created_at"].strftime("%Y-%m-%d %H:%M:%S.%f"))
            g = dict(g, recorded_at=g["recorded_at"].strftime("%Y-%m-%d %H:%M:%S.%f"))
            batch["w"].append(conv(w, W_COLS))
            batch["g"].append(conv(g, G_COLS))
            if a:
                a = dict(a, recorded_at=a["recorded_at"].strftime("%Y-%m-%d %H:%M:%S.%f"))
                batch["a"].append(conv(a, A_COLS))
            if len(batch["w"]) >= 20_000:
                flush()
        flush()
        cur.execute("COMMIT")
        cur.execute("ANALYZE")
    finally:
        raw.close()


def _load_postgres(db: Database, n: int) -> None:
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            rows = list(generate(n))
            for table, cols, pick in (("worker", W_COLS, 0), ("grade_change", G_COLS, 1), ("assessment", A_COLS, 2)):
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        r = row[pick]
                        if r is not None:
                            copy.write_row([r[c] for c in cols])
            cur.execute("SELECT setval(pg_get_serial_sequence('worker', 'id'), (SELECT max(id) FROM worker))")
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        conn.autocommit = False
    finally:
        raw.close()


# --- the measurements ---------------------------------------------------------------------

class StatementTimes:
    """Wall time of each SQL statement (first words) while active, for the breakdown."""

    def __init__(self, engine):
        self.engine, self.times = engine, []

    def _before(self, conn, cursor, statement, params, context, executemany):
        conn.info["t0"] = time.perf_counter()

    def _after(self, conn, cursor, statement, params, context, executemany):
        head = " ".join(statement.split())
        for marker in ("INSERT INTO step_outcome", "INSERT INTO payslip"):
            if marker in head:
                head = marker
        self.times.append((time.perf_counter() - conn.info.pop("t0"), head[:60]))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def top(self, k: int = 5) -> list[tuple[float, str]]:
        return sorted(self.times, reverse=True)[:k]


def bare_update(db: Database) -> float:
    """One ``UPDATE worker SET grade = grade + 1`` over the same rows (committed), then undone untimed."""
    scope = "(jurisdiction = 'hangzhou' OR jurisdiction LIKE 'hangzhou.%')"
    start = time.perf_counter()
    with db.transaction() as s:
        s.execute(text(f"UPDATE worker SET grade = grade + 1 WHERE {scope}"))
    elapsed = time.perf_counter() - start
    with db.transaction() as s:
        s.execute(text(f"UPDATE worker SET grade = grade - 1 WHERE {scope}"))
    _tidy(db)
    return elapsed


def bare_insert(db: Database) -> float:
    """One ``INSERT INTO payslip … SELECT`` of the same workers with every
    column a constant (a month no run uses): the floor of writing a month's
    payslips, whose columns are its lines (D-16). Committed, then deleted untimed."""
    scope = "(w.jurisdiction = 'hangzhou' OR w.jurisdiction LIKE 'hangzhou.%')"
    now = datetime.now(UTC)
    with db.transaction() as s:
        run = PayRun(jurisdiction="bench-floor", month="1999-01", status="draft", policies={}, totals={},
                     computations=0, created_by="bench", created_at=now, computed_by="bench", computed_at=now)
        s.add(run)
        s.flush()
        run_id = run.id
    facts = {"jurisdiction": "w.jurisdiction", "community_code": "w.community_code", "pool_key": "'p'",
             "post": "w.post", "grade": "w.grade", "score_centi": "8000", "service_years": "w.service_years"}
    values = ", ".join(facts.get(c, "w.id" if c == "worker_id" else "CAST(1234 AS BIGINT)") for c in pay.COLUMNS)
    start = time.perf_counter()
    with db.transaction() as s:
        s.execute(text(f"INSERT INTO payslip (run_id, month, {', '.join(pay.COLUMNS)}) "
                       f"SELECT :run_id, '1999-01', {values} FROM worker w WHERE {scope}"), {"run_id": run_id})
    elapsed = time.perf_counter() - start
    with db.transaction() as s:
        s.execute(text("DELETE FROM payslip WHERE run_id = :r"), {"r": run_id})
        s.execute(text("DELETE FROM pay_run WHERE id = :r"), {"r": run_id})
    _tidy(db)
    return elapsed


def _tidy(db: Database) -> None:
    if db.sqlite:
        raw = db.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    else:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")


def timed(db: Database, fn):
    with StatementTimes(db.engine) as st:
        start = time.perf_counter()
        with db.transaction() as s:
            result = fn(s)
        return time.perf_counter() - start, result, st.top()


def bench(db: Database, n: int, label: str, breakdown: bool) -> list[dict]:
    now = datetime.now(UTC)
    upgrade(topology.PACKAGES["hr"], db)
    with db.transaction() as s:
        POLICIES.seed(s, rules.SEEDS, now)
    print(f"\n[{label}] generating and loading {n:,} workers ...", flush=True)
    loaded = load(db, n)
    print(f"[{label}] loaded in {loaded:.1f} s", flush=True)
    bare = bare_update(db)
    print(f"[{label}] bare UPDATE of {n:,} worker rows: {bare:.2f} s", flush=True)
    floor = bare_insert(db)
    print(f"[{label}] bare INSERT … SELECT of {n:,} payslip rows: {floor:.2f} s", flush=True)
    rows = []

    def report(name, seconds, top, extra=""):
        base = floor if name.startswith("pay run") else bare
        ratio = seconds / base if base else float("nan")
        load_avg = os.getloadavg()[0]
        rows.append({"backend": label, "n": n, "operation": name, "seconds": seconds, "bare_update": bare,
                     "bare_insert": floor, "ratio": ratio, "load": load_avg})
        print(f"[{label}] {name:<28} {seconds:8.2f} s   floor {base:6.2f} s   ratio {ratio:5.1f}x  "
              f"load {load_avg:.1f}  {extra}", flush=True)
        if breakdown:
            for t, head in top:
                print(f"          {t:7.2f} s  {head}")

    sec, res, top = timed(db, lambda s: increment.run_increment(
        s, jurisdiction=CITY, effective_on=EFFECTIVE, dry_run=True, actor="bench", now=now, today=EFFECTIVE,
        policies=POLICIES))
    report("increment (dry run)", sec, top, f"would move {res.moved:,}")
    sec, res, top = timed(db, lambda s: increment.run_increment(
        s, jurisdiction=CITY, effective_on=EFFECTIVE, dry_run=False, actor="bench", now=now, today=EFFECTIVE,
        policies=POLICIES))
    report("increment", sec, top, f"moved {res.moved:,}, not moved {res.not_moved_total:,}")
    _tidy(db)
    for month, today in (("2025-07", date(2025, 7, 31)), ("2025-08", date(2025, 8, 31))):
        sec, (out, _), top = timed(db, lambda s, month=month, today=today: pay.run_pay(
            s, jurisdiction=CITY, month=month, actor="bench", now=now, today=today, policies=POLICIES))
        report(f"pay run {month}", sec, top,
               f"{out.totals['workers']:,} payslips, gross {out.totals['gross'] / 100:,.0f} yuan")
        _tidy(db)
    sec, (out, _), top = timed(db, lambda s: pay.run_pay(
        s, jurisdiction=CITY, month="2025-08", actor="bench", now=now, today=date(2025, 8, 31), policies=POLICIES))
    report("pay run 2025-08 (re-run)", sec, top)
    _tidy(db)
    late = late_certificates(db, now)
    sec, (out, _), top = timed(db, lambda s: pay.run_pay(
        s, jurisdiction=CITY, month="2025-09", actor="bench", now=now, today=date(2025, 9, 30), policies=POLICIES))
    report("pay run 2025-09 (arrears)", sec, top,
           f"{late:,} workers made good for July and August, arrears {out.totals['arrears'] / 100:,.0f} yuan")
    return rows


LATE_EVERY = 100
"""One worker in this many gets a certificate registered late (D-12)."""


def late_certificates(db: Database, now: datetime) -> int:
    """Approve July and August (D-16); then one worker in ``LATE_EVERY`` is found to
    have registered a certificate on 1 July (D-3): their closed months are
    rechecked, for the September run to make good (D-12)."""
    every = f"id - (id / {LATE_EVERY}) * {LATE_EVERY} = 0"
    with db.transaction() as s:
        for run in s.execute(select(PayRun).where(PayRun.month.in_(["2025-07", "2025-08"]))).scalars():
            pay.submit_pay_run(s, run, actor="bench-maker", now=now)
            pay.approve_pay_run(s, run, actor="bench-checker", now=now)
        s.execute(text("INSERT INTO worker_certificate (worker_id, certificate_id, level, registered_on, valid_until) "
                       f"SELECT id, id, '社会工作师', :on, :until FROM worker WHERE {every}"),
                  {"on": EFFECTIVE, "until": date(2028, 6, 30)})
        late = pay.recheck_paid_months(s, f"SELECT id FROM worker WHERE {every}", EFFECTIVE,
                                       reason="certificate registered late", clause="D-3", source="bench",
                                       actor="bench", now=now)
    _tidy(db)
    return late


def _sqlite_run(n: int, breakdown: bool) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'hr.sqlite3'}")
        try:
            return bench(db, n, "sqlite", breakdown)
        finally:
            db.dispose()


def _pg_run(server_url: str, n: int, breakdown: bool) -> list[dict]:
    from sqlalchemy import create_engine, make_url

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.exec_driver_sql("DROP DATABASE IF EXISTS hr_bench")
        c.exec_driver_sql("CREATE DATABASE hr_bench")
    engine.dispose()
    db = Database(make_url(server_url).set(database="hr_bench").render_as_string(hide_password=False))
    try:
        return bench(db, n, "postgresql", breakdown)
    finally:
        db.dispose()


PG_SETTINGS = {"shared_buffers": "2GB", "work_mem": "256MB", "maintenance_work_mem": "1GB", "max_wal_size": "16GB",
               "checkpoint_timeout": "30min"}
"""What the scratch server is given beyond the test tooling's (fsync off): memory
for a million-row run, and no checkpoint in the middle of one."""


def scratch_postgres():
    """A scratch cluster (tests/support/servers.py) restarted with ``PG_SETTINGS``."""
    import subprocess

    from tests.support.servers import ScratchPostgres

    server = ScratchPostgres().start()
    engine_url = server.url
    from sqlalchemy import create_engine

    engine = create_engine(engine_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        for k, v in PG_SETTINGS.items():
            c.exec_driver_sql(f"ALTER SYSTEM SET {k} = '{v}'")
    engine.dispose()
    server.proc.terminate()
    server.proc.wait(30)
    server.proc = None
    args = [*server.as_user, str(server.bin / "postgres"), "-D", str(server.dir / "data"), "-p", str(server.port),
            "-k", str(server.dir), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]
    server.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 30
    while True:
        try:
            engine = create_engine(engine_url)
            with engine.connect() as c:
                c.exec_driver_sql("SELECT 1")
            engine.dispose()
            return server
        except Exception:
            if time.monotonic() > end:
                raise
            time.sleep(0.3)


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=11_800, help="workers on SQLite (default 11,800: S2-1)")
    ap.add_argument("--pg-n", type=int, default=1_000_000, help="workers on PostgreSQL (default 1,000,000)")
    ap.add_argument("--scratch-pg", action="store_true", help="start a scratch PostgreSQL for the run")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--breakdown", action="store_true", help="print the slowest statements of each run")
    args = ap.parse_args(argv)
    rows: list[dict] = []
    if not args.no_sqlite:
        rows += _sqlite_run(args.n, args.breakdown)
    pg_url = os.environ.get("BENCH_PG_URL")
    server = None
    if args.scratch_pg and not pg_url:
        server = scratch_postgres()
        pg_url = server.url
    try:
        if pg_url:
            rows += _pg_run(pg_url, args.pg_n, args.breakdown)
    finally:
        if server:
            server.stop()
    print(f"\n{os.cpu_count()} CPUs; load average = the 1-minute figure when each step ended.")
    print("A pay run's floor is the bare INSERT … SELECT of as many payslip rows; the increment's the bare UPDATE.")
    print("| backend | workers | operation | seconds | floor (s) | ratio | load |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for r in rows:
        base = r["bare_insert"] if r["operation"].startswith("pay run") else r["bare_update"]
        print(f"| {r['backend']} | {r['n']:,} | {r['operation']} | {r['seconds']:.2f} | {base:.2f} | "
              f"{r['ratio']:.1f}× | {r['load']:.1f} |")
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
