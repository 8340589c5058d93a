"""Classify a customer from what they said: type, confidence, axes and evidence words."""

import asyncio

from fastapi import APIRouter, HTTPException, status

from api.deps import RasaDep
from api.rasa_client import RasaClient, RasaUnavailable
from api.routes.chat import BOT_UNREACHABLE
from api.schemas import (
    CLASSIFY_EXAMPLES,
    AxesOut,
    ClassifyRequest,
    ClassifyResponse,
    ErrorBody,
    EvidenceOut,
    TrailPoint,
)
from bot.customer_reading import LineScores, line_scores, no_signal, reading_trail
from bot.evidence import evidence_for
from bot.language import DEFAULT_LANG, Lang, detect_language

router = APIRouter(prefix="/api/v1", tags=["classification"])


@router.post(
    "/classify",
    response_model=ClassifyResponse,
    responses={
        413: {"model": ErrorBody, "description": "Request body too large"},
        422: {"model": ErrorBody, "description": "Invalid request (limits are named)"},
        503: {"model": ErrorBody, "description": "The NLU model is unreachable"},
    },
    openapi_extra={
        "requestBody": {"content": {"application/json": {"examples": CLASSIFY_EXAMPLES}}}
    },
)
async def classify(request: ClassifyRequest, rasa: RasaDep) -> ClassifyResponse:
    """Read one customer line (`text`) or a conversation's customer lines (`turns`).

    Each line goes through the trained Rasa NLU model; the lines are combined into one
    reading. Lines with no usable text (only emoji or punctuation, another language) add
    no evidence.
    """
    lines = request.lines()
    langs = [_line_language(line, request.lang) for line in lines]
    try:
        scores = await asyncio.gather(
            *(_score(rasa, line, lang) for line, lang in zip(lines, langs, strict=True))
        )
    except RasaUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, BOT_UNREACHABLE) from exc
    trail = reading_trail(scores)
    reading = trail[-1]
    lang: Lang = request.lang or _main_language(langs)
    evidence = evidence_for(list(zip(lines, langs, strict=True)), reading.customer_type)
    return ClassifyResponse(
        customer_type=reading.customer_type,
        confidence=reading.confidence,
        scores=reading.scores,
        axes=AxesOut(**reading.axes.__dict__),
        evidence=[EvidenceOut(**found.__dict__) for found in evidence],
        lang=lang,
        trail=[
            TrailPoint(
                customer_type=point.customer_type,
                confidence=point.confidence,
                axes=AxesOut(**point.axes.__dict__),
            )
            for point in trail
        ],
    )


def _line_language(line: str, requested: Lang | None) -> Lang | None:
    """None when the line has no usable text; otherwise the requested or detected language."""
    detected = detect_language(line)
    return None if detected is None else requested or detected


async def _score(rasa: RasaClient, line: str, lang: Lang | None) -> LineScores:
    if lang is None:
        return no_signal()
    return line_scores(await rasa.parse(line))


def _main_language(langs: list[Lang | None]) -> Lang:
    known = [lang for lang in langs if lang is not None]
    if not known:
        return DEFAULT_LANG
    return max(set(known), key=known.count)
