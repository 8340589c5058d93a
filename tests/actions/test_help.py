"""action_show_help answers with the help card in the conversation's language."""

import asyncio
from collections.abc import Callable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions.help import ActionShowHelp


def run_help(tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionShowHelp().run(dispatcher, tracker, domain))
    assert events == []
    return dispatcher.messages


def test_help_in_chinese(make_tracker: Callable[..., Tracker], domain: DomainDict) -> None:
    messages = run_help(make_tracker("帮助", {"lang": "zh"}), domain)
    assert len(messages) == 1
    assert "权力型" in messages[0]["text"] and "思考型" in messages[0]["text"]


def test_help_in_english(make_tracker: Callable[..., Tracker], domain: DomainDict) -> None:
    messages = run_help(make_tracker("help", {"lang": "en"}), domain)
    assert "Power" in messages[0]["text"] and "Thinking" in messages[0]["text"]


def test_help_defaults_to_chinese_without_a_language(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    messages = run_help(make_tracker("🙂", {"lang": None}), domain)
    assert "使用说明" in messages[0]["text"]
