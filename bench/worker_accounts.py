"""Workers' accounts in bulk (D-18): opening them with the hire and issuing
their one-time passwords for a whole district, on SQLite with a real Redis,
through HR's audited database, beside a bare INSERT of as many account rows.

    .venv/bin/python bench/worker_accounts.py [--workers 11800]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from deploy import topology
from deploy.redis_server import RedisServer
from deploy.services import prepare
from hr_service.accounts import workers
from hr_service.accounts.tables import UserAccount
from hr_service.app import make_service
from hr_service.tables import Worker
from shared.auth import Principal, Role
from shared.idcard import make
from shared.revocation import KEY, Revocations

DISTRICT = "hangzhou.gongshu"


def timed(label: str, fn) -> float:
    t = time.perf_counter()
    fn()
    took = time.perf_counter() - t
    print(f"{label:<58} {took:6.2f} s")
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=11_800)
    n = ap.parse_args().workers
    tmp = Path(tempfile.mkdtemp())
    server = RedisServer(tmp / "redis", appendonly=False).start()
    try:
        settings = topology.settings({"WORKFORCE_DATA_DIR": str(tmp / "data"), "REDIS_URL": server.url,
                                      "WORKFORCE_ADMIN_PASSWORD": "admin-pass-1"})
        prepare(settings)
        db = make_service(settings).db  # audited, as the API's
        now = datetime.now(UTC)
        rows = [{"name": f"工作者{i}", "id_number": make("330105", date(1980 + i % 20, 1 + i % 12, 1 + i % 28), i),
                 "jurisdiction": DISTRICT, "community_code": None, "post": "委员", "grade": 1,
                 "status": "active", "hired_on": date(2020, 1, 1), "created_at": now} for i in range(n)]
        with db.transaction() as s:
            s.execute(insert(Worker), rows)
            ids = list(s.execute(select(Worker.id)).scalars())
        admin = Principal("admin", Role.admin, "hangzhou")
        revocations = Revocations(settings.redis_url)

        def bare() -> None:
            with db.transaction() as s:
                s.execute(insert(UserAccount), [
                    {"username": f"bare{i}", "password_hash": "!", "role": "worker", "jurisdiction": DISTRICT,
                     "worker_id": wid, "active": True, "created_at": now} for i, wid in enumerate(ids)])

        def clear() -> None:
            with db.transaction() as s:
                s.execute(UserAccount.__table__.delete().where(UserAccount.role == "worker"))

        def open_with_hire() -> None:
            with db.transaction() as s:
                workers.open_accounts_of(s, ids, now, "bench")

        def first_issue() -> None:
            with db.transaction() as s:
                workers.issue_passwords(s, admin, jurisdiction=DISTRICT, now=now, revocations=revocations)

        def reissue() -> None:
            with db.transaction() as s:
                workers.issue_passwords(s, admin, worker_ids=ids[:10_000], only_without_password=False, now=now,
                                        revocations=revocations)

        print(f"{n} workers of one district, SQLite (audited) and Redis")
        floor = timed(f"bare INSERT of {n} account rows (executemany, audited)", bare)
        clear()
        opened = timed("accounts opened as hires open them", open_with_hire)
        clear()
        first = timed("first bulk issue: open the accounts and issue passwords", first_issue)
        again = timed(f"re-issue for {min(n, 10_000)} named workers (revokes their tokens)", reissue)
        print(f"ratios to the floor: opened {opened / floor:.1f}×, first issue {first / floor:.1f}×, "
              f"re-issue {again / floor:.1f}×")
        with db.read_session() as s:
            accounts = s.execute(select(func.count()).select_from(UserAccount)).scalar_one()
        print(f"accounts {accounts}, token versions in Redis {revocations.client.hlen(KEY)}")
        revocations.close()
        db.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
