"""The recruitment states' CHECK constraints arrive by migration on a database
that already holds a campaign (SQLite rebuilds the tables other rows refer
to), refuse a status outside the machines, and leave again on downgrade."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from shared.db import Database
from shared.migrate import downgrade, upgrade
from tests.support.servers import create_database

BEFORE = "575400ceaf9c"
STATES = "hr_0006_recruitment_states"
NOW = "2025-03-01 00:00:00+00:00"

ROWS = [
    "INSERT INTO community (code, name, district, households, party_members, created_at, updated_at) "
    "VALUES ('GS001', '甲社区', 'hangzhou.gongshu', 400, 0, :now, :now)",
    "INSERT INTO recruitment_campaign (id, title, jurisdiction, announced_on, status, created_by, created_at) "
    "VALUES (1, '招考', 'hangzhou.gongshu', '2025-03-03', 'notice', 'hr', :now)",
    "INSERT INTO recruitment_post (id, campaign_id, community_code, post, count) VALUES (1, 1, 'GS001', '委员', 1)",
    "INSERT INTO recruitment_notice (id, campaign_id, starts_on, ends_on, working_days, created_by, created_at) "
    "VALUES (1, 1, '2025-03-10', '2025-03-14', 5, 'hr', :now)",
    "INSERT INTO recruitment_application (id, campaign_id, post_id, name, id_number, birth_date, education, "
    "certificates, household_registration, record_flags, service_years, applied_on, status, notice_id, created_at) "
    "VALUES (1, 1, 1, '张三', '330105199001010011', '1990-01-01', '本科', '[]', '杭州', '[]', 0, '2025-03-03', "
    "'selected', 1, :now)",
    "INSERT INTO recruitment_objection (id, campaign_id, notice_id, application_id, lodged_on, summary, status, "
    "created_at) VALUES (1, 1, 1, 1, '2025-03-11', '异议', 'open', :now)",
    "INSERT INTO recruitment_event (campaign_id, step, from_status, to_status, as_of, actor, detail, at) "
    "VALUES (1, 'announce', NULL, 'announced', '2025-03-03', 'hr', '{}', :now)",
]

BAD = [
    "UPDATE recruitment_campaign SET status = 'paused'",
    "UPDATE recruitment_application SET status = 'shortlisted'",
    "UPDATE recruitment_objection SET status = 'pending'",
    "UPDATE recruitment_event SET to_status = 'paused'",
    "UPDATE recruitment_event SET from_status = 'paused'",
]


def counts(db: Database) -> list[int]:
    with db.engine.connect() as c:
        return [c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in (
            "recruitment_campaign", "recruitment_application", "recruitment_objection", "recruitment_event")]


def refused(db: Database, sql: str) -> bool:
    try:
        with db.engine.begin() as c:
            c.execute(text(sql))
    except IntegrityError:
        return True
    return False


def run(db: Database) -> None:
    upgrade("hr_service", db, BEFORE)
    with db.engine.begin() as c:
        for sql in ROWS:
            c.execute(text(sql), {"now": NOW})
    upgrade("hr_service", db, STATES)
    assert counts(db) == [1, 1, 1, 1]
    assert all(refused(db, sql) for sql in BAD)
    if db.sqlite:
        with db.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert refused(db, "INSERT INTO recruitment_post (campaign_id, community_code, post, count) "
                           "VALUES (99, 'GS001', '副职', 1)")  # the foreign keys still hold
    downgrade("hr_service", db, BEFORE)
    assert counts(db) == [1, 1, 1, 1]
    assert not refused(db, BAD[0])


def test_the_constraints_arrive_on_a_sqlite_database_with_a_campaign(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'hr.sqlite3'}")
    try:
        run(db)
    finally:
        db.dispose()


@pytest.mark.postgres
def test_the_constraints_arrive_on_postgresql(pg_server_url):
    db = Database(create_database(pg_server_url, "hr"))
    try:
        run(db)
    finally:
        db.dispose()
