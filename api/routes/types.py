"""The playbook card for one customer type: how to recognise, what to say, what to avoid."""

from typing import Literal

from fastapi import APIRouter

from api.schemas import ErrorBody, TypeCard
from bot.customer_types import load_customer_types
from bot.playbook import load_playbook

router = APIRouter(prefix="/api/v1", tags=["playbook"])


@router.get(
    "/types/{customer_type}",
    response_model=TypeCard,
    responses={422: {"model": ErrorBody, "description": "Unknown type or language"}},
)
async def type_card(
    customer_type: Literal["power", "social", "harmonious", "thinking"],
    lang: Literal["zh", "en"] = "zh",
) -> TypeCard:
    profile = load_customer_types()[customer_type]
    return TypeCard(
        name=profile.name[lang],
        summary=profile.summary[lang],
        directness=profile.directness,
        orientation=profile.orientation,
        lang=lang,
        **load_playbook().type_card(customer_type, lang),
    )
