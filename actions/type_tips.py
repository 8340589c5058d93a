"""How to talk with a customer type the trainee names ("思考型客户怎么沟通")."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.entities import entity_value
from actions.messages import say
from bot.coaching_card import type_tips_card, which_type_text
from bot.coaching_codes import TYPE_CODES
from bot.customer_types import type_named_in
from bot.language import normalize_lang


class ActionTypeTips(Action):
    """The type comes from a button's `customer_type` entity or from the words typed."""

    def name(self) -> str:
        return "action_type_tips"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = normalize_lang(tracker.get_slot("lang"))
        named = entity_value(tracker, "customer_type")
        customer_type = (
            named
            if named in TYPE_CODES
            else type_named_in(tracker.latest_message.get("text") or "")
        )
        if customer_type is None:
            dispatcher.utter_message(text=which_type_text(lang))
            return []
        card = type_tips_card(customer_type, lang)
        say(dispatcher, card.payload, card.text)
        return []
