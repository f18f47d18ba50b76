"""The state machines' CHECK constraints: each status column kept to its
machine's states (certs_service/states.py).

Revision ID: certs_0003_states
Revises: a886df0f7e96
"""
from typing import Sequence, Union

from alembic import op

revision: str = 'certs_0003_states'
down_revision: Union[str, Sequence[str], None] = 'a886df0f7e96'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (table, constraint name, condition), written out as the machines stood at this revision
CHECKS: list[tuple[str, str, str]] = [
    ("certificate", "ck_certificate_review_outcome", "review_outcome IN ('pending', 'passed', 'failed')"),
    ("registration", "ck_registration_ended", "ended IN ('renewed', 'lapsed', 'closed')"),
    ("exam_entry", "ck_exam_entry_result", "result IN ('pending', 'passed', 'failed')"),
    ("talent_round", "ck_talent_round_state", "state IN ('nominating', 'scoring', 'ranked', 'notice', 'final')"),
    ("nomination", "ck_nomination_status", "status IN ('active', 'withdrawn')"),
    ("nomination", "ck_nomination_outcome", "outcome IN ('selected', 'reserve', 'struck')"),
    ("objection", "ck_objection_outcome", "outcome IN ('upheld', 'dismissed')"),
]


def upgrade() -> None:
    for table, name, condition in CHECKS:
        with op.batch_alter_table(table) as b:
            b.create_check_constraint(op.f(name), condition)


def downgrade() -> None:
    for table, name, _ in reversed(CHECKS):
        with op.batch_alter_table(table) as b:
            b.drop_constraint(op.f(name), type_="check")
