"""The role-play actions, run the way the action server runs them."""

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions import practice
from actions.practice import ActionPracticeScorecard, ActionStartPractice, ValidatePracticeForm
from actions.practice_controls import (
    ActionPracticeExamMode,
    ActionPracticeGiveUp,
    ActionPracticeGuess,
)
from testkit.practice_scripts import script

POLICY = "It's company policy, we'll handle it ASAP."


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test body with asyncio (the Rasa environment has no async pytest plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


START = '/start_practice{"scenario": "analyzer_down", "customer_type": "power", "seed": 9}'


@pytest.fixture(autouse=True)
def model_reads_power(monkeypatch: pytest.MonkeyPatch) -> None:
    async def ranking(text: str) -> list[dict[str, Any]]:
        return [{"name": "customer_power", "confidence": 0.8}, {"name": "help", "confidence": 0.2}]

    monkeypatch.setattr(practice, "intent_ranking", ranking)


def with_entities(tracker: Tracker, **entities: object) -> Tracker:
    tracker.latest_message["entities"] = [{"entity": k, "value": v} for k, v in entities.items()]
    return tracker


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


async def start(make_tracker: Callable[..., Tracker], domain: DomainDict) -> dict[str, Any]:
    tracker = with_entities(
        make_tracker(START, intent="start_practice"),
        scenario="analyzer_down",
        customer_type="power",
        seed=9,
        language="en",
    )
    events = await ActionStartPractice().run(CollectingDispatcher(), tracker, domain)
    session: dict[str, Any] = slots_of(events)["practice"]
    return session


async def reply(
    session: dict[str, Any],
    text: str,
    make_tracker: Callable[..., Tracker],
    domain: DomainDict,
) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, slots={"practice": session}, intent="submit_reply")
    result = await ValidatePracticeForm().validate_practice_reply(text, dispatcher, tracker, domain)
    return result, dispatcher


@sync
async def test_start_shows_the_case_and_the_opening_line_with_the_type_hidden_unless_chosen(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("开始练习 宽带", intent="start_practice")
    events = await ActionStartPractice().run(dispatcher, tracker, domain)

    session = slots_of(events)["practice"]
    assert session["scenario"] == "broadband_outage" and session["lang"] == "zh"
    assert session["type_hidden"] is True
    assert dispatcher.messages[0]["custom"]["customer_type"] is None
    assert "保密" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1]["text"].startswith("客户：")
    scores = session["customer_lines"][0]["scores"]  # the model's reading, calibrated
    assert scores["power"] == pytest.approx(1.0, abs=1e-3)


@sync
async def test_each_reply_gets_analysis_mood_and_next_line(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    session = await start(make_tracker, domain)
    result, dispatcher = await reply(session, POLICY, make_tracker, domain)

    assert result["practice_reply"] is None  # the session goes on
    assert result["practice"]["heat"] > session["heat"]
    coach, customer = dispatcher.messages
    assert "Coach (turn 1)" in coach["text"] and "policy" in coach["text"]
    assert customer["custom"]["kind"] == "practice_turn"
    assert customer["custom"]["analysis"]["flags"]


@sync
async def test_exam_mode_hides_the_tips_and_cannot_be_switched_off(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    session = {**(await start(make_tracker, domain)), "exam": True}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("exam mode off", slots={"practice": session}, intent="set_exam_mode")
    assert await ActionPracticeExamMode().run(dispatcher, tracker, domain) == []
    assert "can't change" in dispatcher.messages[0]["text"]

    _, dispatcher = await reply(session, POLICY, make_tracker, domain)
    assert len(dispatcher.messages) == 1
    assert "analysis" not in dispatcher.messages[0]["custom"]
    assert "needs" not in dispatcher.messages[0]["custom"]


@sync
async def test_the_session_ends_satisfied_and_the_scorecard_follows(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    session = await start(make_tracker, domain)
    result: dict[str, Any] = {"practice_reply": None}
    for text in script("analyzer_down", "power", "en"):
        result, _ = await reply(session, text, make_tracker, domain)
        session = result["practice"]
        if result["practice_reply"] is not None:
            break
    assert session["status"] == "resolved"

    dispatcher = CollectingDispatcher()
    tracker = make_tracker("", slots={"practice": session})
    events = await ActionPracticeScorecard().run(dispatcher, tracker, domain)
    card = slots_of(events)["practice_scorecard"]
    assert card["outcome"] == "resolved" and card["reading"]["agrees"] is True
    assert dispatcher.messages[0]["text"].startswith("Scorecard:")


@sync
async def test_emoji_only_reply_is_not_a_turn(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    session = await start(make_tracker, domain)
    result, dispatcher = await reply(session, "👍👍", make_tracker, domain)
    assert result == {"practice_reply": None}
    assert "reply in text" in dispatcher.messages[0]["text"]


@sync
async def test_guess_once_then_give_up(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    session = await start(make_tracker, domain)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "I think it's a power type", slots={"practice": session}, intent="guess_type"
    )
    session = slots_of(await ActionPracticeGuess().run(dispatcher, tracker, domain))["practice"]
    assert dispatcher.messages[0]["custom"]["result"] == "right"

    dispatcher = CollectingDispatcher()
    tracker = make_tracker("maybe thinking", slots={"practice": session}, intent="guess_type")
    assert await ActionPracticeGuess().run(dispatcher, tracker, domain) == []
    assert "Only the first guess counts" in dispatcher.messages[0]["text"]

    dispatcher = CollectingDispatcher()
    tracker = make_tracker("give up", slots={"practice": session}, intent="give_up")
    session = slots_of(await ActionPracticeGiveUp().run(dispatcher, tracker, domain))["practice"]
    assert session["status"] == "gave_up"


@sync
async def test_retake_replays_the_same_case(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    session = await start(make_tracker, domain)
    tracker = make_tracker("retake", slots={"practice": session}, intent="retake")
    events = await ActionStartPractice().run(CollectingDispatcher(), tracker, domain)
    again = slots_of(events)["practice"]
    assert (again["scenario"], again["customer_type"], again["seed"]) == (
        "analyzer_down",
        "power",
        9,
    )
    assert again["customer_lines"][0]["text"] == session["customer_lines"][0]["text"]


@sync
async def test_controls_without_a_session_say_how_to_start(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionPracticeGiveUp().run(dispatcher, make_tracker("give up", intent="give_up"), domain)
    assert "练习" in dispatcher.messages[0]["text"]


@sync
async def test_a_cleared_reply_slot_is_not_a_reply_without_words(
    make_tracker: Callable[..., Tracker], domain: DomainDict
) -> None:
    session = await start(make_tracker, domain)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(START, slots={"practice": session}, intent="start_practice")
    form = ValidatePracticeForm()
    result = await form.validate_practice_reply(None, dispatcher, tracker, domain)

    assert result == {"practice_reply": None}
    assert dispatcher.messages == []  # no "the customer needs words" after the opening line
