"""Read the customer from every customer line of the session and answer with a coaching card."""

from typing import Any

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.coaching_card import coaching_card
from bot.customer_reading import (
    TYPE_BY_INTENT,
    UNDETERMINED,
    line_scores,
    no_signal,
    read_conversation,
)
from bot.evidence import evidence_for
from bot.language import detect_language, normalize_lang

CUSTOMER_INTENTS = {*TYPE_BY_INTENT, "customer_neutral"}


def customer_lines(tracker: Tracker) -> list[dict[str, Any]]:
    """Parse data of the session's user messages that the NLU read as customer lines."""
    lines: list[dict[str, Any]] = []
    for event in tracker.events_after_latest_restart():
        if event.get("event") == "session_started":
            lines = []
        elif event.get("event") == "user":
            parse = event.get("parse_data") or {}
            if (parse.get("intent") or {}).get("name") in CUSTOMER_INTENTS:
                lines.append({"text": event.get("text") or "", **parse})
    return lines


class ActionReadCustomer(Action):
    def name(self) -> str:
        return "action_read_customer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = normalize_lang(tracker.get_slot("lang"))
        lines = customer_lines(tracker)
        texts = [(line["text"], detect_language(line["text"])) for line in lines]
        scores = [
            line_scores(line.get("intent_ranking") or []) if lang else no_signal()
            for line, (_, lang) in zip(lines, texts, strict=True)
        ]
        reading = read_conversation(scores)
        evidence = evidence_for(texts, reading.customer_type)
        card = coaching_card(reading, evidence, len(lines), lang)
        if reading.customer_type == UNDETERMINED:
            # The axis questions that follow explain what is missing; the panel gets the data.
            dispatcher.utter_message(json_message=card.payload)
            return [SlotSet("reading_status", "undetermined")]
        dispatcher.utter_message(text=card.text, json_message=card.payload)
        events: list[dict[str, Any]] = [
            SlotSet("reading_status", "determined"),
            SlotSet("current_type", reading.customer_type),
        ]
        if tracker.active_loop.get("name"):  # a clear reading ends pending axis questions
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events
