"""Payroll that can pay people (D-13…D-16): income tax withheld on the year so
far, declared contribution wages, paid days, rewards on the payslip, the
maker-checker states of a pay run and their log, deductions, unpaid absence,
bank accounts.

Revision ID: hr_0009_payroll
Revises: hr_0008_records
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'hr_0009_payroll'
down_revision: Union[str, Sequence[str], None] = 'hr_0008_records'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TAX_COLUMNS = ('income_to_date', 'basic_deduction_to_date', 'contributions_to_date', 'special_deductions_to_date',
               'taxable_to_date', 'tax_due_to_date', 'tax_withheld_before', 'income_tax')
RUN_STATES = ("draft", "submitted", "closed")


def _stamp() -> list[sa.Column]:
    return [sa.Column('recorded_by', sa.String(length=64), nullable=False),
            sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table('payslip') as b:
        b.add_column(sa.Column('paid_days', sa.Integer(), server_default='2175', nullable=False))
        b.add_column(sa.Column('paid_days_to_date', sa.Integer(), server_default='0', nullable=False))
        b.add_column(sa.Column('rewards', sa.BigInteger(), server_default='0', nullable=False))
        b.add_column(sa.Column('contribution_wage', sa.BigInteger(), server_default='0', nullable=False))
        for name in TAX_COLUMNS:
            b.add_column(sa.Column(name, sa.BigInteger(), server_default='0', nullable=False))
    # payslips computed before paid days were whole months (D-15)
    op.execute("UPDATE payslip SET paid_days_to_date = months_to_date * 2175, contribution_wage = contribution_base")
    with op.batch_alter_table('pay_run') as b:
        b.add_column(sa.Column('submitted_by', sa.String(length=64), nullable=True))
        b.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        b.drop_constraint(op.f('ck_pay_run_status'), type_='check')
        b.alter_column('status', existing_type=sa.String(length=8), type_=sa.String(length=16),
                       existing_nullable=False)
        b.create_check_constraint('status', "status IN ({})".format(", ".join(f"'{s}'" for s in RUN_STATES)))
    with op.batch_alter_table('reward_award') as b:
        b.add_column(sa.Column('paid_run_id', sa.BigInteger(), nullable=True))
        b.create_index(op.f('ix_reward_award_paid_run_id'), ['paid_run_id'], unique=False)
    op.create_table('pay_run_event',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('run_id', BIG_ID, nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['pay_run.id'], name=op.f('fk_pay_run_event_run_id_pay_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_run_event')),
    )
    op.create_index(op.f('ix_pay_run_event_run_id'), 'pay_run_event', ['run_id'], unique=False)
    op.create_table('tax_deduction',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('worker_id', BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('monthly_fen', sa.BigInteger(), nullable=False),
    sa.Column('from_month', sa.String(length=7), nullable=False),
    sa.Column('to_month', sa.String(length=7), nullable=True),
    sa.Column('person', sa.String(length=64), nullable=True),
    *_stamp(),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_tax_deduction_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_deduction')),
    )
    op.create_index('ix_tax_deduction_worker', 'tax_deduction', ['worker_id', 'from_month'], unique=False)
    op.create_table('contribution_wage',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('worker_id', BIG_ID, nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('wage_fen', sa.BigInteger(), nullable=False),
    sa.Column('basis', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    *_stamp(),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_contribution_wage_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_wage')),
    sa.UniqueConstraint('worker_id', 'year', name='uq_contribution_wage_worker_year'),
    )
    op.create_table('unpaid_absence',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('worker_id', BIG_ID, nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    *_stamp(),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_unpaid_absence_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unpaid_absence')),
    )
    op.create_index('ix_unpaid_absence_worker', 'unpaid_absence', ['worker_id', 'first_day'], unique=False)
    op.create_table('worker_bank_account',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('worker_id', BIG_ID, nullable=False),
    sa.Column('bank', sa.String(length=64), nullable=False),
    sa.Column('account_number', sa.String(length=32), nullable=False),
    *_stamp(),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_worker_bank_account_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_bank_account')),
    sa.UniqueConstraint('worker_id', name=op.f('uq_worker_bank_account_worker_id')),
    )


def downgrade() -> None:
    op.drop_table('worker_bank_account')
    op.drop_index('ix_unpaid_absence_worker', table_name='unpaid_absence')
    op.drop_table('unpaid_absence')
    op.drop_table('contribution_wage')
    op.drop_index('ix_tax_deduction_worker', table_name='tax_deduction')
    op.drop_table('tax_deduction')
    op.drop_index(op.f('ix_pay_run_event_run_id'), table_name='pay_run_event')
    op.drop_table('pay_run_event')
    with op.batch_alter_table('reward_award') as b:
        b.drop_index(op.f('ix_reward_award_paid_run_id'))
        b.drop_column('paid_run_id')
    with op.batch_alter_table('pay_run') as b:
        b.drop_constraint(op.f('ck_pay_run_status'), type_='check')
        b.create_check_constraint('status', "status IN ('draft', 'closed')")
        b.alter_column('status', existing_type=sa.String(length=16), type_=sa.String(length=8),
                       existing_nullable=False)
        b.drop_column('submitted_at')
        b.drop_column('submitted_by')
    with op.batch_alter_table('payslip') as b:
        for name in reversed(('paid_days', 'paid_days_to_date', 'rewards', 'contribution_wage', *TAX_COLUMNS)):
            b.drop_column(name)
