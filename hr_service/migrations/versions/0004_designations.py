"""Designations on the HR record (talent.selected, D-7) and the payslip's
leader-talent allowance column (issue 7).

Revision ID: 6d7d4e408ea0
Revises: hr_recruitment_0001
Create Date: 2026-11-23 14:15:40.409388

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '6d7d4e408ea0'
down_revision: Union[str, Sequence[str], None] = 'hr_recruitment_0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('worker_designation',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('worker_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.BigInteger(), nullable=False),
    sa.Column('term_starts_on', sa.Date(), nullable=False),
    sa.Column('term_ends_on', sa.Date(), nullable=False),
    sa.Column('allowance_fen', sa.BigInteger(), nullable=False),
    sa.Column('source_event_id', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_designation')),
    sa.UniqueConstraint('worker_id', 'kind', 'round_id', name='uq_worker_designation_round')
    )
    with op.batch_alter_table('worker_designation', schema=None) as batch_op:
        batch_op.create_index('ix_worker_designation_worker_term', ['worker_id', 'term_starts_on'], unique=False)

    with op.batch_alter_table('payslip', schema=None) as batch_op:
        batch_op.add_column(sa.Column('talent_allowance', sa.BigInteger(), server_default='0', nullable=False))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('payslip', schema=None) as batch_op:
        batch_op.drop_column('talent_allowance')

    with op.batch_alter_table('worker_designation', schema=None) as batch_op:
        batch_op.drop_index('ix_worker_designation_worker_term')

    op.drop_table('worker_designation')
