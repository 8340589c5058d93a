"""A message the trainee marks as their own draft ("我的回复：…", "my reply: …") is a reply to
check, whatever its words: this component sets the intent to `submit_reply` after DIET, so a
draft that sounds like a customer (it answers one, after all) never reaches the customer
reading. The lead-ins are coach-editable knowledge (bot/knowledge/draft_lead_ins.yml).
"""

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.draft_reply import marked_draft

DRAFT_INTENT = "submit_reply"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DraftLeadIn(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DraftLeadIn":
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = str(message.get(TEXT) or "")
            if text.startswith("/") or marked_draft(text) is None:
                continue
            ranking = [
                {"name": DRAFT_INTENT, "confidence": 1.0},
                *(
                    {**entry, "confidence": 0.0}
                    for entry in message.get(INTENT_RANKING_KEY) or []
                    if entry.get("name") != DRAFT_INTENT
                ),
            ]
            message.set(INTENT, {"name": DRAFT_INTENT, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
