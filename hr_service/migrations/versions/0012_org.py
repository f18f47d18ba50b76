"""Streets and the names of units and communities by date (D-17).

Revision ID: hr_0012_org
Revises: hr_0011_audit
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = 'hr_0012_org'
down_revision: Union[str, Sequence[str], None] = 'hr_0011_audit'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'org_unit',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('path', sa.String(length=64), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('parent', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('district', 'street')", name=op.f('ck_org_unit_level')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit')),
        sa.UniqueConstraint('path', name=op.f('uq_org_unit_path')),
    )
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_unit_parent'), ['parent'], unique=False)

    op.create_table(
        'org_unit_name',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('unit', 'community')", name=op.f('ck_org_unit_name_kind')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit_name')),
        sa.UniqueConstraint('kind', 'key', 'effective_from', name='uq_org_unit_name_kind_key_date'),
    )

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('street', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_community_street'), ['street'], unique=False)

    # Each community's present name is its first dated name, from its first figures (D-11) or its registration.
    day = "date(c.created_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(c.created_at AS DATE)"
    op.execute(sa.text(
        "INSERT INTO org_unit_name (kind, key, effective_from, name, recorded_by, recorded_at) "
        "SELECT 'community', c.code, COALESCE((SELECT MIN(f.effective_from) FROM community_figures f "
        f"WHERE f.community_code = c.code), {day}), c.name, 'migration', c.created_at "
        "FROM community c"
    ))


def downgrade() -> None:
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_street'))
        batch_op.drop_column('street')
    op.drop_table('org_unit_name')
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_unit_parent'))
    op.drop_table('org_unit')
