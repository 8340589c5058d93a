"""Trackers built the way the action server receives them from Rasa."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

ROOT = Path(__file__).resolve().parents[2]


def _tracker(
    text: str,
    slots: dict[str, Any] | None = None,
    intent: str = "help",
    entities: dict[str, Any] | None = None,
) -> Tracker:
    """`entities` as a payload carries them: `/intent{"name": value}`."""
    found = [{"entity": name, "value": value} for name, value in (entities or {}).items()]
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.98}, "entities": found}
    return Tracker(
        sender_id="trainee-1",
        slots={"lang": None, **(slots or {})},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def make_tracker() -> Callable[..., Tracker]:
    return _tracker


@pytest.fixture(scope="session")
def domain() -> DomainDict:
    """The project's own domain.yml, in the shape the action server receives it."""
    raw = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {
        "intents": [{name: {}} for name in raw.get("intents", [])],
        "entities": raw.get("entities", []),
        "slots": raw.get("slots", {}),
        "responses": raw.get("responses", {}),
        "actions": raw.get("actions", []),
        "forms": raw.get("forms", {}),
    }
