"""Chat with the coaching bot: each message is forwarded to Rasa's REST channel.

The conversation belongs to the caller: its Rasa sender id is derived from the user, and
the app's index of it is updated with each turn.
"""

from fastapi import APIRouter

from api.conversations import own_conversation, record_turn
from api.deps import DatabaseDep, PrincipalDep, RasaDep
from api.errors import MessageRefused
from api.rasa_client import CoachUnavailable, RasaNotProcessed
from api.schemas import BotMessage, ChatRequest, ChatResponse, ErrorBody
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
        503: {"model": ErrorBody, "description": "The bot or its coach is unreachable"},
    },
)
async def chat(
    request: ChatRequest, principal: PrincipalDep, rasa: RasaDep, db: DatabaseDep
) -> ChatResponse:
    refused = refusal(request.message)
    if refused is not None:
        raise MessageRefused(refused)
    conversation = await db.run(
        lambda session: own_conversation(session, principal, request.conversation_id)
    )
    messages = await rasa.send_message(conversation.rasa_sender, request.message)
    # The bot answers every message; Rasa's REST channel answers an empty list when a custom
    # action could not run or the message failed inside Rasa (e.g. its lock store is down).
    if not messages:
        if (await rasa.action_server_status()).ok:
            raise RasaNotProcessed("the REST channel answered nothing")
        raise CoachUnavailable("the action server does not answer")
    await db.run(lambda session: record_turn(session, conversation.id, messages))
    return ChatResponse(
        conversation_id=request.conversation_id,
        messages=[BotMessage.model_validate(message) for message in messages],
    )
