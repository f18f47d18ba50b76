"""Community ratings (S1-4).

Revision ID: hr_0013_ratings
Revises: hr_0012_org
"""
from typing import Sequence, Union

revision: str = 'hr_0013_ratings'
down_revision: Union[str, Sequence[str], None] = 'hr_0012_org'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
