"""The audit log (D-18).

Revision ID: hr_0011_audit
Revises: hr_0010_accounts_profile
"""
from typing import Sequence, Union

revision: str = 'hr_0011_audit'
down_revision: Union[str, Sequence[str], None] = 'hr_0010_accounts_profile'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
