"""Remember which Events API deliveries were handled, across workers and restarts."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.db.models import SlackEvent

KEEP_FOR = timedelta(hours=2)  # Slack retries within minutes; older ids can go


def first_delivery(session: Session, event_id: str) -> bool:
    """True the first time an event id is seen; False for Slack's retries of it."""
    if session.scalar(select(SlackEvent.event_id).where(SlackEvent.event_id == event_id)):
        return False
    session.execute(delete(SlackEvent).where(SlackEvent.received_at < datetime.now(UTC) - KEEP_FOR))
    session.add(SlackEvent(event_id=event_id))
    return True
