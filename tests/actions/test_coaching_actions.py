"""Draft-reply review, type tips and the axis questions, as the action server runs them."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.axis_questions import ActionResolveAxes, ValidateAxisForm
from actions.review_reply import ActionReviewReply
from actions.type_tips import ActionTypeTips


@pytest.fixture
def tracker(make_tracker: Callable[..., Tracker]) -> Callable[[str, str, dict[str, Any]], Tracker]:
    def build(text: str, intent: str, slots: dict[str, Any]) -> Tracker:
        return make_tracker(text, slots, intent=intent)

    return build


TrackerFactory = Callable[[str, str, dict[str, Any]], Tracker]


def run(
    action: Action, t: Tracker, domain: DomainDict
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, domain))
    return dispatcher.messages, events


def test_review_for_the_current_type(domain: DomainDict, tracker: TrackerFactory) -> None:
    t = tracker(
        "我打算这样回复：请您别着急，我们马上处理",
        "submit_reply",
        {"lang": "zh", "current_type": "power"},
    )
    messages, _ = run(ActionReviewReply(), t, domain)
    text = messages[0]["text"]
    assert "按权力型客户检查" in text and "请您别着急" in text and "更好的说法" in text
    payload = messages[0]["custom"]
    assert payload["customer_type"] == "power"
    assert {"dismiss_emotion", "vague_time"} <= {f["code"] for f in payload["flags"]}


def test_review_without_a_type_checks_the_general_rules(
    domain: DomainDict, tracker: TrackerFactory
) -> None:
    t = tracker("my reply: it's company policy", "submit_reply", {"lang": "en"})
    messages, _ = run(ActionReviewReply(), t, domain)
    assert "No customer type yet" in messages[0]["text"]
    assert "policy_excuse" in {f["code"] for f in messages[0]["custom"]["flags"]}


def test_review_of_an_empty_draft_explains_the_format(
    domain: DomainDict, tracker: TrackerFactory
) -> None:
    messages, _ = run(
        ActionReviewReply(), tracker("my reply:", "submit_reply", {"lang": "en"}), domain
    )
    assert "after a colon" in messages[0]["text"]


def test_type_tips_by_name_in_either_language(domain: DomainDict, tracker: TrackerFactory) -> None:
    messages, _ = run(
        ActionTypeTips(), tracker("思考型客户怎么沟通", "ask_type_tips", {"lang": "zh"}), domain
    )
    assert "思考型" in messages[0]["text"] and "反馈事实" in messages[0]["text"]
    messages, _ = run(
        ActionTypeTips(), tracker("tips for power", "ask_type_tips", {"lang": "en"}), domain
    )
    assert messages[0]["custom"]["customer_type"] == "power"


def test_type_tips_without_a_type_asks_which(domain: DomainDict, tracker: TrackerFactory) -> None:
    messages, _ = run(
        ActionTypeTips(), tracker("customer tips", "ask_type_tips", {"lang": "en"}), domain
    )
    assert "Which customer type" in messages[0]["text"]


def test_typed_axis_answers_are_understood(domain: DomainDict, tracker: TrackerFactory) -> None:
    form = ValidateAxisForm()
    t = tracker("比较间接，更在意人际关系", "inform_axis", {"lang": "zh"})
    dispatcher = CollectingDispatcher()
    assert form.extract_directness_answer(dispatcher, t, domain) == {
        "directness_answer": "indirect"
    }
    assert form.extract_orientation_answer(dispatcher, t, domain) == {
        "orientation_answer": "people"
    }
    other = tracker("直接换一台", "customer_power", {"lang": "zh"})
    assert form.extract_directness_answer(dispatcher, other, domain) == {}


def test_two_answers_resolve_the_type(domain: DomainDict, tracker: TrackerFactory) -> None:
    t = tracker(
        "facts",
        "inform_axis",
        {"lang": "en", "directness_answer": "indirect", "orientation_answer": "facts"},
    )
    messages, events = run(ActionResolveAxes(), t, domain)
    assert "From your two answers" in messages[0]["text"] and "Thinking" in messages[0]["text"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["current_type"] == "thinking" and slots["directness_answer"] is None


def test_a_payload_draft_is_checked_for_the_type_it_names(
    domain: DomainDict, make_tracker: Callable[..., Tracker]
) -> None:
    draft = "It's company policy, calm down."
    t = make_tracker(
        '/submit_reply{"draft": "…"}',
        {"lang": "en", "current_type": "social"},
        "submit_reply",
        {"draft": draft, "customer_type": "thinking"},
    )
    messages, _ = run(ActionReviewReply(), t, domain)
    payload = messages[0]["custom"]
    assert payload["customer_type"] == "thinking"
    assert "policy_excuse" in {f["code"] for f in payload["flags"]}
    assert "thinking" in messages[0]["text"].lower()


def test_a_payload_without_a_draft_explains_the_format(
    domain: DomainDict, make_tracker: Callable[..., Tracker]
) -> None:
    t = make_tracker("/submit_reply", {"lang": "en"}, "submit_reply")
    messages, _ = run(ActionReviewReply(), t, domain)
    assert not messages[0]["custom"] and "reply" in messages[0]["text"].lower()


def test_type_tips_from_a_button_entity(
    domain: DomainDict, make_tracker: Callable[..., Tracker]
) -> None:
    t = make_tracker(
        '/ask_type_tips{"customer_type": "harmonious"}',
        {"lang": "en"},
        "ask_type_tips",
        {"customer_type": "harmonious"},
    )
    messages, _ = run(ActionTypeTips(), t, domain)
    assert messages[0]["custom"]["customer_type"] == "harmonious"
    assert messages[0]["custom"]["lang"] == "en"
