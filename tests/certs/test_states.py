"""Certs's state machines (certs_service/states.py): the moves each allows, and
the CHECK constraints of the tables and of migration 0003 keeping the stored
columns to their states."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import CheckConstraint

import certs_service
from certs_service.states import (
    ENDINGS,
    EXAM_ENTRY,
    NOMINATION,
    OBJECTION,
    OUTCOME,
    REGISTRATION,
    REVIEW,
    ROUND,
    ExamResult,
    NominationOutcome,
    ObjectionOutcome,
    RegistrationState,
    ReviewOutcome,
    RoundState,
)
from certs_service.tables import metadata
from shared.errors import Conflict

R = RegistrationState


def test_a_round_takes_its_steps_in_order_only():
    steps = list(RoundState)
    for i, source in enumerate(steps):
        for target in steps:
            assert ROUND.can(source, target) == (i + 1 < len(steps) and target == steps[i + 1])
    assert ROUND.final(RoundState.final)
    with pytest.raises(Conflict) as refused:
        ROUND.move(RoundState.nominating, RoundState.ranked)
    assert refused.value.extra == {"machine": "talent round", "from": "nominating", "to": "ranked"}


def test_a_registration_is_renewed_only_while_due():
    assert [s for s in R if REGISTRATION.can(s, R.renewed)] == [R.due]
    assert REGISTRATION.can(R.due, R.lapsed) and not REGISTRATION.can(R.active, R.lapsed)
    assert all(REGISTRATION.can(s, R.closed) for s in (R.active, R.due, R.lapsed))
    assert REGISTRATION.final(R.renewed) and REGISTRATION.final(R.closed)
    assert set(ENDINGS) == {R.renewed, R.lapsed, R.closed}


def test_review_and_outcomes_are_decided_once():
    assert REVIEW.can(ReviewOutcome.pending, ReviewOutcome.passed) and REVIEW.final(ReviewOutcome.failed)
    assert all(OBJECTION.final(o) for o in ObjectionOutcome)
    assert OUTCOME.can(NominationOutcome.selected, NominationOutcome.struck)
    assert OUTCOME.can(NominationOutcome.reserve, NominationOutcome.selected)
    assert not OUTCOME.can(NominationOutcome.struck, NominationOutcome.selected)
    assert NOMINATION.final("withdrawn")


def test_an_exam_result_is_corrected_but_never_pending_again():
    assert EXAM_ENTRY.can(ExamResult.passed, ExamResult.failed) and EXAM_ENTRY.can(ExamResult.failed, ExamResult.passed)
    assert not any(EXAM_ENTRY.can(s, ExamResult.pending) for s in ExamResult)


def table_checks() -> dict[str, tuple[str, str]]:
    return {c.name: (t.name, str(c.sqltext)) for t in metadata.sorted_tables for c in t.constraints
            if isinstance(c, CheckConstraint)}


def test_every_status_column_has_its_check():
    assert table_checks() == {
        "ck_certificate_review_outcome": ("certificate", REVIEW.check_sql("review_outcome")),
        "ck_registration_ended": ("registration", "ended IN ('renewed', 'lapsed', 'closed')"),
        "ck_exam_entry_result": ("exam_entry", EXAM_ENTRY.check_sql("result")),
        "ck_talent_round_state": ("talent_round", ROUND.check_sql("state")),
        "ck_nomination_status": ("nomination", NOMINATION.check_sql("status")),
        "ck_nomination_outcome": ("nomination", OUTCOME.check_sql("outcome")),
        "ck_objection_outcome": ("objection", OBJECTION.check_sql("outcome")),
    }


def test_the_migration_adds_the_tables_checks():
    path = Path(certs_service.__file__).parent / "migrations" / "versions" / "0003_certs_states.py"
    spec = importlib.util.spec_from_file_location("certs_0003_states", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert {name: (table, sql) for table, name, sql in migration.CHECKS} == table_checks()
