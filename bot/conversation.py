"""Read a conversation: which messages are the customer's lines, and what they say together.

The one place that decides this. The coaching action, `POST /api/v1/classify`, the coach's
transcript and Slack all call these two functions, so the confidence a coach sees beside a
line is the one the trainee saw on the card that answered it.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.customer_reading import (
    TYPE_BY_INTENT,
    CustomerReading,
    LineScores,
    line_scores,
    no_signal,
    read_conversation,
    reading_trail,
)
from bot.evidence import Evidence, evidence_for
from bot.language import Lang, detect_language

# Lines the NLU model read as a customer speaking: one of the four styles, or no style.
CUSTOMER_INTENTS = frozenset({*TYPE_BY_INTENT, "customer_neutral"})
# Events after which the customer is someone new.
SESSION_BOUNDARIES = frozenset({"session_started", "restart"})
# While this form runs, what the trainee types are replies to the simulated customer.
PRACTICE_LOOP = "practice_form"
# Markup is not speech: a script or style element's body and every tag carry no customer style.
_MARKUP = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)|<[^<>]*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class CustomerLine:
    text: str
    lang: Lang | None  # None: no usable text (emoji only, another script)
    scores: LineScores
    event: int = -1  # index in the conversation's events (-1: not from a conversation)
    session: int = 0  # which customer of the conversation (a new session is a new one)


@dataclass(frozen=True)
class ConversationReading:
    reading: CustomerReading  # after the last line
    trail: list[CustomerReading]  # after each line
    evidence: list[Evidence]
    lines: int


def customer_line(
    text: str, intent_ranking: Sequence[Mapping[str, object]] | None, event: int = -1
) -> CustomerLine:
    """One line with the model's scores; a line without usable text carries no evidence."""
    lang = detect_language(_MARKUP.sub(" ", text))
    scores = line_scores(intent_ranking or []) if lang is not None else no_signal()
    return CustomerLine(text=text, lang=lang, scores=scores, event=event)


def customer_lines(events: Sequence[Mapping[str, Any]]) -> list[CustomerLine]:
    """Every message the trainee pasted as a customer's words, with its session number.

    Button and integration payloads ("/…") and the trainee's own replies during role-play are
    never customer lines, whatever the NLU said.
    """
    lines: list[CustomerLine] = []
    session = 0
    practising = False
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind in SESSION_BOUNDARIES:
            session += 1 if lines and lines[-1].session == session else 0
            practising = False
            continue
        if kind == "active_loop":
            practising = event.get("name") == PRACTICE_LOOP
            continue
        if kind != "user" or practising:
            continue
        text = str(event.get("text") or "")
        parse = event.get("parse_data") or {}
        if text.startswith("/") or (parse.get("intent") or {}).get("name") not in CUSTOMER_INTENTS:
            continue
        line = customer_line(text, parse.get("intent_ranking"), index)
        lines.append(CustomerLine(line.text, line.lang, line.scores, event=index, session=session))
    return lines


def current_customer(lines: Sequence[CustomerLine]) -> list[CustomerLine]:
    """The lines of the conversation's latest customer (its latest session)."""
    if not lines:
        return []
    latest = lines[-1].session
    return [line for line in lines if line.session == latest]


def read_customer(lines: Sequence[CustomerLine]) -> ConversationReading:
    """The reading after each line and at the end, and the cue words behind it."""
    trail = reading_trail([line.scores for line in lines])
    reading = trail[-1] if trail else read_conversation([])
    evidence = evidence_for([(line.text, line.lang) for line in lines], reading.customer_type)
    return ConversationReading(reading=reading, trail=trail, evidence=evidence, lines=len(lines))


def readings_by_event(lines: Sequence[CustomerLine]) -> dict[int, CustomerReading]:
    """For a transcript: each line's event index → the reading the trainee saw after it."""
    shown: dict[int, CustomerReading] = {}
    for session in dict.fromkeys(line.session for line in lines):
        own = [line for line in lines if line.session == session]
        for line, reading in zip(own, read_customer(own).trail, strict=True):
            shown[line.event] = reading
    return shown
