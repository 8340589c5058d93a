"""Check a trainee's draft reply against the coaching model (and a customer type if given)."""

from fastapi import APIRouter, Request

from api.errors import request_lang
from api.schemas import (
    REVIEW_EXAMPLES,
    ErrorBody,
    FlagOut,
    ReasonOut,
    ReviewReplyRequest,
    ReviewReplyResponse,
)
from bot.reply_analyzer import analysis_payload, reply_analyzer

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
async def review_reply(request: ReviewReplyRequest, http: Request) -> ReviewReplyResponse:
    analyzer = reply_analyzer()
    analysis = analyzer.analyze(
        request.reply,
        request.customer_type,
        customer_line=request.customer_line,
        lang=request.lang,
    )
    payload = analysis_payload(analysis)
    note = None
    if analysis.lang is None:
        note = analyzer.unreadable_note(analysis, request.lang or request_lang(http))
    return ReviewReplyResponse(
        flags=[FlagOut(**flag) for flag in payload["flags"]],
        feedback_style=analysis.feedback_style,
        feedback_confidence=analysis.feedback_confidence,
        feedback_fits=analysis.feedback_fits,
        steps=analysis.steps,
        empathy=analysis.empathy,
        score=analysis.score,
        reasons=[ReasonOut(**reason) for reason in payload["reasons"]],
        lang=analysis.lang,
        note=note,
    )
