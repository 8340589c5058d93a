"""Read the customer from every customer line of the session and answer with a coaching card."""

from typing import Any

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.messages import say
from bot.axes_answers import settled_answers
from bot.coaching_card import coaching_card, coaching_card_texts, undetermined_text
from bot.coaching_codes import UNDETERMINED
from bot.conversation import current_customer, customer_lines, read_customer
from bot.language import normalize_lang


class ActionReadCustomer(Action):
    def name(self) -> str:
        return "action_read_customer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = normalize_lang(tracker.get_slot("lang"))
        current = current_customer(customer_lines(tracker.events))
        read = read_customer(current)
        said = [line.text for line in current]
        card = coaching_card(read.reading, read.evidence, read.lines, lang, said=said)
        if read.reading.customer_type == UNDETERMINED:
            # Why, then the axis questions (only the one still open, when a close call already
            # answers the other); the panel gets the data.
            title = coaching_card_texts()["title"][lang]
            say(
                dispatcher, card.payload, f"{title}\n{undetermined_text(read.reading, lang, False)}"
            )
            known = settled_answers(read.reading)
            return [
                SlotSet("reading_status", "undetermined"),
                *(SlotSet(slot, value) for slot, value in known.items()),
            ]
        say(dispatcher, card.payload, card.text)
        events: list[dict[str, Any]] = [
            SlotSet("reading_status", "determined"),
            SlotSet("current_type", read.reading.customer_type),
        ]
        if tracker.active_loop.get("name"):  # a clear reading ends pending axis questions
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events
