"""POST /api/v1/review-reply: flags with spans and alternatives, feedback style, score."""

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient


def review(client: TestClient, **body: Any) -> httpx.Response:
    response: httpx.Response = client.post("/api/v1/review-reply", json=body)
    return response


def test_phrases_to_avoid_in_chinese(client: TestClient) -> None:
    reply = "请您别着急，我们马上处理，这是公司的规定"
    body = review(client, reply=reply).json()
    avoid = {flag["code"]: flag for flag in body["flags"] if flag["severity"] == "avoid"}
    assert set(avoid) == {"dismiss_emotion", "vague_time", "policy_excuse"}
    for flag in avoid.values():
        assert reply[flag["start"] : flag["end"]] == flag["text"]
        assert flag["better"] and flag["explanation"]
    assert body["lang"] == "zh"
    assert body["feedback_fits"] is None
    assert body["score"] < 30


def test_good_reply_for_a_power_customer(client: TestClient) -> None:
    body = review(
        client, reply="To sum up: on site by 10 am, and I'll personally follow it up.",
        customer_type="power",
    ).json()  # fmt: skip
    assert [flag for flag in body["flags"] if flag["severity"] == "avoid"] == []
    assert body["feedback_style"] == "summary" and body["feedback_fits"] is True
    assert body["score"] >= 80
    assert {"code": "feedback_fits", "points": 10} in body["reasons"]


def test_style_mismatch_needs_the_type(client: TestClient) -> None:
    codes = {
        flag["code"]
        for flag in review(client, reply="我觉得应该没问题", customer_type="thinking").json()[
            "flags"
        ]
    }
    assert "subjective" in codes
    codes = {flag["code"] for flag in review(client, reply="我觉得应该没问题").json()["flags"]}
    assert "subjective" not in codes


def test_markup_and_emoji_are_just_text(client: TestClient) -> None:
    reply = "<b>I don't know</b> 🙂"
    body = review(client, reply=reply).json()
    flag = next(flag for flag in body["flags"] if flag["code"] == "dont_know")
    assert reply[flag["start"] : flag["end"]] == "I don't know"


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"reply": ""}, "reply", "must not be empty"),
        ({"reply": "  "}, "reply", "empty or only whitespace"),
        ({"reply": "好" * 2001}, "reply", "limit is 2000 characters"),
        ({"reply": "ok", "customer_type": "angry"}, "customer_type", "power"),
        ({}, "reply", "required"),
    ],
)
def test_bad_input_names_the_problem(
    client: TestClient, body: dict[str, Any], field: str, problem: str
) -> None:
    response = review(client, **body)
    assert response.status_code == 422
    assert any(e["field"] == field and problem in e["problem"] for e in response.json()["errors"])
