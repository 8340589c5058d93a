"""The Slack integration through signed requests, with Slack and Rasa played by fakes."""

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.db.database import Database
from api.db.relabels import relabels_as_nlu_yaml
from api.deps import get_rasa_client
from api.main import create_app
from bot.coaching_card import coaching_card, type_tips_card
from bot.customer_reading import line_scores, read_conversation
from bot.evidence import evidence_for
from bot.language import Lang
from bot.reply_analyzer import reply_analyzer
from bot.review_card import review_card
from testkit.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    block_action,
    card_control,
    event,
    fake_slack_server,
    relabel_choice,
    signed_headers,
    slash_command,
    view_submission,
)
from tests.api.conftest import FakeRasa, make_settings

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with fake_slack_server(port) as server:
        yield server


@pytest.fixture
def client(slack: FakeSlack, fake_rasa: FakeRasa) -> Iterator[TestClient]:
    slack.received.clear()
    settings = make_settings(
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=slack.api_url,
    )
    app = create_app(settings)
    app.dependency_overrides[get_rasa_client] = lambda: fake_rasa
    with TestClient(app) as test_client:
        yield test_client


def post(client: TestClient, body: str, content_type: dict[str, str] = FORM, **headers: str) -> Any:
    return client.post(
        "/slack/events", content=body, headers={**content_type, **signed_headers(body), **headers}
    )


def power_card(lang: Lang) -> dict[str, Any]:
    """What the bot answers to a power customer's line: text and the card payload."""
    line = "今天必须修好，别跟我解释" if lang == "zh" else "Fix it today, no excuses"
    ranking = [
        {"name": "customer_power", "confidence": 0.91},
        {"name": "customer_thinking", "confidence": 0.05},
        {"name": "customer_social", "confidence": 0.03},
        {"name": "customer_harmonious", "confidence": 0.01},
    ]
    reading = read_conversation([line_scores(ranking)])
    card = coaching_card(reading, evidence_for([(line, lang)], reading.customer_type), 1, lang)
    return {"recipient_id": "x", "text": card.text, "custom": card.payload}


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@pytest.mark.parametrize(
    ("lang", "customer_line", "expected"),
    [
        (
            "zh",
            "客户说：今天必须修好，别跟我解释",
            ["权力型", "可以这样说", "别这样做", "反馈方式", "检查我的回复", "分享到频道"],
        ),
        (
            "en",
            "Fix it today, no excuses",
            ["power", "Try saying", "Avoid", "Feedback", "Check my reply", "Share to channel"],
        ),
    ],
)
def test_slash_command_answers_with_a_card_in_the_language_of_the_text(
    client: TestClient,
    slack: FakeSlack,
    fake_rasa: FakeRasa,
    lang: Lang,
    customer_line: str,
    expected: list[str],
) -> None:
    fake_rasa.replies = [power_card(lang)]
    response = post(client, slash_command(customer_line, slack.response_url(lang)))
    assert response.status_code == 200
    answer = slack.wait_for(f"/response/{lang}")[0].body
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    text = all_text(answer["blocks"])
    for word in expected:
        assert word.lower() in text.lower(), word
    assert "🔵" in text  # the 2×2 marker
    sections = [b for b in answer["blocks"] if b["type"] == "section"]
    bullets = [s["text"]["text"] for s in sections if s["text"]["text"].count("•") == 3]
    assert len(bullets) == 2  # three phrasings, three things to avoid
    assert fake_rasa.received[-1][1] == customer_line
    assert fake_rasa.received[-1][0].startswith("slack-cmd-")


def test_type_name_asks_rasa_for_the_type_card(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    card = type_tips_card("thinking", "zh")
    fake_rasa.replies = [{"text": card.text, "custom": card.payload}]
    post(client, slash_command("思考型", slack.response_url("tips")))
    answer = slack.wait_for("/response/tips")[0].body
    assert "思考型" in all_text(answer["blocks"])
    assert json.loads(fake_rasa.received[-1][1].removeprefix("/ask_type_tips")) == {
        "customer_type": "thinking",
        "language": "zh",
    }


def test_check_command_highlights_the_problems(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    draft = "It's company policy, calm down."
    text, payload = review_card(reply_analyzer().analyze(draft, "thinking"), "thinking", "en")
    fake_rasa.replies = [{"text": text, "custom": payload}]
    post(client, slash_command(f"check thinking: {draft}", slack.response_url("check")))
    answer = slack.wait_for("/response/check")[0].body
    shown = all_text(answer["blocks"])
    assert "*company policy*" in shown or "*It's company policy*" in shown
    sent = json.loads(fake_rasa.received[-1][1].removeprefix("/submit_reply"))
    assert sent == {"draft": draft, "customer_type": "thinking", "language": "en"}


def test_help_needs_no_rasa(client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa) -> None:
    post(client, slash_command("help", slack.response_url("help")))
    assert "/coach check" in slack.wait_for("/response/help")[0].body["blocks"][0]["text"]["text"]
    assert fake_rasa.received == []


def test_rasa_down_gives_an_ephemeral_error_within_3_s(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    fake_rasa.down = True
    started = time.monotonic()
    response = post(client, slash_command("客户很急", slack.response_url("down")))
    assert response.status_code == 200
    answer = slack.wait_for("/response/down", timeout=3)[0]
    assert answer.at - started < 3
    assert "连不上" in answer.body["text"]


def test_too_long_text_names_the_limit(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    post(client, slash_command("x" * 2001, slack.response_url("long")))
    assert "2000" in slack.wait_for("/response/long")[0].body["text"]
    assert fake_rasa.received == []


def test_bad_signature_is_refused(client: TestClient, fake_rasa: FakeRasa) -> None:
    body = slash_command("hello", "http://127.0.0.1:9/response")
    headers = {**FORM, **signed_headers(body, secret="wrong-secret")}
    assert client.post("/slack/events", content=body, headers=headers).status_code == 401
    assert fake_rasa.received == []


def test_stale_timestamp_is_refused(client: TestClient, fake_rasa: FakeRasa) -> None:
    body = slash_command("hello", "http://127.0.0.1:9/response")
    headers = {**FORM, **signed_headers(body, timestamp=int(time.time()) - 6 * 60)}
    assert client.post("/slack/events", content=body, headers=headers).status_code == 401
    assert fake_rasa.received == []


def test_unsigned_request_is_refused(client: TestClient) -> None:
    assert client.post("/slack/events", content="command=/coach", headers=FORM).status_code == 401


def test_share_posts_the_card_in_channel(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = [power_card("en")]
    post(client, slash_command("Fix it today, no excuses", slack.response_url("card")))
    card = slack.wait_for("/response/card")[0].body
    share = card_control(card, "coach_share")
    post(client, block_action(share, slack.response_url("share")))
    shared = slack.wait_for("/response/share")[0].body
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    text = all_text(shared["blocks"])
    assert "power" in text.lower() and "<@U0AGENT>" in text and "coach_share" not in text


def test_not_this_type_stores_a_relabel_for_the_training_data(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = [power_card("zh")]
    fake_rasa.intent = "customer_power"
    post(client, slash_command("今天必须修好，别跟我解释", slack.response_url("card")))
    card = slack.wait_for("/response/card")[0].body
    action = relabel_choice(card, "thinking")
    post(client, block_action(action, slack.response_url("relabel")))
    assert "思考型" in slack.wait_for("/response/relabel")[0].body["text"]
    database = Database(str(client.app.state.settings.database_url))  # type: ignore[attr-defined]
    with database.session() as session:
        exported = relabels_as_nlu_yaml(session)
    assert "intent: customer_thinking" in exported and "今天必须修好，别跟我解释" in exported


def test_check_my_reply_opens_a_modal_and_shows_the_analysis(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    button = {
        "action_id": "coach_check_reply",
        "type": "button",
        "value": json.dumps({"c": "slack-cmd-1", "t": "social", "l": "en"}),
    }
    post(client, block_action(button, slack.response_url("unused")))
    modal = slack.wait_for("/api/views.open")[0].body
    view = json.loads(modal["view"]) if isinstance(modal["view"], str) else modal["view"]
    assert view["callback_id"] == "coach_check_reply"
    draft = "Calm down, it's company policy."
    text, payload = review_card(reply_analyzer().analyze(draft, "social"), "social", "en")
    fake_rasa.replies = [{"text": text, "custom": payload}]
    response = post(
        client, view_submission("coach_check_reply", json.loads(view["private_metadata"]), draft)
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_action"] == "update"
    assert "*Calm down*" in all_text(answer["view"]["blocks"])


def test_modal_submission_with_rasa_down_keeps_the_draft_and_says_why(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.down = True
    response = post(
        client, view_submission("coach_check_reply", {"t": "power", "l": "en"}, "ok sure")
    )
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert "can't be reached" in answer["errors"]["draft"]


def dm(event_id: str, text: str, **extra: Any) -> str:
    return event(
        event_id,
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D0AGENT",
            "user": "U0AGENT",
            "text": text,
            "ts": "1700000000.000100",
            **extra,
        },
    )


JSON = {"Content-Type": "application/json"}


def test_a_direct_message_talks_to_one_conversation_per_user(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = [{"text": "您好！我是你的沟通教练。"}]
    post(client, dm("Ev1", "你好"), JSON)
    post(client, dm("Ev2", "帮助"), JSON)
    posted = slack.wait_for("/api/chat.postMessage", count=2)
    assert [p.body["channel"] for p in posted] == ["D0AGENT", "D0AGENT"]
    assert {conversation for conversation, _ in fake_rasa.received} == {"slack-dm-T0TEST-U0AGENT"}


def test_a_retried_event_is_answered_once(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    post(client, dm("EvRetry", "你好"), JSON)
    post(
        client,
        dm("EvRetry", "你好"),
        JSON,
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    slack.wait_for("/api/chat.postMessage")
    time.sleep(0.3)
    assert len(slack.at("/api/chat.postMessage")) == 1
    assert len(fake_rasa.received) == 1


def test_bot_messages_are_ignored(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    post(client, dm("EvBot", "echo", bot_id="BOTHER", subtype="bot_message"), JSON)
    time.sleep(0.3)
    assert fake_rasa.received == [] and slack.at("/api/chat.postMessage") == []


def test_a_mention_in_a_thread_answers_in_that_thread(
    client: TestClient, slack: FakeSlack, fake_rasa: FakeRasa
) -> None:
    mention = {
        "type": "app_mention",
        "channel": "C0FLOOR",
        "user": "U0AGENT",
        "text": "<@UBOT> 开始练习",
        "ts": "1700000001.000200",
        "thread_ts": "1700000000.000100",
    }
    post(client, event("EvMention", mention), JSON)
    posted = slack.wait_for("/api/chat.postMessage")[0].body
    assert posted["thread_ts"] == "1700000000.000100"
    assert fake_rasa.received == [("slack-thread-T0TEST-C0FLOOR-1700000000.000100", "开始练习")]


def test_without_slack_settings_the_route_is_off() -> None:
    app = create_app(make_settings())
    with TestClient(app) as plain:
        assert plain.post("/slack/events", content="{}", headers=JSON).status_code == 404


def test_slow_rasa_gives_the_error_before_slack_gives_up(slack: FakeSlack) -> None:
    """A Rasa that accepts the connection and never answers: the agent still hears back."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections queue up; nothing ever answers them
        settings = make_settings(
            rasa_url=f"http://127.0.0.1:{silent.getsockname()[1]}",
            slack_bot_token=SecretStr(BOT_TOKEN),
            slack_signing_secret=SecretStr(SIGNING_SECRET),
            slack_api_url=slack.api_url,
            slack_rasa_timeout_seconds=1.0,
        )
        with TestClient(create_app(settings)) as client:
            started = time.monotonic()
            post(client, slash_command("Fix it today", slack.response_url("slow")))
            answer = slack.wait_for("/response/slow", timeout=3)[0]
    assert 1.0 <= answer.at - started < 3
    assert "can't be reached" in answer.body["text"]
