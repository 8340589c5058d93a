"""Chat with the coaching bot: each message is forwarded to Rasa's REST channel."""

from fastapi import APIRouter, HTTPException, status

from api.deps import RasaDep
from api.rasa_client import RasaUnavailable
from api.schemas import BotMessage, ChatRequest, ChatResponse, ErrorBody

router = APIRouter(prefix="/api/v1", tags=["chat"])

BOT_UNREACHABLE = (
    "The coaching bot is not reachable right now, so your message was not processed. "
    "Please send it again in a moment."
)


@router.post(
    "/chat",
    response_model=ChatResponse,
    response_model_exclude_none=True,
    responses={
        413: {"model": ErrorBody, "description": "Request body too large"},
        422: {"model": ErrorBody, "description": "Invalid request"},
        503: {"model": ErrorBody, "description": "The bot is unreachable"},
    },
)
async def chat(request: ChatRequest, rasa: RasaDep) -> ChatResponse:
    try:
        messages = await rasa.send_message(request.conversation_id, request.message)
    except RasaUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, BOT_UNREACHABLE) from exc
    return ChatResponse(
        conversation_id=request.conversation_id,
        messages=[BotMessage.model_validate(message) for message in messages],
    )
