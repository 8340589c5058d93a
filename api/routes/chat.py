"""Chat with the coaching bot: each message is forwarded to Rasa's REST channel.

The conversation belongs to the caller: its Rasa sender id is derived from the user, and
the app's index of it is updated with each turn.
"""

from fastapi import APIRouter, HTTPException, status

from api.conversations import own_conversation, record_turn
from api.deps import DatabaseDep, PrincipalDep, RasaDep
from api.rasa_client import RasaTooSlow, RasaUnavailable
from api.schemas import BotMessage, ChatRequest, ChatResponse, ErrorBody

router = APIRouter(prefix="/api/v1", tags=["chat"])

BOT_UNREACHABLE = (
    "The coaching bot is not reachable right now, so your message was not processed. "
    "Please send it again in a moment."
)
BOT_TOO_SLOW = (
    "The coaching bot is taking too long to answer. Your message may still be handled: "
    "reload the conversation in a moment before sending it again."
)
COACH_UNAVAILABLE = (
    "The coach is unavailable right now (its action server does not answer), so your message "
    "got no coaching. Please send it again in a moment; the conversation continues from here."
)


@router.post(
    "/chat",
    response_model=ChatResponse,
    response_model_exclude_none=True,
    responses={
        413: {"model": ErrorBody, "description": "Request body too large"},
        422: {"model": ErrorBody, "description": "Invalid request"},
        503: {"model": ErrorBody, "description": "The bot or its coach is unreachable"},
    },
)
async def chat(
    request: ChatRequest, principal: PrincipalDep, rasa: RasaDep, db: DatabaseDep
) -> ChatResponse:
    conversation = await db.run(
        lambda session: own_conversation(session, principal, request.conversation_id)
    )
    try:
        messages = await rasa.send_message(conversation.rasa_sender, request.message)
    except RasaTooSlow as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, BOT_TOO_SLOW) from exc
    except RasaUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, BOT_UNREACHABLE) from exc
    # The bot answers every message; Rasa's REST channel answers an empty list when a custom
    # action could not run or the message failed inside Rasa (e.g. its lock store is down).
    if not messages:
        actions_up = (await rasa.action_server_status()).ok
        detail = BOT_UNREACHABLE if actions_up else COACH_UNAVAILABLE
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail)
    await db.run(lambda session: record_turn(session, conversation.id, messages))
    return ChatResponse(
        conversation_id=request.conversation_id,
        messages=[BotMessage.model_validate(message) for message in messages],
    )
