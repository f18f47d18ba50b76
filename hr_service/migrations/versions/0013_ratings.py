"""Community ratings (S1-4): rating rounds, applications, the panel and its
scores, objections during the 公示, and the results kept on the community.

Revision ID: hr_0013_ratings
Revises: hr_0012_org
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'hr_0013_ratings'
down_revision: Union[str, Sequence[str], None] = 'hr_0012_org'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# the state machines' states as they were when these tables were made (hr_service/ratings/states.py)
ROUND = "status IN ('open', 'reviewing', 'ranked', 'notice', 'final', 'cancelled')"
ENTRY = "status IN ('applied', 'withdrawn', 'proposed', 'failed', 'removed', 'rated')"
OBJECTION = "status IN ('open', 'upheld', 'dismissed', 'moot')"
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _id() -> sa.Column:
    return sa.Column('id', ID, autoincrement=True, nullable=False)


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as b:
        for c in columns:
            b.create_index(b.f(f'ix_{table}_{c}'), [c], unique=False)


def upgrade() -> None:
    op.create_table(
        'rating_round', _id(),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('jurisdiction', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('opened_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('notice_starts_on', sa.Date(), nullable=True),
        sa.Column('notice_ends_on', sa.Date(), nullable=True),
        sa.Column('notice_working_days', sa.Integer(), nullable=True),
        sa.Column('finalised_on', sa.Date(), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(ROUND, name=op.f('ck_rating_round_status')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_round')),
    )
    _index('rating_round', 'year', 'jurisdiction', 'status')
    op.create_table(
        'rating_application', _id(),
        sa.Column('round_id', ID, nullable=False),
        sa.Column('community_code', sa.String(length=32), nullable=False),
        sa.Column('level', sa.String(length=8), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('applied_on', sa.Date(), nullable=False),
        sa.Column('score_h', sa.Integer(), nullable=True),
        sa.Column('rank', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(ENTRY, name=op.f('ck_rating_application_status')),
        sa.ForeignKeyConstraint(['round_id'], ['rating_round.id'],
                                name=op.f('fk_rating_application_round_id_rating_round')),
        sa.ForeignKeyConstraint(['community_code'], ['community.code'],
                                name=op.f('fk_rating_application_community_code_community')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_application')),
        sa.UniqueConstraint('round_id', 'community_code', name='uq_rating_application_round_community'),
    )
    _index('rating_application', 'round_id', 'community_code')
    op.create_table(
        'rating_reviewer', _id(),
        sa.Column('round_id', ID, nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('account', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['rating_round.id'],
                                name=op.f('fk_rating_reviewer_round_id_rating_round')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_reviewer')),
        sa.UniqueConstraint('round_id', 'name', name='uq_rating_reviewer_round_name'),
    )
    _index('rating_reviewer', 'round_id')
    op.create_table(
        'rating_score', _id(),
        sa.Column('application_id', ID, nullable=False),
        sa.Column('reviewer_id', ID, nullable=False),
        sa.Column('scores', sa.JSON(), nullable=False),
        sa.Column('entered_by', sa.String(length=64), nullable=False),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['rating_application.id'],
                                name=op.f('fk_rating_score_application_id_rating_application')),
        sa.ForeignKeyConstraint(['reviewer_id'], ['rating_reviewer.id'],
                                name=op.f('fk_rating_score_reviewer_id_rating_reviewer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_score')),
        sa.UniqueConstraint('application_id', 'reviewer_id', name='uq_rating_score_application_reviewer'),
    )
    _index('rating_score', 'application_id', 'reviewer_id')
    op.create_table(
        'rating_objection', _id(),
        sa.Column('round_id', ID, nullable=False),
        sa.Column('application_id', ID, nullable=False),
        sa.Column('lodged_on', sa.Date(), nullable=False),
        sa.Column('lodged_by', sa.String(length=64), nullable=True),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('resolution', sa.Text(), nullable=True),
        sa.Column('resolved_on', sa.Date(), nullable=True),
        sa.Column('resolved_by', sa.String(length=64), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(OBJECTION, name=op.f('ck_rating_objection_status')),
        sa.ForeignKeyConstraint(['round_id'], ['rating_round.id'],
                                name=op.f('fk_rating_objection_round_id_rating_round')),
        sa.ForeignKeyConstraint(['application_id'], ['rating_application.id'],
                                name=op.f('fk_rating_objection_application_id_rating_application')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_objection')),
    )
    _index('rating_objection', 'round_id', 'application_id')
    op.create_table(
        'community_rating', _id(),
        sa.Column('community_code', sa.String(length=32), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=8), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=True),
        sa.Column('round_id', ID, nullable=False),
        sa.Column('application_id', ID, nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['community_code'], ['community.code'],
                                name=op.f('fk_community_rating_community_code_community')),
        sa.ForeignKeyConstraint(['round_id'], ['rating_round.id'],
                                name=op.f('fk_community_rating_round_id_rating_round')),
        sa.ForeignKeyConstraint(['application_id'], ['rating_application.id'],
                                name=op.f('fk_community_rating_application_id_rating_application')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_community_rating')),
        sa.UniqueConstraint('community_code', 'round_id', name='uq_community_rating_community_round'),
    )
    _index('community_rating', 'community_code', 'year', 'round_id')


def downgrade() -> None:
    for table in ('community_rating', 'rating_objection', 'rating_score', 'rating_reviewer', 'rating_application',
                  'rating_round'):
        op.drop_table(table)
