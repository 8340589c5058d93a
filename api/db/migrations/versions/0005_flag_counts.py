"""Per conversation: how often each reply flag fired, for the progress charts.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as table:
        table.add_column(sa.Column("flag_counts", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as table:
        table.drop_column("flag_counts")
