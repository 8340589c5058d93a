"""The app's index of conversations (owner, mode, practice settings, score, reviewed).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("rasa_sender", sa.String(200), nullable=False, unique=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("scenario", sa.String(64)),
        sa.Column("customer_type", sa.String(16)),
        sa.Column("difficulty", sa.String(16)),
        sa.Column("exam", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Integer()),
        sa.Column("scorecard", sa.JSON()),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "client_id"),
    )
    op.create_index("ix_conversations_user_id", "conversations", ["user_id"])
    op.create_index("ix_conversations_score", "conversations", ["score"])
    op.create_index("ix_conversations_last_activity_at", "conversations", ["last_activity_at"])


def downgrade() -> None:
    op.drop_table("conversations")
