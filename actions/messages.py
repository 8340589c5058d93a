"""Send the bot's message with its typed payload (bot/payloads.py) through Rasa's dispatcher."""

from rasa_sdk.executor import CollectingDispatcher

from bot.payloads import Payload


def say(dispatcher: CollectingDispatcher, payload: Payload, text: str | None = None) -> None:
    """One message: `text` for text-only channels, the payload for rich clients."""
    dispatcher.utter_message(text=text, json_message=dict(payload))
