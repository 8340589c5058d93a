"""A conversation's messages, read back from Rasa's tracker store (so a page reload, or an
app restart, loses nothing the trainee wrote)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import DatabaseDep, PrincipalDep, RasaDep, owned_conversation_or_404
from api.schemas import CONVERSATION_ID_PATTERN, ConversationHistory, ErrorBody, HistoryItem

router = APIRouter(prefix="/api/v1/conversations", tags=["chat"])

NOT_FOUND = "You have no conversation with this id."


@router.get(
    "/{conversation_id}/history",
    response_model=ConversationHistory,
    response_model_exclude_none=True,
    responses={
        404: {"model": ErrorBody, "description": "No such conversation of yours"},
        503: {"model": ErrorBody, "description": "The bot is unreachable"},
    },
)
async def history(
    conversation_id: Annotated[str, Path(pattern=CONVERSATION_ID_PATTERN)],
    principal: PrincipalDep,
    rasa: RasaDep,
    db: DatabaseDep,
) -> ConversationHistory:
    conversation = await owned_conversation_or_404(db, principal, conversation_id, NOT_FOUND)
    events = await rasa.events(conversation.rasa_sender)
    return ConversationHistory(
        conversation_id=conversation_id, messages=[item for e in events if (item := _item(e))]
    )


def _item(event: dict[str, Any]) -> HistoryItem | None:
    if event.get("event") == "user":
        text = str(event.get("text") or "")
        return HistoryItem(role="trainee", text=text, payload=text.startswith("/"))
    if event.get("event") == "bot":
        data = event.get("data") or {}
        return HistoryItem(
            role="bot",
            text=event.get("text"),
            custom=data.get("custom") or None,
            buttons=data.get("buttons") or None,
        )
    return None
