"""What the audit log (D-18) costs: HR's ``POST /workers/import`` of 2,000 rows
and the pay run over them, on SQLite, with the audit listener and without.

    python bench/audit_cost.py [--rows 2000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("WORKFORCE_FAST_PASSWORD_HASHING", "1")

from litestar.testing import TestClient  # noqa: E402

from deploy import topology  # noqa: E402
from deploy.services import prepare  # noqa: E402
from shared import audit, idcard  # noqa: E402

PASSWORD = "bench-pass-1"
DISTRICT = "hangzhou.gongshu"


def one(rows: int, audited: bool) -> tuple[float, float, int]:
    install = audit.install
    if not audited:
        audit.install = lambda *a, **k: None  # the listener not installed: the figures before
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = topology.settings({"WORKFORCE_DATA_DIR": str(Path(tmp) / "data"),
                                          "WORKFORCE_ADMIN_PASSWORD": PASSWORD})
            prepare(settings)
            app = topology.module("hr", "app").create_app(settings)
            with TestClient(app) as c:
                token = c.post("/auth/login", json={"username": "admin", "password": PASSWORD}).json()["access_token"]
                h = {"Authorization": f"Bearer {token}"}
                communities = [f"B-{i:03d}" for i in range(rows // 10 + 1)]
                for code in communities:
                    assert c.post("/communities", headers=h, json={"code": code, "name": code, "district": DISTRICT,
                                                                   "households": 6000}).status_code == 201
                items = [{"name": f"工{i}", "id_number": idcard.make("330105", date(1980, 1, 1) + timedelta(days=i),
                                                                       i % 900 + 1),
                          "jurisdiction": DISTRICT, "post": "委员", "hired_on": "2019-03-01",
                          "community_code": communities[i // 10], "education": "本科"} for i in range(rows)]
                t0 = time.perf_counter()
                r = c.post("/workers/import", headers=h, json={"items": items})
                t1 = time.perf_counter()
                assert r.status_code == 201, r.text[:300]
                r = c.post("/pay-runs", headers=h, json={"jurisdiction": DISTRICT, "month": "2025-01"})
                t2 = time.perf_counter()
                assert r.status_code == 201, r.text[:300]
                svc = app.state.service
                with svc.db.engine.connect() as conn:
                    from sqlalchemy import func, select

                    logged = conn.execute(select(func.count()).select_from(svc.infra.audit)).scalar_one()
        return t1 - t0, t2 - t1, logged
    finally:
        audit.install = install


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    for audited in (False, True):
        runs = [one(args.rows, audited) for _ in range(args.repeat)]
        imp = statistics.median(r[0] for r in runs)
        pay = statistics.median(r[1] for r in runs)
        print(f"audit {'on ' if audited else 'off'}: import of {args.rows} {imp * 1000:.0f} ms, "
              f"pay run {pay * 1000:.0f} ms, audit rows {runs[0][2]}")


if __name__ == "__main__":
    main()
