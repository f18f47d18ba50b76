"""The working-day calendar as data (D-10): one row per year loaded.

Revision ID: certs_0004_calendar
Revises: certs_0003_states
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'certs_0004_calendar'
down_revision: Union[str, Sequence[str], None] = 'certs_0003_states'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('work_calendar',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('working_days', sa.JSON(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('clause', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_calendar')),
    )
    op.create_index(op.f('ix_work_calendar_year'), 'work_calendar', ['year'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_work_calendar_year'), table_name='work_calendar')
    op.drop_table('work_calendar')
