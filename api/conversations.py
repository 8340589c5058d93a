"""Who may see which conversation, and the app's index of each one.

A web conversation's Rasa sender id is derived from its owner and the client's id, so two
trainees using the same id never share a conversation, and nobody can reach another
user's tracker by guessing an id.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Select, select, update
from sqlalchemy.orm import Session

from api.auth.accounts import Principal
from api.db.models import Conversation, User, coach_teams
from bot.payloads import (
    AnalysisPayload,
    PracticeTurnPayload,
    ReplyReviewPayload,
    ScorecardPayload,
    payload_of,
)


def rasa_sender(user_id: int, client_id: str) -> str:
    return f"web-{user_id}-{client_id}"


@dataclass(frozen=True)
class ConversationRef:
    """What a chat turn needs of its conversation: the index row and Rasa's sender id."""

    id: int
    rasa_sender: str


def own_conversation(session: Session, principal: Principal, client_id: str) -> ConversationRef:
    """The principal's conversation with this id, created on first use (read as a plain row:
    every chat turn asks)."""
    found = session.execute(
        select(Conversation.id, Conversation.rasa_sender).where(
            Conversation.user_id == principal.user_id, Conversation.client_id == client_id
        )
    ).first()
    if found is not None:
        return ConversationRef(found.id, found.rasa_sender)
    created = Conversation(
        user_id=principal.user_id,
        client_id=client_id,
        rasa_sender=rasa_sender(principal.user_id, client_id),
        mode="coach",
        exam=False,
        messages=0,
        reviewed=False,
    )
    session.add(created)
    session.flush()
    return ConversationRef(created.id, created.rasa_sender)


def record_turn(session: Session, conversation_id: int, bot_messages: list[dict[str, Any]]) -> None:
    """Keep the index in step with what the bot just said (practice start, scorecard), in one
    UPDATE; the stored flag counts and attempts are read only when this turn adds to them."""
    changes: dict[str, Any] = {
        "messages": Conversation.messages + 1,
        "last_activity_at": datetime.now(UTC),
    }
    stored: Row[Any] | None = None

    def current() -> Row[Any]:
        nonlocal stored
        if stored is None:
            stored = session.execute(
                select(Conversation.flag_counts, Conversation.attempts, Conversation.scenario)
                .where(Conversation.id == conversation_id)
                .with_for_update()
            ).one()
        return stored

    for message in bot_messages:
        payload = payload_of(message.get("custom"))
        if payload is None:
            continue
        if payload["kind"] == "practice_start":
            changes.update(
                mode="practice",
                scenario=payload.get("scenario"),
                customer_type=payload.get("customer_type"),
                difficulty=payload.get("difficulty"),
                exam=bool(payload.get("exam")),
                score=None,
                scorecard=None,
            )
        elif payload["kind"] in ("practice_turn", "reply_review"):
            avoided = _avoid_codes(payload)
            if avoided:
                counts = dict(changes.get("flag_counts") or current().flag_counts or {})
                for code in avoided:
                    counts[code] = counts.get(code, 0) + 1
                changes["flag_counts"] = counts
        elif payload["kind"] == "practice_scorecard":
            changes.update(
                score=payload.get("score"),
                customer_type=payload.get("customer_type"),  # revealed at the end
                scorecard=dict(payload),
            )
            attempt = attempt_summary(payload)
            if not attempt["scenario"]:
                attempt["scenario"] = (
                    changes["scenario"] if "scenario" in changes else current().scenario
                )
            changes["attempts"] = [*(changes.get("attempts") or current().attempts or []), attempt]
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(changes)
        .execution_options(synchronize_session=False)
    )


def attempt_summary(card: ScorecardPayload) -> dict[str, Any]:
    """What the progress page charts about one attempt (missing parts stay None)."""
    hygiene: dict[str, Any] = dict(card.get("phrase_hygiene") or {})
    feedback: dict[str, Any] = dict(card.get("feedback_fit") or {})
    guess: dict[str, Any] = dict(card.get("type_identified") or {})
    turns = card.get("turns") or 0
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scenario": card.get("scenario"),
        "customer_type": card.get("customer_type"),
        "score": card.get("score"),
        "outcome": card.get("outcome"),
        "turns": turns,
        # None when the type was shown from the start: nothing to identify.
        "type_correct": bool(guess.get("correct")) if guess.get("hidden", True) else None,
        "feedback_fit": feedback["fits"] / feedback["of"] if feedback.get("of") else None,
        "avoid_per_reply": hygiene["total"] / turns if turns and "total" in hygiene else None,
        "replay": bool(card.get("replay")),
    }


def _avoid_codes(payload: PracticeTurnPayload | ReplyReviewPayload) -> list[str]:
    analysis: AnalysisPayload | None = (
        payload.get("analysis") if payload["kind"] == "practice_turn" else payload
    )
    if analysis is None:
        return []
    return [flag["code"] for flag in analysis.get("flags", []) if flag.get("severity") == "avoid"]


def visible_conversations(principal: Principal) -> Select[Conversation]:
    """Trainees see their own; coaches their teams' trainees'; admins everything."""
    query = select(Conversation)
    if principal.role == "trainee":
        return query.where(Conversation.user_id == principal.user_id)
    if principal.role == "coach":
        teams = select(coach_teams.c.team_id).where(coach_teams.c.coach_id == principal.user_id)
        owners = select(User.id).where(User.team_id.in_(teams))
        return query.where(Conversation.user_id.in_(owners))
    return query


def owned_conversation(
    session: Session, principal: Principal, client_id: str
) -> Conversation | None:
    return session.scalar(
        select(Conversation).where(
            Conversation.user_id == principal.user_id, Conversation.client_id == client_id
        )
    )
