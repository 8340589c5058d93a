"""Classify a customer from what they said: type, confidence, axes and evidence words."""

import asyncio

from fastapi import APIRouter

from api.deps import RasaDep
from api.rasa_client import RasaClient
from api.schemas import (
    CLASSIFY_EXAMPLES,
    AxesOut,
    ClassifyRequest,
    ClassifyResponse,
    ErrorBody,
    EvidenceOut,
    TrailPoint,
)
from bot.coaching_card import undetermined_text
from bot.conversation import CustomerLine, customer_line, read_customer
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
    no evidence and are not sent to the model.
    """
    texts = request.lines()
    rankings = await asyncio.gather(*(_ranking(rasa, text) for text in texts))
    lines = [
        _in_language(customer_line(text, ranking), request.lang)
        for text, ranking in zip(texts, rankings, strict=True)
    ]
    read = read_customer(lines)
    lang = request.lang or _main_language([line.lang for line in lines])
    return ClassifyResponse(
        customer_type=read.reading.customer_type,
        confidence=read.reading.confidence,
        scores=read.reading.scores,
        axes=AxesOut(**read.reading.axes.__dict__),
        evidence=[EvidenceOut(**found.__dict__) for found in read.evidence],
        lang=lang,
        reason=read.reading.reason,
        ask=read.reading.ask,
        explanation=undetermined_text(read.reading, lang) if read.reading.reason else None,
        trail=[
            TrailPoint(
                customer_type=point.customer_type,
                confidence=point.confidence,
                axes=AxesOut(**point.axes.__dict__),
            )
            for point in read.trail
        ],
    )


async def _ranking(rasa: RasaClient, text: str) -> list[dict[str, object]] | None:
    return await rasa.parse(text) if detect_language(text) is not None else None


def _in_language(line: CustomerLine, requested: Lang | None) -> CustomerLine:
    """The caller may name the language; a line without usable text stays without one."""
    if requested is None or line.lang is None:
        return line
    return CustomerLine(line.text, requested, line.scores)


def _main_language(langs: list[Lang | None]) -> Lang:
    known = [lang for lang in langs if lang is not None]
    if not known:
        return DEFAULT_LANG
    return max(set(known), key=known.count)
