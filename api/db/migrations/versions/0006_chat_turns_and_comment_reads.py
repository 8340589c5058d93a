"""Chat turns by client message id (exactly-once retries); when a trainee read a comment;
every role-play attempt of a conversation.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_turns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("conversation_id", "message_id"),
    )
    op.create_index("ix_chat_turns_created_at", "chat_turns", ["created_at"])
    with op.batch_alter_table("comments") as table:
        table.add_column(sa.Column("read_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("conversations") as table:
        table.add_column(sa.Column("attempts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as table:
        table.drop_column("attempts")
    with op.batch_alter_table("comments") as table:
        table.drop_column("read_at")
    op.drop_index("ix_chat_turns_created_at", "chat_turns")
    op.drop_table("chat_turns")
