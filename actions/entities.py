"""Entities of the latest message: buttons and integrations send their options as entities
(`/submit_reply{"draft": "…", "customer_type": "thinking", "language": "en"}`)."""

from typing import Any

from rasa_sdk.interfaces import Tracker


def latest_entities(tracker: Tracker) -> dict[str, Any]:
    """Every entity of the latest message by name; the first value wins."""
    found: dict[str, Any] = {}
    for entity in tracker.latest_message.get("entities") or []:
        found.setdefault(entity.get("entity"), entity.get("value"))
    return found


def entity_value(tracker: Tracker, name: str) -> Any:
    """One entity's value in the latest message, or None."""
    return latest_entities(tracker).get(name)


def is_payload(tracker: Tracker) -> bool:
    """A button or integration payload ("/intent{…}"), not words the user typed."""
    return str(tracker.latest_message.get("text") or "").startswith("/")
