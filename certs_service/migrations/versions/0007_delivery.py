"""Delivery that loses nothing and keeps order: outbox confirmations and
redeliveries, the publisher's sequence per entity, the consumer's position per
entity and the events it keeps until their predecessors arrive
(docs/events.md, "Nothing lost" and "Order per entity").

Revision ID: certs_0007_delivery
Revises: certs_0006_audit
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'certs_0007_delivery'
down_revision: Union[str, Sequence[str], None] = 'certs_0006_audit'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as b:
        b.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        b.add_column(sa.Column('redeliveries', sa.Integer(), nullable=False, server_default='0'))
        b.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
    # rows sent before confirmations existed count as confirmed
    op.execute("UPDATE outbox SET confirmed_at = sent_at WHERE sent_at IS NOT NULL")
    with op.batch_alter_table('outbox') as b:
        b.alter_column('redeliveries', server_default=None)
    with op.batch_alter_table('inbox') as b:
        b.add_column(sa.Column('event_type', sa.String(length=64), nullable=True))
    op.create_index('ix_outbox_unconfirmed', 'outbox', ['confirmed_at', 'due_at'])
    op.create_index('ix_inbox_event_type', 'inbox', ['event_type'])
    op.create_table(
        'event_sequence',
        sa.Column('stream', sa.String(length=80), nullable=False),
        sa.Column('last_seq', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('stream', name=op.f('pk_event_sequence')),
    )
    op.create_table(
        'event_stream',
        sa.Column('stream', sa.String(length=80), nullable=False),
        sa.Column('last_seq', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('stream', name=op.f('pk_event_stream')),
    )
    op.create_table(
        'parked_event',
        sa.Column('stream', sa.String(length=80), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('parked_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('stream', 'seq', name=op.f('pk_parked_event')),
    )


def downgrade() -> None:
    op.drop_table('parked_event')
    op.drop_table('event_stream')
    op.drop_table('event_sequence')
    op.drop_index('ix_outbox_unconfirmed', table_name='outbox')
    op.drop_index('ix_inbox_event_type', table_name='inbox')
    with op.batch_alter_table('inbox') as b:
        b.drop_column('event_type')
    with op.batch_alter_table('outbox') as b:
        b.drop_column('due_at')
        b.drop_column('redeliveries')
        b.drop_column('confirmed_at')
