"""What the panel gets during role-play: while the type is hidden, only what the trainee can
observe; once known, the customer's needs and the model's reading; in exam mode nothing."""

from bot.practice_card import guess_prompt, start_payload, turn_payload
from bot.practice_session import (
    PracticeSession,
    guess,
    new_session,
    settings_with_defaults,
    take_turn,
    with_line_reading,
)
from bot.scenarios import load_library

RANKING = [
    {"name": "customer_power", "confidence": 0.9},
    {"name": "customer_thinking", "confidence": 0.1},
]


def hidden_session() -> PracticeSession:
    session = new_session(settings_with_defaults(seed=5, lang="zh", scenario="hotel_room"))
    session = take_turn(session, "我理解您的心情，我先查一下可以换的房间。", "zh")
    return with_line_reading(session, len(session["customer_lines"]) - 1, RANKING)


def test_a_hidden_type_gives_nothing_away() -> None:
    session = hidden_session()
    assert session["type_hidden"]
    payload = turn_payload(session)
    assert payload["type_known"] is False
    assert "reading" not in payload and "needs" not in payload
    assert payload["phrasings"] == list(load_library().scenarios["hotel_room"].phrasings["zh"])
    assert "analysis" in payload
    assert start_payload(session)["customer_type"] is None
    assert "seed" not in start_payload(session)


def test_after_the_guess_the_panel_shows_needs_and_the_reading() -> None:
    session, _ = guess(hidden_session(), "social")
    payload = turn_payload(session)
    assert payload["type_known"] is True
    needs = payload["needs"]
    assert needs and {need["met"] for need in needs} <= {True, False}
    assert payload["reading"]["customer_type"] == "power"


def test_exam_mode_shows_no_coaching() -> None:
    session = {**hidden_session(), "exam": True}
    payload = turn_payload(session)  # type: ignore[arg-type]
    assert set(payload) == {"kind", "turn", "customer_line", "mood", "status", "exam", "type_known"}


def test_the_guess_prompt_offers_every_type_and_a_skip() -> None:
    text, buttons = guess_prompt(hidden_session())
    assert "猜" in text or "类型" in text
    payloads = [button["payload"] for button in buttons]
    assert payloads[-1] == "/give_up"
    assert all(p.startswith("/guess_type{") for p in payloads[:-1]) and len(payloads) == 5
