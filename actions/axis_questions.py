"""The two axis questions asked when the reading is undetermined, and the type they give."""

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.messages import say
from bot.axes_answers import answers_in_text, type_from_answers
from bot.coaching_card import coaching_card
from bot.customer_reading import certain_reading
from bot.language import normalize_lang


def _typed_answers(tracker: Tracker) -> tuple[str | None, str | None]:
    if (tracker.latest_message.get("intent") or {}).get("name") != "inform_axis":
        return None, None
    return answers_in_text(tracker.latest_message.get("text") or "")


class ValidateAxisForm(FormValidationAction):
    """Typed answers ("比较直接", "facts") count as well as the buttons."""

    def name(self) -> str:
        return "validate_axis_form"

    def extract_directness_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        directness, _ = _typed_answers(tracker)
        return {"directness_answer": directness} if directness else {}

    def extract_orientation_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        _, orientation = _typed_answers(tracker)
        return {"orientation_answer": orientation} if orientation else {}


class ActionResolveAxes(Action):
    def name(self) -> str:
        return "action_resolve_axes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = normalize_lang(tracker.get_slot("lang"))
        customer_type = type_from_answers(
            tracker.get_slot("directness_answer"), tracker.get_slot("orientation_answer")
        )
        events: list[dict[str, Any]] = [
            SlotSet("directness_answer", None),
            SlotSet("orientation_answer", None),
        ]
        if customer_type is None:
            return events
        card = coaching_card(certain_reading(customer_type), [], 0, lang, from_answers=True)
        say(dispatcher, card.payload, card.text)
        return [
            *events,
            SlotSet("current_type", customer_type),
            SlotSet("reading_status", "determined"),
        ]
