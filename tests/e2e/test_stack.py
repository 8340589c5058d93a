"""The real stack — action server, Rasa with the trained model, API — answers a trainee.

Needs `make train` first (make test-e2e does it). One stack for the session (conftest.py):
start-up takes about half a minute.
"""

import os
import signal
import time

import httpx
import pytest

from testkit.practice_scripts import script
from testkit.stack import RunningStack

pytestmark = pytest.mark.e2e


def chat(stack: RunningStack, conversation_id: str, message: str) -> httpx.Response:
    return httpx.post(
        f"{stack.api_url}/api/v1/chat",
        json={"conversation_id": conversation_id, "message": message},
        headers=stack.trainee_headers,
        timeout=30,
    )


def texts(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return "\n".join(message.get("text", "") for message in response.json()["messages"])


def test_ready_reports_every_part(stack: RunningStack) -> None:
    body = httpx.get(f"{stack.api_url}/readyz").json()
    assert body["status"] == "ready"
    assert body["components"]["rasa"]["ok"] and body["components"]["action_server"]["ok"]


def test_chinese_conversation(stack: RunningStack) -> None:
    assert "帮助" in texts(chat(stack, "e2e-zh", "你好"))  # every greeting points to help
    help_card = texts(chat(stack, "e2e-zh", "你能帮我做什么？"))
    assert "权力型" in help_card and "思考型" in help_card  # built by the action server
    assert "下次见" in texts(chat(stack, "e2e-zh", "好的，拜拜"))


def test_english_conversation(stack: RunningStack) -> None:
    assert '"help"' in texts(chat(stack, "e2e-en", "hello there"))
    help_card = texts(chat(stack, "e2e-en", "what can you do?"))
    assert "Power" in help_card and "Harmonious" in help_card
    assert "outside" in texts(chat(stack, "e2e-en", "what's the weather like tomorrow"))


def test_language_follows_the_latest_message(stack: RunningStack) -> None:
    assert "帮助" in texts(chat(stack, "e2e-switch", "你好"))
    assert "Power" in texts(chat(stack, "e2e-switch", "help"))


def test_conversations_are_stored_in_the_sqlite_tracker_store(stack: RunningStack) -> None:
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/{stack.rasa_sender('e2e-zh')}/tracker",
        params={"token": stack_token(stack)},
    ).json()
    assert [event["text"] for event in tracker["events"] if event["event"] == "user"][:2] == [
        "你好",
        "你能帮我做什么？",
    ]
    assert (stack.state_dir / "rasa" / "tracker.db").stat().st_size > 0


def stack_token(stack: RunningStack) -> str:
    return (stack.state_dir / "secrets" / "rasa_token").read_text().strip()


def test_rasa_api_requires_the_token(stack: RunningStack) -> None:
    assert httpx.get(f"{stack.rasa_url}/status").status_code == 401


def classify(stack: RunningStack, body: dict[str, object]) -> dict[str, object]:
    response = httpx.post(
        f"{stack.api_url}/api/v1/classify", json=body, headers=stack.trainee_headers, timeout=30
    )
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("工程师明早七点前必须到，做不到就让你们经理给我打电话", "power"),
        ("I need the exact arrival time, not another excuse. Today.", "power"),
        ("麻烦您了，我们这边真的不着急，师傅哪天有空再过来就行", "harmonious"),
        ("Could you send the calibration records and explain the root cause?", "thinking"),
    ],
)
def test_classify_unseen_lines(stack: RunningStack, text: str, expected: str) -> None:
    result = classify(stack, {"text": text})
    assert result["customer_type"] == expected, result


def test_classify_a_conversation_and_emoji(stack: RunningStack) -> None:
    result = classify(
        stack, {"turns": ["网断了", "我儿子上网课一直掉线，老师都点名了，孩子委屈得直哭😭"]}
    )
    assert result["customer_type"] == "social"
    assert classify(stack, {"text": "😡😡😡"})["customer_type"] == "undetermined"


def test_pasted_customer_line_gets_a_coaching_card(stack: RunningStack) -> None:
    response = chat(stack, "e2e-coach", "请问这次故障的根本原因是什么？能否提供检测数据")
    card = texts(response)
    assert "思考型" in card and "根本原因" in card and "反馈事实" in card
    payload = response.json()["messages"][-1]["custom"]
    assert payload["customer_type"] == "thinking" and len(payload["phrasings"]) == 3


def test_coach_mode_draft_reply_and_tips(stack: RunningStack) -> None:
    chat(stack, "e2e-review", "工程师明早七点前必须到，别再拖了，给我准确时间")
    review = texts(chat(stack, "e2e-review", "我打算这样回复：请您别着急，我们马上安排"))
    assert "权力型" in review and "请您别着急" in review and "更好的说法" in review
    tips = chat(stack, "e2e-review", "how should I talk to a thinking customer")
    assert "Thinking" in texts(tips) and "fact" in texts(tips)


def test_undetermined_reading_asks_the_axis_questions(stack: RunningStack) -> None:
    first = chat(stack, "e2e-axes", "My card doesn't work")
    buttons = [b for m in first.json()["messages"] for b in m.get("buttons") or []]
    assert {b["title"] for b in buttons} == {"Directly", "Indirectly"}
    second = chat(stack, "e2e-axes", buttons[1]["payload"])
    assert "people and feelings" in texts(second)
    third = chat(stack, "e2e-axes", '/inform_axis{"orientation_answer": "people"}')
    assert "From your two answers" in texts(third) and "Harmonious" in texts(third)


def test_practice_session_through_chat_ends_with_a_stored_scorecard(stack: RunningStack) -> None:
    start = (
        '/start_practice{"scenario": "hotel_room", "customer_type": "thinking", '
        '"seed": 3, "language": "zh"}'
    )
    opening = chat(stack, "e2e-practice", start)
    assert "客户：" in texts(opening)
    replies = script("hotel_room", "thinking", "zh")
    for reply in replies:
        last = texts(chat(stack, "e2e-practice", reply))
        if "成绩单" in last:
            break
    assert "客户满意" in last and "成绩单" in last
    card = httpx.get(
        f"{stack.api_url}/api/v1/practice/e2e-practice/scorecard",
        headers=stack.trainee_headers,
        timeout=10,
    )
    assert card.status_code == 200
    body = card.json()
    assert body["outcome"] == "resolved"
    assert body["reading"]["customer_type"] == "thinking"  # the trained model read the customer
    assert texts(chat(stack, "e2e-practice", "再练一次")).count("客户") >= 1


def test_a_bare_start_command_opens_the_case_and_nothing_else(stack: RunningStack) -> None:
    opening = texts(chat(stack, "e2e-practice-bare", '/start_practice{"scenario": "hotel_room"}'))
    lines = [line for line in opening.splitlines() if line.strip()]
    assert lines[-1].startswith("客户：")  # the customer has only just spoken: no "needs words"


@pytest.mark.parametrize(
    ("message", "guess"),
    [
        ("She strikes me as a power customer", True),
        ("估计是思考型", True),
        ("The power should be back on by 3 pm today.", False),  # a reply that says "power"
    ],
)
def test_a_guess_in_the_trainees_own_words_is_a_guess(
    stack: RunningStack, message: str, guess: bool
) -> None:
    conversation = f"e2e-guess-{abs(hash(message))}"
    lang = "zh" if "思考" in message else "en"
    start = f'/start_practice{{"scenario": "hotel_room", "seed": 3, "language": "{lang}"}}'
    chat(stack, conversation, start)
    answer = texts(chat(stack, conversation, message))
    judged = "Coach (turn 1)" in answer or "教练点评（第1轮）" in answer
    assert judged is not guess, answer


def test_practice_guess_and_give_up(stack: RunningStack) -> None:
    chat(stack, "e2e-practice-2", "开始练习 快递 简单")
    assert "社交型" in texts(chat(stack, "e2e-practice-2", "我猜是社交型"))
    ended = texts(chat(stack, "e2e-practice-2", "放弃"))
    assert "成绩单" in ended and "你结束了这次练习" in ended


@pytest.mark.stops_stack
def test_action_server_down_is_named_by_readyz(stack: RunningStack) -> None:
    """Stops the action server of the shared stack: the rest keeps running."""
    os.killpg(stack.pids["actions"], signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = httpx.get(f"{stack.api_url}/readyz")
        if response.status_code == 503:
            break
        time.sleep(0.2)
    assert response.status_code == 503
    components = response.json()["components"]
    assert components["action_server"]["ok"] is False
    assert components["rasa"]["ok"] is True
    # Rasa still answers. Without the action server the language slot cannot follow the
    # message, so the reply comes in the default language (Chinese).
    assert "超出" in texts(chat(stack, "e2e-degraded", "tell me a joke"))


@pytest.mark.stops_stack
def test_ctrl_c_stops_every_process(stack: RunningStack) -> None:
    """Runs last: stops the shared stack the way a user does, with Ctrl-C."""
    assert stack.stop() == 0
    for name, pid in stack.pids.items():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert stack.state_dir.joinpath("log", f"{name}.log").stat().st_size > 0


def test_only_the_api_can_write_into_a_conversation(stack: RunningStack) -> None:
    """Attack 6: Rasa's message webhook and the action server need the secrets the API holds."""
    message = {"sender": "web-999999-attack-probe", "message": "hello"}  # anyone's conversation
    webhook = f"{stack.rasa_url}/webhooks/coach/webhook"
    refused = httpx.post(webhook, json=message, timeout=30)
    assert refused.status_code == 401 and "X-Coach-Token" in refused.text
    assert httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=message).status_code == 404
    allowed = httpx.post(webhook, json=message, headers=stack.channel_headers, timeout=30)
    assert allowed.status_code == 200
    action = {"next_action": "action_start_practice", "sender_id": "x", "tracker": {}}
    assert httpx.post(f"{stack.actions_url}/webhook", json=action).status_code == 401
    assert httpx.get(f"{stack.actions_url}/health").status_code == 200


def test_everything_under_var_is_private(stack: RunningStack) -> None:
    """Attack 6: databases, tracker store, logs and secrets readable by their owner only."""
    loose = [
        str(path)
        for path in [stack.state_dir, *stack.state_dir.rglob("*")]
        if not path.is_symlink() and path.stat().st_mode & 0o077
    ]
    assert loose == []
