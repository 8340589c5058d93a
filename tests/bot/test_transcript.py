"""The coach's transcript from Rasa's whole event history: what each row says and carries."""

from dataclasses import replace
from typing import Any

from bot.practice_card import customer_line_text, start_payload, turn_payload
from bot.practice_session import (
    PracticeSession,
    new_session,
    settings_with_defaults,
    take_turn,
    with_line_reading,
)
from bot.scorecard import build_scorecard
from bot.transcript import build_transcript

THINKING_RANKING = [
    {"name": "customer_thinking", "confidence": 0.97},
    {"name": "customer_power", "confidence": 0.03},
]


def user(text: str, intent: str = "customer_neutral") -> dict[str, Any]:
    ranking = [
        {"name": intent, "confidence": 0.97},
        {"name": "customer_thinking", "confidence": 0.03},
    ]
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": ranking[0], "intent_ranking": ranking},
    }


def bot(text: str, custom: Any = None) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {"custom": custom}}


def slot(value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": "practice", "value": value}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


def read(session: PracticeSession) -> PracticeSession:
    return with_line_reading(session, len(session["customer_lines"]) - 1, THINKING_RANKING)


def practice_events(exam: bool = False) -> tuple[list[dict[str, Any]], PracticeSession]:
    """A hidden thinking customer, two replies, then the scorecard; as Rasa stores it."""
    settings = settings_with_defaults(
        seed=5, lang="en", scenario="analyzer_down", customer_type="thinking", exam=exam
    )
    settings = replace(settings, type_hidden=True)
    session = read(new_session(settings))
    events = [
        user('/start_practice{"scenario": "analyzer_down", "language": "en"}', "start_practice"),
        bot("start", start_payload(session)),
        bot(customer_line_text(session), turn_payload(session)),
        slot(session),
        loop("practice_form"),
    ]
    for reply in ("Could you tell me the alarm code?", "I will call you by 4 pm with the cause."):
        session = read(take_turn(session, reply, "en"))
        events += [
            user(reply),
            bot(customer_line_text(session), turn_payload(session)),
            slot(session),
        ]
    card = build_scorecard(session)
    events += [loop(None), bot("Scorecard", card)]
    return events, session


def test_buttons_show_what_they_did_never_the_raw_command() -> None:
    events, _ = practice_events()
    entries = build_transcript(events)
    assert entries[0].role == "action" and entries[0].command == "start_practice"
    assert entries[0].details == {"scenario": "analyzer_down", "language": "en"}
    assert not any(entry.text.startswith("/") for entry in entries)


def test_simulated_customer_lines_carry_the_reading_and_the_real_type() -> None:
    events, session = practice_events()
    customers = [entry for entry in build_transcript(events) if entry.role == "customer"]
    assert [entry.text for entry in customers] == [
        line["text"] for line in session["customer_lines"]
    ]
    assert all(entry.simulated and entry.true_type == "thinking" for entry in customers)
    assert all(entry.reading is not None for entry in customers)


def test_the_trainees_replies_carry_their_analysis_and_no_reading() -> None:
    events, session = practice_events()
    replies = [entry for entry in build_transcript(events) if entry.role == "trainee"]
    assert [entry.text for entry in replies] == [turn["reply"] for turn in session["turns"]]
    assert all(entry.reading is None and entry.analysis for entry in replies)
    assert replies[1].analysis == session["turns"][1]["analysis"]


def test_exam_mode_keeps_the_analysis_out_of_the_chat_not_out_of_the_review() -> None:
    events, session = practice_events(exam=True)
    assert all("analysis" not in (e["data"]["custom"] or {}) for e in events if e["event"] == "bot")
    replies = [entry for entry in build_transcript(events) if entry.role == "trainee"]
    assert replies[0].analysis == session["turns"][0]["analysis"]


def test_the_scorecard_is_a_row_of_its_own_with_the_attempt_number() -> None:
    events, _ = practice_events()
    entries = build_transcript(events + events)  # a retake in the same conversation
    cards = [entry for entry in entries if entry.role == "scorecard"]
    assert [card.attempt for card in cards] == [1, 2]
    assert cards[0].scorecard is not None and cards[0].scorecard["kind"] == "practice_scorecard"


def test_coach_mode_customer_lines_are_read_and_the_rest_is_not() -> None:
    events = [
        user("Send me the calibration log and the error codes, please.", "customer_thinking"),
        bot("Customer type reading …"),
        user("how do I answer this?", "ask_help"),
    ]
    entries = build_transcript(events)
    assert [(e.role, e.reading is not None) for e in entries] == [
        ("customer", True),
        ("bot", False),
        ("trainee", False),
    ]
    assert not entries[0].simulated


def test_a_restart_hides_nothing_and_shows_as_a_divider() -> None:
    events = [
        user("Where is my parcel? I need it today.", "customer_power"),
        bot("reading"),
        {"event": "restart"},
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        user("hello", "greet"),
    ]
    roles = [entry.role for entry in build_transcript(events)]
    assert roles == ["customer", "bot", "restart", "trainee"]
