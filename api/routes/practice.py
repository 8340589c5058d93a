"""The scorecard of a conversation's latest finished role-play session."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status

from api.deps import DatabaseDep, PrincipalDep, RasaDep, owned_conversation_or_404
from api.schemas import CONVERSATION_ID_PATTERN, ErrorBody, Scorecard

router = APIRouter(prefix="/api/v1/practice", tags=["practice"])

NO_SCORECARD = (
    "This conversation has no finished practice session yet. A scorecard appears when the "
    "customer is satisfied or leaves, the turn limit is reached, or the trainee gives up."
)


@router.get(
    "/{conversation_id}/scorecard",
    response_model=Scorecard,
    responses={
        404: {"model": ErrorBody, "description": "No finished session in this conversation"},
        422: {"model": ErrorBody, "description": "Invalid conversation id"},
        503: {"model": ErrorBody, "description": "The bot is unreachable"},
    },
)
async def scorecard(
    conversation_id: Annotated[str, Path(pattern=CONVERSATION_ID_PATTERN)],
    principal: PrincipalDep,
    rasa: RasaDep,
    db: DatabaseDep,
) -> Scorecard:
    conversation = await owned_conversation_or_404(db, principal, conversation_id, NO_SCORECARD)
    card = await rasa.slot(conversation.rasa_sender, "practice_scorecard")
    if not card:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_SCORECARD)
    return Scorecard.model_validate(card)
