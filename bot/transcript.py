"""A conversation's whole history as the coach reviews it: who said what, in order.

Built from every event Rasa stored for the conversation (nothing a trainee sends can hide
earlier turns: a restart shows as a divider). Each customer line carries the model's reading the
trainee saw after it; a simulated customer's line also carries the type the customer really
had; each role-play reply carries its analysis; buttons show as what they did, never as the
raw command; every role-play attempt ends with its own scorecard.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.conversation import customer_lines, readings_by_event
from bot.customer_reading import CustomerReading, shown_percent
from bot.payloads import ScorecardPayload, payload_of
from bot.practice_session import PracticeSession, as_session, session_reading
from bot.user_messages import parsed_command

Role = Literal["customer", "trainee", "bot", "action", "restart", "scorecard"]


@dataclass
class TranscriptEntry:
    """One row of the transcript; `index` is its stable number (comments point at it)."""

    index: int
    role: Role
    text: str
    simulated: bool = False  # a customer line the role-play wrote (not pasted by the trainee)
    reading: dict[str, Any] | None = None  # the model's reading after this customer line
    true_type: str | None = None  # the simulated customer's real type
    analysis: dict[str, Any] | None = None  # a role-play reply's flags and score
    mood: int | None = None  # the customer's mood after a role-play reply
    command: str | None = None  # an action: the button's intent
    details: dict[str, Any] = field(default_factory=dict)  # an action's choices
    scorecard: ScorecardPayload | None = None
    attempt: int | None = None  # role-play attempt number within the conversation
    comments: list[dict[str, Any]] = field(default_factory=list)


def build_transcript(events: Sequence[Mapping[str, Any]]) -> list[TranscriptEntry]:
    """Every message of the conversation, oldest first (events: Rasa's full history)."""
    pasted = readings_by_event(customer_lines(events))
    sessions = _sessions_after(events)
    entries: list[TranscriptEntry] = []
    last_reply: TranscriptEntry | None = None
    attempt = 0

    def add(role: Role, text: str, **values: Any) -> TranscriptEntry:
        entry = TranscriptEntry(len(entries), role, text, attempt=attempt or None, **values)
        entries.append(entry)
        return entry

    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "restart" and entries:
            add("restart", "")
            last_reply = None
        elif kind == "user":
            text = str(event.get("text") or "")
            command = parsed_command(text)
            if command is not None:
                add("action", "", command=command[0], details=command[1])
            elif index in pasted:
                add("customer", text, reading=_reading(pasted[index]))
            else:
                last_reply = add("trainee", text)
        elif kind == "bot":
            payload = payload_of((event.get("data") or {}).get("custom"))
            text = str(event.get("text") or "")
            kind_of = payload["kind"] if payload else None
            if kind_of == "practice_start":
                attempt += 1
                if entries and entries[-1].role == "action":
                    entries[-1].attempt = attempt  # the button that started it
                add("bot", text)
            elif kind_of == "practice_turn":
                assert payload is not None and payload["kind"] == "practice_turn"
                session = sessions.get(index)
                if last_reply is not None and payload["turn"] > 0:
                    # From the stored session: exam mode keeps the analysis out of the chat,
                    # not out of the review.
                    analysis = session["turns"][-1]["analysis"] if session else None
                    last_reply.analysis = dict(analysis or payload.get("analysis") or {}) or None
                    last_reply.mood = payload["mood"]
                add(
                    "customer",
                    payload["customer_line"],
                    simulated=True,
                    reading=_simulated_reading(session),
                    true_type=session["customer_type"] if session else None,
                )
                last_reply = None
            elif kind_of == "practice_scorecard":
                assert payload is not None and payload["kind"] == "practice_scorecard"
                add("scorecard", text, scorecard=payload)
            elif text:
                add("bot", text)
    return entries


def _reading(reading: CustomerReading) -> dict[str, Any]:
    return {
        "customer_type": reading.customer_type,
        "confidence": reading.confidence,
        "percent": shown_percent(reading.confidence),
    }


def _sessions_after(events: Sequence[Mapping[str, Any]]) -> dict[int, PracticeSession]:
    """For each bot message, the role-play session the same action stored after it."""
    found: dict[int, PracticeSession] = {}
    waiting: list[int] = []
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "bot":
            waiting.append(index)
        elif kind == "user":
            waiting = []
        elif kind == "slot" and event.get("name") == "practice":
            session = as_session(event.get("value"))
            if session is not None:
                found.update(dict.fromkeys(waiting, session))
            waiting = []
    return found


def _simulated_reading(session: PracticeSession | None) -> dict[str, Any] | None:
    """The model's reading of the simulated customer's lines so far (the session stored right
    after a line ends with that line)."""
    if session is None or "scores" not in session["customer_lines"][-1]:
        return None
    return _reading(session_reading(session))
