"""Who may see which conversation, and the app's index of each one.

A web conversation's Rasa sender id is derived from its owner and the client's id, so two
trainees using the same id never share a conversation, and nobody can reach another
user's tracker by guessing an id.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select
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


def own_conversation(session: Session, principal: Principal, client_id: str) -> Conversation:
    """The principal's conversation with this id, created on first use."""
    found = session.scalar(
        select(Conversation).where(
            Conversation.user_id == principal.user_id, Conversation.client_id == client_id
        )
    )
    if found is None:
        found = Conversation(
            user_id=principal.user_id,
            client_id=client_id,
            rasa_sender=rasa_sender(principal.user_id, client_id),
            mode="coach",
            exam=False,
            messages=0,
            reviewed=False,
        )
        session.add(found)
        session.flush()
    return found


def record_turn(session: Session, conversation_id: int, bot_messages: list[dict[str, Any]]) -> None:
    """Keep the index in step with what the bot just said (practice start, scorecard)."""
    conversation = session.get_one(Conversation, conversation_id)
    conversation.messages += 1
    conversation.last_activity_at = datetime.now(UTC)
    for message in bot_messages:
        payload = payload_of(message.get("custom"))
        if payload is None:
            continue
        if payload["kind"] == "practice_start":
            conversation.mode = "practice"
            conversation.scenario = payload.get("scenario")
            conversation.customer_type = payload.get("customer_type")
            conversation.difficulty = payload.get("difficulty")
            conversation.exam = bool(payload.get("exam"))
            conversation.score, conversation.scorecard = None, None
        elif payload["kind"] in ("practice_turn", "reply_review"):
            _count_flags(conversation, payload)
        elif payload["kind"] == "practice_scorecard":
            conversation.score = payload.get("score")
            conversation.customer_type = payload.get("customer_type")  # revealed at the end
            conversation.scorecard = dict(payload)
            attempt = attempt_summary(payload)
            attempt["scenario"] = attempt["scenario"] or conversation.scenario
            conversation.attempts = [*(conversation.attempts or []), attempt]


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


def _count_flags(
    conversation: Conversation, payload: PracticeTurnPayload | ReplyReviewPayload
) -> None:
    analysis: AnalysisPayload | None = (
        payload.get("analysis") if payload["kind"] == "practice_turn" else payload
    )
    if analysis is None:
        return
    counts = dict(conversation.flag_counts or {})
    for flag in analysis.get("flags", []):
        if flag.get("severity") == "avoid":
            counts[flag["code"]] = counts.get(flag["code"], 0) + 1
    conversation.flag_counts = counts


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
