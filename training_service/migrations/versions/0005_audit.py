"""The audit log (D-18): who changed what, when, from where, before and after;
append-only (on PostgreSQL a trigger refuses UPDATE and DELETE).

Revision ID: training_0005_audit
Revises: training_0004_worker_changes
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'training_0005_audit'
down_revision: Union[str, Sequence[str], None] = 'training_0004_worker_changes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (D-18)';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""


def upgrade() -> None:
    op.create_table(
        'audit_log',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('role', sa.String(length=32), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('request', sa.String(length=300), nullable=True),
        sa.Column('entity', sa.String(length=64), nullable=False),
        sa.Column('entity_key', sa.String(length=200), nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('jurisdiction', sa.String(length=64), nullable=True),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    )
    op.create_index('ix_audit_log_entity_key', 'audit_log', ['entity', 'entity_key'])
    op.create_index('ix_audit_log_actor_at', 'audit_log', ['actor', 'at'])
    op.create_index('ix_audit_log_at', 'audit_log', ['at'])
    op.create_index('ix_audit_log_jurisdiction_at', 'audit_log', ['jurisdiction', 'at'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(APPEND_ONLY)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table('audit_log')
