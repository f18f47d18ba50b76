"""The profile follows HR's worker changes (D-11): the worker's community and
status, and the last ``worker.changed`` applied, so that an older or repeated
change is not applied again.

Revision ID: certs_0005_worker_changes
Revises: certs_0004_calendar
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'certs_0005_worker_changes'
down_revision: Union[str, Sequence[str], None] = 'certs_0004_calendar'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('profile') as b:
        b.add_column(sa.Column('community_code', sa.String(length=32), nullable=True))
        b.add_column(sa.Column('status', sa.String(length=16), nullable=True))
        b.add_column(sa.Column('last_change_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('profile') as b:
        b.drop_column('last_change_id')
        b.drop_column('status')
        b.drop_column('community_code')
