"""The roster follows HR's worker changes (D-11): the last ``worker.changed``
applied to each entry, so that an older or repeated change is not applied again.

Revision ID: training_0004_worker_changes
Revises: training_0003_states
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'training_0004_worker_changes'
down_revision: Union[str, Sequence[str], None] = 'training_0003_states'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('roster_worker') as b:
        b.add_column(sa.Column('last_change_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('roster_worker') as b:
        b.drop_column('last_change_id')
