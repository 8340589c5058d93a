"""action_validate_slot_mappings keeps the `lang` slot on the user's latest language."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions.language import ValidateSlotMappings


def run_action(tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
    action = ValidateSlotMappings()
    assert action.name() == "action_validate_slot_mappings"
    return asyncio.run(action.run(CollectingDispatcher(), tracker, domain))


@pytest.mark.parametrize(("text", "lang"), [("你好", "zh"), ("hello there", "en")])
def test_sets_lang_from_the_message(
    make_tracker: Callable[..., Tracker], domain: DomainDict, text: str, lang: str
) -> None:
    events = run_action(make_tracker(text), domain)
    assert {"event": "slot", "name": "lang", "value": lang} in [
        {key: event.get(key) for key in ("event", "name", "value")} for event in events
    ]


def test_switches_language_mid_conversation(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    events = run_action(make_tracker("thanks, bye", {"lang": "zh"}), domain)
    assert [event["value"] for event in events if event.get("name") == "lang"] == ["en"]


def test_emoji_only_message_keeps_the_current_language(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    events = run_action(make_tracker("👍👍", {"lang": "en"}), domain)
    assert [event for event in events if event.get("name") == "lang"] == []


def test_button_payload_leaves_the_language_alone(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    tracker = make_tracker('/start_practice{"scenario": "hotel_room"}', slots={"lang": "zh"})
    assert ValidateSlotMappings().extract_lang(CollectingDispatcher(), tracker, domain) == {}


def test_a_payload_takes_its_language_entity(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    tracker = make_tracker(
        '/ask_type_tips{"customer_type": "power", "language": "en"}',
        {"lang": "zh"},
        "ask_type_tips",
        {"customer_type": "power", "language": "en"},
    )
    events = run_action(tracker, domain)
    assert [event["value"] for event in events if event.get("name") == "lang"] == ["en"]


def test_a_payload_without_language_keeps_the_current_one(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    tracker = make_tracker("/help", {"lang": "en"}, "help")
    assert [event for event in run_action(tracker, domain) if event.get("name") == "lang"] == []
