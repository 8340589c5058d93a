"""Slack through the real stack: signed requests to the API, the trained Rasa model reading
the customer, answers delivered to a fake Slack server."""

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from testkit.fake_slack import (
    FakeSlack,
    block_action,
    event,
    relabel_choice,
    signed_headers,
    slash_command,
)
from testkit.stack import ROOT, RunningStack

pytestmark = pytest.mark.e2e

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def send(stack: RunningStack, body: str, content_type: str = FORM["Content-Type"]) -> None:
    headers = {"Content-Type": content_type, **signed_headers(body)}
    response = httpx.post(f"{stack.api_url}/slack/events", content=body, headers=headers, timeout=5)
    assert response.status_code == 200, response.text


def coach(stack: RunningStack, slack: FakeSlack, text: str, name: str) -> dict[str, Any]:
    send(stack, slash_command(text, slack.response_url(name)))
    return slack.wait_for(f"/response/{name}")[0].body


def shown(answer: dict[str, Any]) -> str:
    return json.dumps(answer.get("blocks", []), ensure_ascii=False) + str(answer.get("text", ""))


def test_chinese_customer_line_gets_a_power_card(stack: RunningStack, slack: FakeSlack) -> None:
    answer = coach(
        stack, slack, "我不想听解释，今天下午五点前必须修好，不然我找你们领导", "zh-read"
    )
    text = shown(answer)
    assert "权力型" in text and "可以这样说" in text and "别这样做" in text and "🔵" in text


def test_english_customer_line_gets_a_thinking_card(stack: RunningStack, slack: FakeSlack) -> None:
    line = "Before the visit, could you send the error log and the calibration data for review?"
    text = shown(coach(stack, slack, line, "en-read"))
    assert "thinking" in text.lower() and "Try saying" in text and "Avoid" in text


def test_type_card_and_draft_check(stack: RunningStack, slack: FakeSlack) -> None:
    assert "Social" in shown(coach(stack, slack, "social", "en-type"))
    checked = shown(coach(stack, slack, "check 权力型: 您先别激动，这是公司规定", "zh-check"))
    assert "公司规定" in checked and "*" in checked


def test_not_this_type_reaches_the_training_data_export(
    stack: RunningStack, slack: FakeSlack
) -> None:
    card = coach(stack, slack, "不好意思打扰了，你们方便的时候再来看看就行", "relabel-card")
    send(stack, block_action(relabel_choice(card, "thinking"), slack.response_url("relabel")))
    assert "思考型" in slack.wait_for("/response/relabel")[0].body["text"]
    exported = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "--database-url",
            f"sqlite:///{stack.state_dir / 'app.db'}",
            "export-relabels",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "customer_thinking" in exported and "你们方便的时候再来看看就行" in exported


def test_direct_message_answers_in_the_dm(stack: RunningStack, slack: FakeSlack) -> None:
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0E2E",
        "user": "U0E2E",
        "text": "hello",
        "ts": "1.0",
    }
    send(stack, event("EvE2E1", dm), "application/json")
    posted = next(
        item
        for item in slack.wait_for("/api/chat.postMessage")
        if item.body.get("channel") == "D0E2E"
    )
    assert posted.body["text"]
