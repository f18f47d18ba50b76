"""Accounts with a life (D-18): token version, one-time passwords, deactivation,
failed logins in a row and a temporary lock, the login attempt log; a
community secretary's community (D-17); the worker record complete enough to
serve: gender, ethnicity, political status, contacts, education history.

Revision ID: hr_0010_accounts_profile
Revises: hr_0009_payroll
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'hr_0010_accounts_profile'
down_revision: Union[str, Sequence[str], None] = 'hr_0009_payroll'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
WORKER_COLUMNS = (('gender', 8), ('ethnicity', 16), ('political_status', 16), ('phone', 20), ('email', 128),
                  ('address', 200), ('emergency_contact_name', 64), ('emergency_contact_relation', 16),
                  ('emergency_contact_phone', 20))


def upgrade() -> None:
    with op.batch_alter_table('user_account') as b:
        b.add_column(sa.Column('community_code', sa.String(length=32), nullable=True))
        b.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))
        b.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False))
        b.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))
        b.add_column(sa.Column('created_by', sa.String(length=64), nullable=True))
        b.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))
        b.add_column(sa.Column('deactivated_by', sa.String(length=64), nullable=True))
        b.add_column(sa.Column('deactivation_reason', sa.Text(), nullable=True))
        b.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        b.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        b.create_unique_constraint('uq_user_account_worker_id', ['worker_id'])
    op.create_table(
        'login_attempt',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('outcome', sa.String(length=24), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt')),
    )
    op.create_index('ix_login_attempt_username_at', 'login_attempt', ['username', 'at'], unique=False)
    op.create_index('ix_login_attempt_address_at', 'login_attempt', ['address', 'at'], unique=False)
    with op.batch_alter_table('worker') as b:
        for name, length in WORKER_COLUMNS:
            b.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        b.add_column(sa.Column('party_member_since', sa.Date(), nullable=True))
    op.create_table(
        'worker_education',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('worker_id', BIG_ID, nullable=False),
        sa.Column('qualification', sa.String(length=16), nullable=False),
        sa.Column('school', sa.String(length=100), nullable=False),
        sa.Column('major', sa.String(length=100), nullable=True),
        sa.Column('graduated_year', sa.Integer(), nullable=False),
        sa.Column('full_time', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_worker_education_worker_id_worker')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_education')),
    )
    op.create_index(op.f('ix_worker_education_worker_id'), 'worker_education', ['worker_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_worker_education_worker_id'), table_name='worker_education')
    op.drop_table('worker_education')
    with op.batch_alter_table('worker') as b:
        b.drop_column('party_member_since')
        for name, _ in reversed(WORKER_COLUMNS):
            b.drop_column(name)
    op.drop_index('ix_login_attempt_address_at', table_name='login_attempt')
    op.drop_index('ix_login_attempt_username_at', table_name='login_attempt')
    op.drop_table('login_attempt')
    with op.batch_alter_table('user_account') as b:
        b.drop_constraint('uq_user_account_worker_id', type_='unique')
        for name in ('locked_until', 'failed_logins', 'deactivation_reason', 'deactivated_by', 'deactivated_at',
                     'created_by', 'password_changed_at', 'must_change_password', 'token_version', 'community_code'):
            b.drop_column(name)
