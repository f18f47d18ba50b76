"""SQLite driver choice: a primary-key lookup through the sync driver
(pysqlite) and through aiosqlite, both via SQLAlchemy 2, on this machine.

    .venv/bin/python -m bench.bench_driver [N]

Prints the mean cost per lookup and the ratio; the README records the figures.
"""
from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db import Database

meta = MetaData()
person = Table("person", meta, Column("id", Integer, primary_key=True), Column("name", String(40)))
ROWS = 10_000


def setup(path: Path) -> Database:
    db = Database(f"sqlite:///{path}")
    meta.create_all(db.engine)
    with db.transaction() as s:
        s.execute(insert(person), [{"id": i, "name": f"worker {i}"} for i in range(1, ROWS + 1)])
    return db


def bench_sync(db: Database, ids: list[int]) -> float:
    start = time.perf_counter()
    for i in ids:
        with db.read_session() as s:
            s.execute(select(person.c.name).where(person.c.id == i)).scalar_one()
    return (time.perf_counter() - start) / len(ids)


async def bench_async(path: Path, ids: list[int]) -> float:
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.connect() as c:  # warm the pool
        await c.execute(select(person.c.id).limit(1))
    start = time.perf_counter()
    for i in ids:
        async with engine.connect() as c:
            (await c.execute(select(person.c.name).where(person.c.id == i))).scalar_one()
    elapsed = (time.perf_counter() - start) / len(ids)
    await engine.dispose()
    return elapsed


def main(n: int = 5000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = setup(path)
        ids = [random.randint(1, ROWS) for _ in range(n)]
        bench_sync(db, ids[:200])  # warm up
        sync_s = bench_sync(db, ids)
        async_s = asyncio.run(bench_async(path, ids))
        db.dispose()
    print(f"SQLite primary-key lookup, {n} lookups, SQLAlchemy 2 session per lookup")
    print(f"  sync (pysqlite):   {sync_s * 1000:.3f} ms")
    print(f"  async (aiosqlite): {async_s * 1000:.3f} ms")
    print(f"  ratio async/sync:  {async_s / sync_s:.1f}x")
    return {"sync_ms": sync_s * 1000, "async_ms": async_s * 1000}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
