"""Show the help card in the conversation's language."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from bot.help_card import build_help_card
from bot.language import normalize_lang


class ActionShowHelp(Action):
    def name(self) -> str:
        return "action_show_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        card = build_help_card(normalize_lang(tracker.get_slot("lang")))
        dispatcher.utter_message(text=card.as_text())
        return []
