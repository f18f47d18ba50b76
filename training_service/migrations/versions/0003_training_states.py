"""The state machines' CHECK constraints: a roster entry, a session, an enrolment
keep to their machine's states (training_service/states.py).

Revision ID: training_0003_states
Revises: 51732f233bf9
"""
from typing import Sequence, Union

from alembic import op

revision: str = 'training_0003_states'
down_revision: Union[str, Sequence[str], None] = '51732f233bf9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The states as they stand at this revision (a machine that grows later gets a
# new revision): table → the constraint's name (ck_<table>_<name> under the
# naming convention) and the states.
STATES = {
    "roster_worker": ("status", ("active", "left")),
    "training_session": ("status", ("scheduled", "closed", "cancelled")),
    "enrolment": ("status", ("enrolled", "waitlisted", "cancelled", "completed", "not_completed")),
}

# On SQLite each table is rebuilt; shared.migrate runs this with foreign keys
# off and checks them before it commits.
def upgrade() -> None:
    for table, (name, states) in STATES.items():
        with op.batch_alter_table(table) as b:
            b.create_check_constraint(name, "status IN ({})".format(", ".join(f"'{s}'" for s in states)))


def downgrade() -> None:
    for table, (name, _) in STATES.items():
        with op.batch_alter_table(table) as b:
            b.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
