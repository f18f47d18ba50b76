"""The state machines' CHECK constraints: a worker's status, a pay run's (hr_service.states).

Revision ID: hr_0007_states
Revises: hr_0006_recruitment_states
"""
from typing import Sequence, Union

from alembic import op

revision: str = 'hr_0007_states'
down_revision: Union[str, Sequence[str], None] = 'hr_0006_recruitment_states'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The states as they stand at this revision (the machines may grow later, by a
# new revision): table → (constraint name, under the naming convention
# ck_<table>_<name>; the states).
STATES = {
    "worker": ("status", ("active", "probation", "left")),
    "pay_run": ("status", ("draft", "closed")),
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
