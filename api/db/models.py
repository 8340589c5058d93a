"""Tables the app owns. Conversations themselves stay in Rasa's tracker store."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Relabel(Base):
    """A customer line whose type a person corrected: material for the NLU training data."""

    __tablename__ = "relabels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    source: Mapped[str] = mapped_column(String(16))  # where it was corrected: "slack", "web"
    author: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2))
    model_type: Mapped[str] = mapped_column(String(16))  # what the model said
    label: Mapped[str] = mapped_column(String(16))  # what the person says it is
    conversation_id: Mapped[str | None] = mapped_column(String(200), nullable=True)


class SlackEvent(Base):
    """Events API deliveries already handled: Slack's retries must not answer twice."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )


ROLES = ("trainee", "coach", "admin")

coach_teams = Table(
    "coach_teams",
    Base.metadata,
    Column("coach_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class User(Base):
    """A trainee belongs to at most one team; a coach may look after several."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])
    coached_teams: Mapped[list[Team]] = relationship(secondary=coach_teams)


class ApiToken(Base):
    """A personal token for scripts; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class WebSession(Base):
    """A browser login; the cookie holds a random id whose SHA-256 is stored here."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """Failed logins by name and client address, for rate limiting across workers."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)


class Conversation(Base):
    """The app's index of a Rasa conversation: whose it is, what kind, how it went.

    The events themselves stay in Rasa's tracker store (`rasa_sender`).
    """

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("user_id", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(128))  # the id the client chose
    rasa_sender: Mapped[str] = mapped_column(String(200), unique=True)
    mode: Mapped[str] = mapped_column(String(16), default="coach")  # coach | practice
    scenario: Mapped[str | None] = mapped_column(String(64))
    customer_type: Mapped[str | None] = mapped_column(String(16))  # practice: the hidden type
    difficulty: Mapped[str | None] = mapped_column(String(16))
    exam: Mapped[bool] = mapped_column(default=False)
    score: Mapped[int | None] = mapped_column(Integer, index=True)
    scorecard: Mapped[dict[str, object] | None] = mapped_column(JSON)
    messages: Mapped[int] = mapped_column(Integer, default=0)  # trainee messages sent
    # how often each reply-analysis flag code fired in the trainee's replies
    flag_counts: Mapped[dict[str, int] | None] = mapped_column(JSON)
    # Every role-play attempt in this conversation (a retake adds one): date, score and the
    # per-skill figures the progress page charts.
    attempts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    reviewed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_activity_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )

    user: Mapped[User] = relationship()


class Comment(Base):
    """A note on one message of a conversation: a coach's, or the trainee's answer to it.
    `read_at` is when the conversation's trainee first saw a coach's note."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    turn: Mapped[int] = mapped_column(Integer)  # index of the message in the transcript
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    author: Mapped[User] = relationship()


class ChatTurn(Base):
    """One chat message by its client-chosen id, so a retry is answered, not processed again.

    `state` is "sent" from the moment the message goes to Rasa and "done" with the bot's answer
    once it came back; a retry of a "sent" turn looks for it in Rasa's tracker.
    """

    __tablename__ = "chat_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(8))
    response: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )


class ConversationTag(Base):
    __tablename__ = "conversation_tags"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
