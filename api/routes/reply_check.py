"""Check a trainee's draft reply against the coaching model (and a customer type if given)."""

from fastapi import APIRouter

from api.schemas import (
    REVIEW_EXAMPLES,
    ErrorBody,
    FlagOut,
    ReasonOut,
    ReviewReplyRequest,
    ReviewReplyResponse,
)
from bot.reply_analyzer import reply_analyzer

router = APIRouter(prefix="/api/v1", tags=["coaching"])


@router.post(
    "/review-reply",
    response_model=ReviewReplyResponse,
    responses={
        413: {"model": ErrorBody, "description": "Request body too large"},
        422: {"model": ErrorBody, "description": "Invalid request (limits are named)"},
    },
    openapi_extra={"requestBody": {"content": {"application/json": {"examples": REVIEW_EXAMPLES}}}},
)
async def review_reply(request: ReviewReplyRequest) -> ReviewReplyResponse:
    analysis = reply_analyzer().analyze(request.reply, request.customer_type, request.lang)
    return ReviewReplyResponse(
        flags=[FlagOut(**flag.__dict__) for flag in analysis.flags],
        feedback_style=analysis.feedback_style,
        feedback_fits=analysis.feedback_fits,
        score=analysis.score,
        reasons=[ReasonOut(code=code, points=points) for code, points in analysis.reasons],
        lang=analysis.lang,
    )
