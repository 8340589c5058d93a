"""Chat with the coaching bot: each message goes to Rasa's coach channel, exactly once.

The conversation belongs to the caller: its Rasa sender id is derived from the user, and
the app's index of it is updated with each turn (api/turns.py).
"""

import uuid

from fastapi import APIRouter

from api.deps import (
    AdmissionDep,
    CredentialsDep,
    DatabaseDep,
    RasaDep,
    SettingsDep,
    authenticate,
)
from api.errors import MessageRefused
from api.schemas import BotMessage, ChatRequest, ChatResponse, ErrorBody
from api.turns import send_turn
from bot.user_messages import refusal

router = APIRouter(prefix="/api/v1", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    response_model_exclude_none=True,
    responses={
        413: {"model": ErrorBody, "description": "Request body too large"},
        422: {
            "model": ErrorBody,
            "description": "Invalid request, or a command the app does not offer",
        },
        503: {
            "model": ErrorBody,
            "description": "Not handled now: the bot or its coach is unreachable, the line "
            "is full (Retry-After), or an earlier attempt with this message_id is still "
            "being handled (Retry-After). `code` says which.",
        },
    },
)
async def chat(
    request: ChatRequest,
    credentials: CredentialsDep,
    rasa: RasaDep,
    db: DatabaseDep,
    admission: AdmissionDep,
    settings: SettingsDep,
) -> ChatResponse:
    refused = refusal(request.message)
    if refused is not None:
        raise MessageRefused(refused)
    message_id = request.message_id or uuid.uuid4().hex
    result = await send_turn(
        db,
        rasa,
        admission,
        lambda session: authenticate(session, credentials),
        request.conversation_id,
        request.message,
        message_id,
        resend_after=settings.resend_after_seconds,
    )
    return ChatResponse(
        conversation_id=request.conversation_id,
        message_id=message_id,
        messages=[BotMessage.model_validate(message) for message in result.messages],
        replayed=result.replayed,
    )
