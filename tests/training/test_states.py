"""Training's state machines: the moves each allows, and the CHECK constraints
that keep the stored states to them."""
from __future__ import annotations

import pytest
from sqlalchemy import CheckConstraint

from shared.errors import Conflict
from training_service import rules
from training_service.states import (
    ENROLMENT,
    ROSTER,
    SESSION,
    RosterStatus,
)
from training_service.states import (
    EnrolmentStatus as E,
)
from training_service.states import (
    SessionStatus as S,
)
from training_service.tables import CourseSession, Enrolment, RosterWorker


def test_a_session_is_closed_or_cancelled_once():
    assert SESSION.can(S.scheduled, S.closed) and SESSION.can(S.scheduled, S.cancelled)
    assert SESSION.final(S.closed) and SESSION.final(S.cancelled)
    with pytest.raises(Conflict) as refused:
        SESSION.move(S.closed, S.cancelled)
    assert refused.value.code == "session_not_cancelled"


@pytest.mark.parametrize("source,targets", [
    (E.waitlisted, {E.enrolled, E.cancelled}),
    (E.enrolled, {E.cancelled, E.completed, E.not_completed}),
    (E.cancelled, set()), (E.completed, set()), (E.not_completed, set()),
])
def test_the_moves_of_an_enrolment(source, targets):
    assert {t for t in E if ENROLMENT.can(source, t)} == targets


def test_a_waiting_place_never_completes():
    assert not ENROLMENT.can(E.waitlisted, E.completed)
    assert not ENROLMENT.can(E.cancelled, E.enrolled)


def test_the_enrolment_groups_are_the_machines_states():
    assert set(rules.OPEN_STATUSES) == {s for s in E if ENROLMENT.can(s, E.cancelled)}
    assert set(rules.SEATED_STATUSES) == {E.enrolled, E.completed, E.not_completed}
    assert set(rules.HELD_STATUSES) == {E.enrolled, E.waitlisted, E.completed}


def test_a_roster_entry_leaves_and_may_return():
    assert ROSTER.can(RosterStatus.active, RosterStatus.left) and ROSTER.can(RosterStatus.left, RosterStatus.active)


@pytest.mark.parametrize("table,machine", [
    (RosterWorker.__table__, ROSTER), (CourseSession.__table__, SESSION), (Enrolment.__table__, ENROLMENT),
])
def test_each_status_column_carries_its_machines_check(table, machine):
    checks = [c for c in table.constraints if isinstance(c, CheckConstraint)]
    assert [(c.name, str(c.sqltext)) for c in checks] == [(f"ck_{table.name}_status", machine.check_sql("status"))]


def test_the_migration_adds_the_same_states():
    import importlib.util
    from pathlib import Path

    import training_service

    path = Path(training_service.__file__).parent / "migrations" / "versions" / "0003_training_states.py"
    spec = importlib.util.spec_from_file_location("training_0003_states", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.STATES == {
        "roster_worker": ("status", tuple(ROSTER.values())),
        "training_session": ("status", tuple(SESSION.values())),
        "enrolment": ("status", tuple(ENROLMENT.values())),
    }


def test_the_migrated_database_refuses_a_status_outside_the_machine(settings):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from shared.db import Database

    db = Database(settings.database_urls["training"])
    try:
        with pytest.raises(IntegrityError), db.engine.begin() as c:
            c.execute(text("INSERT INTO roster_worker (worker_id, name, post, jurisdiction, status, source, updated_at)"
                           " VALUES (1, 'x', '委员', 'hangzhou', 'retired', 'csv', '2025-01-01')"))
    finally:
        db.dispose()
