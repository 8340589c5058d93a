"""action_read_customer reads every customer line of the session and answers with a card."""

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions.customer_reading import ActionReadCustomer


def user_event(text: str, intent: str, confidence: float = 0.9) -> dict[str, Any]:
    others = [
        {"name": name, "confidence": (1 - confidence) / 4}
        for name in ("customer_power", "customer_social", "customer_harmonious",
                     "customer_thinking", "customer_neutral")
        if name != intent
    ]  # fmt: skip
    ranking = [{"name": intent, "confidence": confidence}, *others]
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": ranking[0], "intent_ranking": ranking, "entities": []},
    }


def tracker_with(
    events: list[dict[str, Any]],
    lang: str,
    slots: dict[str, Any] | None = None,
    active_loop: dict[str, Any] | None = None,
) -> Tracker:
    latest = events[-1]
    return Tracker(
        sender_id="trainee-1",
        slots={"lang": lang, **(slots or {})},
        latest_message={"text": latest["text"], **latest["parse_data"]},
        events=events,
        paused=False,
        followup_action=None,
        active_loop=active_loop or {},
        latest_action_name="action_listen",
    )


def read(tracker: Tracker, domain: DomainDict) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionReadCustomer().run(dispatcher, tracker, domain))
    assert len(dispatcher.messages) == 1
    return dispatcher.messages, events


def card(tracker: Tracker, domain: DomainDict) -> str:
    messages, _ = read(tracker, domain)
    return str(messages[0]["text"])


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def test_one_chinese_power_line(domain: DomainDict) -> None:
    text = card(
        tracker_with([user_event("别跟我绕弯子，几点到？", "customer_power")], "zh"), domain
    )
    assert "权力型" in text and "绕弯子" in text


def test_lines_of_the_session_are_combined(domain: DomainDict) -> None:
    events = [
        user_event("The printer is broken", "customer_neutral", 0.9),
        {"event": "bot", "text": "..."},
        user_event("Sorry to bother you, no rush at all", "customer_harmonious", 0.85),
        user_event("hello", "greet"),  # coaching chat is not a customer line
        user_event("Whenever it suits you is fine, thank you", "customer_harmonious", 0.8),
    ]
    events[3]["parse_data"]["intent"] = {"name": "greet", "confidence": 0.99}
    text = card(tracker_with(events, "en"), domain)
    assert "Harmonious" in text
    assert "3 customer lines" in text


def test_a_new_session_starts_a_new_reading(domain: DomainDict) -> None:
    history = [
        user_event("I want results today", "customer_power"),
        {"event": "session_started"},
        user_event("设备坏了", "customer_neutral", 0.95),
    ]
    messages, events = read(tracker_with(history, "zh"), domain)
    assert "还没有说话风格的线索" in messages[0]["text"]  # says why, then asks the axis question
    assert messages[0]["custom"]["customer_type"] == "undetermined"
    assert slots_set(events) == {"reading_status": "undetermined"}


def test_a_clear_reading_ends_pending_axis_questions(domain: DomainDict) -> None:
    tracker = tracker_with(
        [user_event("Could you send the test data and the root cause?", "customer_thinking")],
        "en",
        active_loop={"name": "axis_form"},
    )
    _, events = read(tracker, domain)
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"
    ]


def test_the_cards_phrasings_are_for_the_customers_own_case(domain: DomainDict) -> None:
    line = "我订的是海景大床房，你们给的却是朝内院的双床房，马上给我换！"
    messages, _ = read(tracker_with([user_event(line, "customer_power")], "zh"), domain)
    phrasings = messages[0]["custom"]["phrasings"]
    assert "海景" in phrasings[0]  # the room, not the analyzer or the parcel
