"""Check the trainee's draft reply for the customer being coached."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.entities import entity_value, is_payload
from actions.messages import say
from bot.coaching_codes import TYPE_CODES
from bot.conversation import current_customer, customer_lines
from bot.draft_reply import draft_from_message
from bot.language import normalize_lang
from bot.reply_analyzer import reply_analyzer
from bot.review_card import empty_draft_text, review_card


class ActionReviewReply(Action):
    """The draft is the typed message after its lead-in ("my reply: …"), or the `draft`
    entity of a payload; a payload's `customer_type` names the customer it is meant for."""

    def name(self) -> str:
        return "action_review_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = normalize_lang(tracker.get_slot("lang"))
        if is_payload(tracker):
            draft = str(entity_value(tracker, "draft") or "").strip()
        else:
            draft = draft_from_message(tracker.latest_message.get("text") or "")
        if not draft:
            dispatcher.utter_message(text=empty_draft_text(lang))
            return []
        named = entity_value(tracker, "customer_type")
        customer_type = named if named in TYPE_CODES else tracker.get_slot("current_type")
        lines = current_customer(customer_lines(tracker.events))
        analysis = reply_analyzer().analyze(
            draft, customer_type, customer_line=lines[-1].text if lines else None
        )
        text, payload = review_card(analysis, customer_type, lang)
        say(dispatcher, payload, text)
        return []
