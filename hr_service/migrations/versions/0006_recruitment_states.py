"""Recruitment's state machines as CHECK constraints: a campaign's, an
application's and an objection's status, and the states a campaign's history
records (``hr_service.recruitment.states``; the lists are written out here
so that this revision keeps meaning what it meant).

Revision ID: hr_0006_recruitment_states
Revises: 575400ceaf9c
"""
from typing import Sequence, Union

from alembic import op

revision: str = 'hr_0006_recruitment_states'
down_revision: Union[str, Sequence[str], None] = '575400ceaf9c'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CAMPAIGN = ("announced", "examining", "ranked", "notice", "closed", "cancelled")
APPLICATION = ("applied", "eligible", "refused", "standby", "selected", "removed", "withdrawn", "hired")
OBJECTION = ("open", "upheld", "dismissed", "moot")


def _in(column: str, states: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(s) for s in states)})"


# (table, constraint, condition); the names are those the tables' naming convention gives.
CHECKS = [
    ("recruitment_campaign", "ck_recruitment_campaign_status", _in("status", CAMPAIGN)),
    ("recruitment_application", "ck_recruitment_application_status", _in("status", APPLICATION)),
    ("recruitment_objection", "ck_recruitment_objection_status", _in("status", OBJECTION)),
    ("recruitment_event", "ck_recruitment_event_from_status", _in("from_status", CAMPAIGN)),
    ("recruitment_event", "ck_recruitment_event_to_status", _in("to_status", CAMPAIGN)),
]


TABLES = list(dict.fromkeys(t for t, _, _ in CHECKS))


# On SQLite each table is rebuilt; shared.migrate runs this with foreign keys
# off and checks them before it commits.
def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as b:
            for t, name, condition in CHECKS:
                if t == table:
                    b.create_check_constraint(op.f(name), condition)


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as b:
            for t, name, _ in CHECKS:
                if t == table:
                    b.drop_constraint(op.f(name), type_="check")
