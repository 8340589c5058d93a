"""One chat message through to the bot, exactly once.

Every message carries the client's message id. Before anything is sent the id is claimed in
the app database; the id travels into Rasa with the message (its user event's metadata). A
retry with the same id is answered from what is stored, never processed twice:

- the answer came back before: the stored answer;
- it was sent but no answer came back (the deadline passed, the connection dropped): Rasa's
  tracker says whether it was processed; if so its answer is read back from there, if not yet
  the retry hears "still being handled" (503, Retry-After), and only a turn missing from the
  tracker well past the deadline (its replica died) is sent again.

A message that certainly did not reach Rasa (refused by admission control, Rasa unreachable,
Rasa answered that it handled nothing) releases its id, so the retry is a fresh attempt.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.admission import Admission, QueueFull
from api.auth.accounts import Principal
from api.conversations import ConversationRef, own_conversation, record_turn
from api.db.database import Database
from api.db.models import ChatTurn
from api.rasa_client import (
    CoachUnavailable,
    RasaClient,
    RasaNotProcessed,
    RasaTooSlow,
    RasaUnavailable,
)

KEEP_TURNS = timedelta(days=2)  # retries come within minutes; older ids are forgotten
FORGET_CHANCE = 0.01


class StillProcessing(Exception):
    """A retry of a message Rasa has taken but not finished: its answer comes shortly."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("still_processing")
        self.retry_after = retry_after


@dataclass(frozen=True)
class TurnResult:
    messages: list[dict[str, Any]]
    replayed: bool  # the answer to an earlier attempt with the same id


@dataclass(frozen=True)
class _Claim:
    state: str  # "new" (claimed now), "sent", "done"
    response: list[dict[str, Any]] | None
    sent_at: datetime | None


async def send_turn(
    db: Database,
    rasa: RasaClient,
    admission: Admission,
    caller: Callable[[Session], Principal],
    client_id: str,
    text: str,
    message_id: str,
    resend_after: float,
    max_wait: float | None = None,
    timeout: float | None = None,
) -> TurnResult:
    """The bot's answer to `text` in the caller's conversation `client_id` (created on first
    use). `caller` checks who is asking (raising when nobody is) inside the transaction that
    claims the id; `resend_after` (s): how long a sent turn missing from the tracker is taken
    to be still on its way before it is taken to be lost."""

    def claim_it(session: Session) -> tuple[ConversationRef, _Claim]:
        """Caller checked, conversation found and id claimed in one transaction: one round
        of commits before Rasa."""
        conversation = own_conversation(session, caller(session), client_id)
        return conversation, _claim(session, conversation.id, message_id)

    try:
        conversation, claim = await db.run(claim_it)
    except IntegrityError:  # a parallel request created the conversation or claimed the id
        conversation, claim = await db.run(claim_it)  # now finds what that one stored
    if claim.state == "done" and claim.response is not None:
        return TurnResult(claim.response, replayed=True)
    if claim.state == "sent":
        found = await _answer_in_tracker(rasa, conversation.rasa_sender, message_id)
        if found is not None:
            await db.run(lambda s: _finish(s, conversation.id, message_id, found))
            return TurnResult(found, replayed=True)
        assert claim.sent_at is not None
        age = (datetime.now(UTC) - _aware(claim.sent_at)).total_seconds()
        if age < resend_after:
            raise StillProcessing(retry_after=max(1, round(min(resend_after - age, 5))))
        await db.run(lambda s: _restamp(s, conversation.id, message_id))
    try:
        messages = await admitted_send(
            rasa, admission, conversation.rasa_sender, text, message_id, max_wait, timeout
        )
    except RasaTooSlow:
        raise  # it may still be handled: the id stays claimed for the retry
    except (QueueFull, RasaUnavailable):
        await db.run(lambda s: _release(s, conversation.id, message_id))
        raise
    await db.run(lambda s: _finish(s, conversation.id, message_id, messages))
    return TurnResult(messages, replayed=False)


async def admitted_send(
    rasa: RasaClient,
    admission: Admission,
    sender: str,
    text: str,
    message_id: str,
    max_wait: float | None = None,
    timeout: float | None = None,
) -> list[dict[str, Any]]:
    """Send through the replica's line; an empty answer is an error that says whose."""
    async with admission.turn(rasa.replica_for(sender), sender, max_wait):
        messages = await rasa.send_message(
            sender, text, timeout=timeout, metadata={"message_id": message_id}
        )
    # The bot answers every message; Rasa's REST channel answers an empty list when a custom
    # action could not run or the message failed inside Rasa (e.g. its lock store is down).
    if not messages:
        if (await rasa.action_server_status()).ok:
            raise RasaNotProcessed("the REST channel answered nothing")
        raise CoachUnavailable("the action server does not answer")
    return messages


def _claim(session: Session, conversation_id: int, message_id: str) -> _Claim:
    """Plain statements, not ORM objects: this runs on every turn."""
    found = session.execute(
        select(ChatTurn.state, ChatTurn.response, ChatTurn.created_at).where(
            ChatTurn.conversation_id == conversation_id, ChatTurn.message_id == message_id
        )
    ).first()
    if found is not None:
        return _Claim(found.state, found.response, found.created_at)
    # a parallel claim of the same id fails here (IntegrityError)
    session.execute(
        insert(ChatTurn).values(
            conversation_id=conversation_id, message_id=message_id, state="sent"
        )
    )
    if random.random() < FORGET_CHANCE:  # now and then, forget ids nobody will retry any more
        session.execute(
            delete(ChatTurn).where(ChatTurn.created_at < datetime.now(UTC) - KEEP_TURNS)
        )
    return _Claim("new", None, None)


def _turn(session: Session, conversation_id: int, message_id: str) -> ChatTurn:
    return session.scalars(
        select(ChatTurn).where(
            ChatTurn.conversation_id == conversation_id, ChatTurn.message_id == message_id
        )
    ).one()


def _finish(
    session: Session, conversation_id: int, message_id: str, messages: list[dict[str, Any]]
) -> None:
    """Store the answer and count the turn, once whichever attempt gets here first (the
    row lock makes a parallel attempt wait, then find it done)."""
    stored: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(ChatTurn)
        .where(
            ChatTurn.conversation_id == conversation_id,
            ChatTurn.message_id == message_id,
            ChatTurn.state != "done",
        )
        .values(state="done", response=messages)
        .execution_options(synchronize_session=False)
    )
    if stored.rowcount:
        record_turn(session, conversation_id, messages)


def _release(session: Session, conversation_id: int, message_id: str) -> None:
    session.execute(
        delete(ChatTurn).where(
            ChatTurn.conversation_id == conversation_id,
            ChatTurn.message_id == message_id,
            ChatTurn.state == "sent",
        )
    )


def _restamp(session: Session, conversation_id: int, message_id: str) -> None:
    _turn(session, conversation_id, message_id).created_at = datetime.now(UTC)


async def _answer_in_tracker(
    rasa: RasaClient, sender: str, message_id: str
) -> list[dict[str, Any]] | None:
    """The bot's messages after the user event carrying `message_id`, as the REST channel
    would have sent them; None when Rasa has not stored that message (yet)."""
    events = await rasa.events(sender, whole_history=True)
    for index, event in enumerate(events):
        if (
            event.get("event") == "user"
            and (event.get("metadata") or {}).get("message_id") == message_id
        ):
            answer = []
            for later in events[index + 1 :]:
                if later.get("event") == "user":
                    break
                if later.get("event") == "bot":
                    answer.append(_as_channel_message(sender, later))
            return answer
    return None


def _as_channel_message(sender: str, event: dict[str, Any]) -> dict[str, Any]:
    data = event.get("data") or {}
    message: dict[str, Any] = {"recipient_id": sender}
    if event.get("text"):
        message["text"] = event["text"]
    for key in ("buttons", "custom", "image", "attachment"):
        if data.get(key):
            message[key] = data[key]
    return message


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
