"""Streets and the names of units and communities by date (D-17).

Revision ID: hr_0012_org
Revises: hr_0011_audit
"""
from typing import Sequence, Union

revision: str = 'hr_0012_org'
down_revision: Union[str, Sequence[str], None] = 'hr_0011_audit'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
