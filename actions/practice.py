"""Role-play practice: start a session, run each trainee turn, close with the scorecard.

The session lives in the `practice` slot; `practice_form` keeps the conversation in the
role-play until the session ends (its one slot, `practice_reply`, takes each reply as text).
"""

import os
import secrets
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.entities import latest_entities
from actions.messages import say
from actions.nlu_reading import intent_ranking
from bot.coaching_codes import as_customer_type
from bot.language import detect_language, normalize_lang
from bot.practice_card import (
    customer_line_text,
    ending_text,
    guess_prompt,
    practice_text,
    scorecard_text,
    start_card,
    start_payload,
    turn_card,
    turn_payload,
)
from bot.practice_options import PracticeOptions, options_from_text
from bot.practice_session import (
    PracticeSession,
    PracticeSettings,
    as_session,
    new_session,
    settings_of,
    settings_with_defaults,
    take_turn,
    with_line_reading,
)
from bot.scorecard import build_scorecard

SEED_RANGE = 10**9


class ActionStartPractice(Action):
    """Start a session from typed options or button entities; "retake" replays the last one."""

    def name(self) -> str:
        return "action_start_practice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        previous = as_session(tracker.get_slot("practice"))
        retake = (tracker.latest_message.get("intent") or {}).get("name") == "retake"
        if retake and previous:
            settings = replace(settings_of(previous), replay=True)
        else:
            if retake:
                lang = normalize_lang(tracker.get_slot("lang"))
                dispatcher.utter_message(text=practice_text("no_retake", lang))
            settings = _settings_from_message(tracker)
        session = await _read_line(new_session(settings), 0)
        say(dispatcher, start_payload(session), start_card(session))
        say(dispatcher, turn_payload(session), customer_line_text(session))
        return [
            SlotSet("practice", session),
            SlotSet("practice_reply", None),
            SlotSet("practice_scorecard", None),
        ]


class ValidatePracticeForm(FormValidationAction):
    """Each trainee reply: analysis, the customer's mood and next line; ends the form when the
    session is over so the scorecard follows."""

    def name(self) -> str:
        return "validate_practice_form"

    async def validate_practice_reply(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        session = as_session(tracker.get_slot("practice"))
        reply = str(slot_value or "").strip()
        if session is None or session["status"] not in ("active", "awaiting_guess"):
            return {"practice_reply": reply or "-"}
        if slot_value is None:
            # Nothing typed: the form revalidates the slot the start of a session just cleared.
            return {"practice_reply": None}
        if session["status"] == "awaiting_guess":
            text, buttons = guess_prompt(session)
            dispatcher.utter_message(text=practice_text("guess_first", session["lang"]))
            dispatcher.utter_message(text=text, buttons=buttons)
            return {"practice_reply": None}
        lang = detect_language(reply)
        if lang is None:
            dispatcher.utter_message(text=practice_text("needs_words", session["lang"]))
            return {"practice_reply": None}
        session = take_turn(session, reply, lang)
        session = await _read_line(session, len(session["customer_lines"]) - 1)
        if not session["exam"]:
            dispatcher.utter_message(text=turn_card(session))
        say(dispatcher, turn_payload(session), customer_line_text(session))
        if session["status"] == "active":
            return {"practice": session, "practice_reply": None}
        dispatcher.utter_message(text=ending_text(session))
        if session["status"] == "awaiting_guess":
            text, buttons = guess_prompt(session)
            dispatcher.utter_message(text=text, buttons=buttons)
            return {"practice": session, "practice_reply": None}
        return {"practice": session, "practice_reply": reply}


class ActionPracticeScorecard(Action):
    def name(self) -> str:
        return "action_practice_scorecard"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        session = as_session(tracker.get_slot("practice"))
        if session is None:
            return []
        card = build_scorecard(session)
        say(dispatcher, card, scorecard_text(card))
        return [SlotSet("practice_scorecard", card), SlotSet("practice_reply", None)]


def _settings_from_message(tracker: Tracker) -> PracticeSettings:
    text = tracker.latest_message.get("text") or ""
    typed = options_from_text(text) if not text.startswith("/") else PracticeOptions()
    entities = latest_entities(tracker)
    lang = (
        entities.get("language")
        or typed.lang
        or (detect_language(text) if not text.startswith("/") else None)
        or tracker.get_slot("lang")
    )
    seed = entities.get("seed") or typed.seed
    return settings_with_defaults(
        seed=int(seed) if seed is not None else secrets.randbelow(SEED_RANGE),
        replay=seed is not None,
        secret=practice_secret(),
        lang=normalize_lang(str(lang)),
        scenario=entities.get("scenario") or typed.scenario,
        customer_type=as_customer_type(entities.get("customer_type")) or typed.customer_type,
        difficulty=entities.get("difficulty") or typed.difficulty,
        exam=str(entities.get("exam", "")).lower() in ("true", "on", "1") or typed.exam,
    )


@lru_cache(maxsize=1)
def practice_secret() -> str:
    """The deployment's secret mixed into each draw (COACH_PRACTICE_SECRET_FILE names it)."""
    path = os.environ.get("COACH_PRACTICE_SECRET_FILE")
    return Path(path).read_text(encoding="utf-8").strip() if path else ""


async def _read_line(session: PracticeSession, index: int) -> PracticeSession:
    ranking = await intent_ranking(session["customer_lines"][index]["text"])
    return session if ranking is None else with_line_reading(session, index, ranking)
