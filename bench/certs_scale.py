"""Certs at city scale and beyond: the bulk load, the S2-7 statistics and the
daily registration check (D-5) over N holders on SQLite (or the database
``WORKFORCE_CERTS_DB_URL`` names).

    .venv/bin/python -m bench.certs_scale [N]        # default 100000

Every holder gets one certificate and one registration cycle, the expiries
spread evenly over three years; the first check (on 2017-06-01) marks the
cycles already past their end (about 14% of N) and issues a reminder for each
cycle within 90 days of its end (about 8%). Prints each step's time against
its target.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
from sqlalchemy import insert

from certs_service import rules, store
from certs_service.tables import Registration
from deploy import topology
from deploy.services import make_service, prepare
from shared.auth import Principal, Role
from tests.certs.support import holders

TARGETS = {"load": 30.0, "statistics": 2.0, "check": 10.0}  # seconds for 100,000 holders


def main(n: int = 100_000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"WORKFORCE_DATA_DIR": str(Path(tmp) / "data"), **os.environ}
        settings = topology.settings(env)
        prepare(settings)
        svc = make_service("certs", settings)
        admin = Principal(sub="bench", role=Role.admin, jurisdiction=rules.CITY)
        now = datetime.now(UTC)
        rows = [msgspec.convert(r, store.ImportRow) for r in holders(n, n * 6633 // 8307, "2016-06-30")]
        timings: dict[str, float] = {}

        start = time.perf_counter()
        with svc.db.transaction() as s:
            store.import_certificates(s, admin, rows, today=date(2016, 12, 31), now=now)
        timings["load"] = time.perf_counter() - start

        start = time.perf_counter()
        with svc.db.read_session() as s:
            counted = sum(c for *_, c in store.holder_counts(s, rules.CITY, date(2016, 12, 31)))
        timings["statistics"] = time.perf_counter() - start
        assert counted == n, counted

        rule = rules.RegistrationRule()
        first = date(2014, 1, 1)
        with svc.db.transaction() as s:
            regs = []
            for i in range(n):
                registered = first + timedelta(days=i % 1095)
                until = rules.valid_until(registered, rule)
                regs.append(dict(
                    certificate_id=i + 1, worker_id=100_000 + i, cycle=1, kind=rules.FIRST, registered_on=registered,
                    valid_from=registered, valid_until=until, renewal_opens_on=rules.renewal_window(until, rule)[0],
                    cpd_from=registered, recorded_by="bench", created_at=now,
                ))
            s.execute(insert(Registration), regs)

        start = time.perf_counter()
        with svc.db.transaction() as s:
            lapsed, reminded = store.registration_check(s, svc, date(2017, 6, 1))
        timings["check"] = time.perf_counter() - start
        svc.db.dispose()

    scale = n / 100_000
    print(f"certs at {n} holders ({svc.db.url.split(':')[0]})")
    for step, seconds in timings.items():
        target = TARGETS[step] * max(scale, 0.01)
        print(f"  {step:<11} {seconds:7.2f} s   target {target:6.2f} s   {'ok' if seconds <= target else 'SLOW'}")
    print(f"  the check on 2017-06-01 marked {lapsed} lapses and issued {reminded} reminders")
    return timings


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
