"""Records that stay true (D-10, D-11, D-12): the working-day calendar as data,
a worker's dated changes, a community's dated figures, corrections of the grade
history, supplementary step runs, and the arrears and recoveries of pay.

Revision ID: hr_0008_records
Revises: hr_0007_states
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'hr_0008_records'
down_revision: Union[str, Sequence[str], None] = 'hr_0007_states'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('work_calendar',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
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
    op.create_table('worker_change',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('worker_id', BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('clause', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_worker_change_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_change')),
    )
    op.create_index('ix_worker_change_worker', 'worker_change', ['worker_id', 'effective_on'], unique=False)
    op.create_table('pay_recheck',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('worker_id', sa.BigInteger(), nullable=False),
    sa.Column('since', sa.String(length=7), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('clause', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_run_id', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_recheck')),
    )
    op.create_index('ix_pay_recheck_open', 'pay_recheck', ['settled_run_id', 'worker_id'], unique=False)
    op.create_table('pay_adjustment',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('run_id', BIG_ID, nullable=False),
    sa.Column('worker_id', sa.BigInteger(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('covers', sa.String(length=7), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('clause', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['pay_run.id'], name=op.f('fk_pay_adjustment_run_id_pay_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_adjustment')),
    sa.UniqueConstraint('run_id', 'worker_id', 'covers', name='uq_pay_adjustment_run_worker_month'),
    )
    op.create_index('ix_pay_adjustment_worker_covers', 'pay_adjustment', ['worker_id', 'covers'], unique=False)
    op.create_table('community_figures',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('party_members', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_code'], ['community.code'],
                            name=op.f('fk_community_figures_community_code_community')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_figures')),
    sa.UniqueConstraint('community_code', 'effective_from', name='uq_community_figures_code_date'),
    )
    # Each existing community's figures become its first version, from the day it was created.
    op.execute(
        "INSERT INTO community_figures (community_code, effective_from, households, party_members, reason, "
        "recorded_by, recorded_at) SELECT code, CAST(created_at AS DATE), households, party_members, "
        "'the figures held before they were dated (D-11)', 'migration', created_at FROM community"
    )
    with op.batch_alter_table('grade_change') as b:
        b.add_column(sa.Column('superseded_by', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('step_run') as b:
        b.add_column(sa.Column('seq', sa.Integer(), server_default='0', nullable=False))
        b.add_column(sa.Column('reason', sa.Text(), nullable=True))
        b.drop_constraint('uq_step_run_jurisdiction_date', type_='unique')
        b.create_unique_constraint('uq_step_run_jurisdiction_date_seq', ['jurisdiction', 'effective_on', 'seq'])
    with op.batch_alter_table('step_outcome') as b:
        b.add_column(sa.Column('previous_outcome', sa.String(length=32), nullable=True))
        b.add_column(sa.Column('previous_run_id', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('payslip') as b:
        b.add_column(sa.Column('arrears', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('payslip') as b:
        b.drop_column('arrears')
    with op.batch_alter_table('step_outcome') as b:
        b.drop_column('previous_run_id')
        b.drop_column('previous_outcome')
    with op.batch_alter_table('step_run') as b:
        b.drop_constraint('uq_step_run_jurisdiction_date_seq', type_='unique')
        b.create_unique_constraint('uq_step_run_jurisdiction_date', ['jurisdiction', 'effective_on'])
        b.drop_column('reason')
        b.drop_column('seq')
    with op.batch_alter_table('grade_change') as b:
        b.drop_column('superseded_by')
    op.drop_table('community_figures')
    op.drop_index('ix_pay_adjustment_worker_covers', table_name='pay_adjustment')
    op.drop_table('pay_adjustment')
    op.drop_index('ix_pay_recheck_open', table_name='pay_recheck')
    op.drop_table('pay_recheck')
    op.drop_index('ix_worker_change_worker', table_name='worker_change')
    op.drop_table('worker_change')
    op.drop_index(op.f('ix_work_calendar_year'), table_name='work_calendar')
    op.drop_table('work_calendar')
