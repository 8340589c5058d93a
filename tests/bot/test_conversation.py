"""Which messages are customer lines, and the reading a transcript shows beside each."""

from typing import Any

import pytest

from bot.conversation import current_customer, customer_lines, read_customer, readings_by_event


def user(text: str, intent: str, confidence: float = 0.9) -> dict[str, Any]:
    ranking = [{"name": intent, "confidence": confidence}]
    if intent.startswith("customer_") and intent != "customer_thinking":
        ranking.append({"name": "customer_thinking", "confidence": 1 - confidence})
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": ranking[0], "intent_ranking": ranking},
    }


def test_only_the_customers_words_are_customer_lines() -> None:
    events = [
        {"event": "action", "name": "action_session_start"},
        user("你们今天必须修好", "customer_power"),
        {"event": "bot", "text": "card"},
        user("我打算这样回复：马上处理", "submit_reply"),
        user('/inform_axis{"directness_answer": "direct"}', "customer_power"),
        {"event": "active_loop", "name": "practice_form"},
        user("您别着急，我们马上处理", "customer_harmonious"),  # a reply during role-play
        {"event": "active_loop", "name": None},
        user("别废话，几点到？", "customer_power"),
    ]
    lines = customer_lines(events)
    assert [line.text for line in lines] == ["你们今天必须修好", "别废话，几点到？"]
    assert [line.event for line in lines] == [1, 8]


def test_a_new_session_is_a_new_customer() -> None:
    events = [
        user("快点给我结果", "customer_power"),
        {"event": "session_started"},
        user("不好意思打扰您，不着急的", "customer_harmonious"),
    ]
    lines = customer_lines(events)
    assert [line.session for line in lines] == [0, 1]
    assert [line.text for line in current_customer(lines)] == ["不好意思打扰您，不着急的"]


def test_a_transcript_shows_the_reading_the_trainee_saw() -> None:
    events = [user("快点给我结果", "customer_power", 0.8), user("别废话", "customer_power", 0.8)]
    lines = customer_lines(events)
    shown = readings_by_event(lines)
    trail = read_customer(lines).trail
    assert shown == {0: trail[0], 1: trail[1]}
    assert shown[0].confidence == pytest.approx(trail[0].scores["power"])  # one line: its own


def test_lines_without_words_carry_no_evidence() -> None:
    events = [user("👍👍", "customer_power"), user("😡", "customer_power")]
    read = read_customer(customer_lines(events))
    assert read.reading.customer_type == "undetermined"
    assert read.reading.style_evidence == 0


def test_markup_alone_is_not_a_customer_speaking() -> None:
    events = [
        user("<script>alert(1)</script>", "customer_power"),
        user("<img src=x onerror=alert(1)>", "customer_power"),
    ]
    read = read_customer(customer_lines(events))
    assert read.reading.customer_type == "undetermined"
    assert read.reading.style_evidence == 0


def test_words_inside_markup_still_count() -> None:
    lines = customer_lines([user("<b>今天必须修好</b>", "customer_power")])
    assert lines[0].lang == "zh"
    assert read_customer(lines).reading.style_evidence > 0
