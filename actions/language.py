"""Keep the `lang` slot in step with the language of the user's latest message.

Rasa runs `action_validate_slot_mappings` after every user message, so every response
(domain responses have `lang` conditions) is chosen in the language the user just wrote.
"""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions.entities import entity_value, is_payload
from bot.language import detect_language, normalize_lang


class ValidateSlotMappings(ValidationAction):
    """Fills the custom-mapped `lang` slot; message text without letters leaves it as it was.

    A payload ("/ask_type_tips{…}") is not the user's words: its `language` entity, when
    given (Slack sends the language of the command's text), sets the language instead.
    """

    def extract_lang(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if is_payload(tracker):
            requested = entity_value(tracker, "language")
            return {"lang": normalize_lang(requested)} if requested in ("zh", "en") else {}
        lang = detect_language(tracker.latest_message.get("text") or "")
        return {"lang": lang} if lang else {}
