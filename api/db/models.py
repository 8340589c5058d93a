"""Tables the app owns. Conversations themselves stay in Rasa's tracker store."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
