"""Keep the `lang` slot in step with the language of the user's latest message.

Rasa runs `action_validate_slot_mappings` after every user message, so every response
(domain responses have `lang` conditions) is chosen in the language the user just wrote.
"""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from bot.language import detect_language


class ValidateSlotMappings(ValidationAction):
    """Fills the custom-mapped `lang` slot; message text without letters leaves it as it was."""

    def extract_lang(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):  # a button payload ("/start_practice{...}"), not the user's words
            return {}
        lang = detect_language(text)
        return {"lang": lang} if lang else {}
