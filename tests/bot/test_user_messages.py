"""What a user may send: typed words, and only the commands the product's own buttons send."""

import pytest

from bot.user_messages import parsed_command, refusal


@pytest.mark.parametrize(
    "message",
    [
        "你好",
        "The customer said: /restart is what I typed",  # a slash inside words is just text
        '/start_practice{"scenario": "hotel_room", "customer_type": "thinking", "seed": 3}',
        '/start_practice{"language": "en", "exam": true, "difficulty": "hard"}',
        '/guess_type{"customer_type": "power"}',
        '/inform_axis{"directness_answer": "direct"}',
        '/submit_reply{"draft": "我今天下午四点前给您回电。"}',
        "/retake",
        "/give_up",
        "/help",
    ],
)
def test_words_and_the_products_own_commands_pass(message: str) -> None:
    assert refusal(message) is None


@pytest.mark.parametrize(
    ("message", "problem", "command"),
    [
        ("/restart", "unknown_command", "restart"),  # would erase the transcript
        ("/back", "unknown_command", "back"),  # would undo the first guess
        ("/session_start", "unknown_command", "session_start"),
        ("/action_practice_scorecard", "unknown_command", "action_practice_scorecard"),
        ('/set_exam_mode{"exam": false}', "unknown_command", "set_exam_mode"),
        ("/customer_power", "unknown_command", "customer_power"),
        ('  /restart{"x": 1}', "unknown_command", "restart"),
        ('/guess_type{"customer_type": "boss"}', "bad_entities", "guess_type"),
        ('/guess_type{"customer_type": "power", "turn": 1}', "bad_entities", "guess_type"),
        ('/start_practice{"seed": -1}', "bad_entities", "start_practice"),
        ('/start_practice{"seed": "7"}', "bad_entities", "start_practice"),
        ('/start_practice{"scenario": "nowhere"}', "bad_entities", "start_practice"),
        ("/start_practice{not json}", "bad_entities", "start_practice"),
        ('/submit_reply{"draft": "   "}', "bad_entities", "submit_reply"),
    ],
)
def test_rasa_built_ins_and_forged_payloads_are_refused(
    message: str, problem: str, command: str
) -> None:
    found = refusal(message)
    assert found is not None and (found.problem, found.command) == (problem, command)


def test_a_command_reads_as_what_it_did() -> None:
    assert parsed_command('/guess_type{"customer_type": "power"}') == (
        "guess_type",
        {"customer_type": "power"},
    )
    assert parsed_command("/retake") == ("retake", {})
    assert parsed_command("plain words") is None
