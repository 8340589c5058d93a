"""POST /api/v1/classify: type, confidence, scores, axes, evidence, language and limits."""

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.customer_reading import calibrated
from tests.api.conftest import FakeRasa


def ranking(top: str, confidence: float) -> list[dict[str, Any]]:
    names = ["customer_power", "customer_social", "customer_harmonious", "customer_thinking"]
    rest = (1 - confidence) / 3
    return [{"name": top, "confidence": confidence}] + [
        {"name": name, "confidence": rest} for name in names if name != top
    ]


def classify(client: TestClient, **body: Any) -> httpx.Response:
    response: httpx.Response = client.post("/api/v1/classify", json=body)
    return response


def test_one_chinese_line(client: TestClient, fake_rasa: FakeRasa) -> None:
    text = "别跟我绕弯子，工程师今天几点能到？"
    fake_rasa.rankings[text] = ranking("customer_power", 0.93)
    body = classify(client, text=text).json()
    assert body["customer_type"] == "power"
    # The model's raw 0.93 is softened by the calibration chosen on cross-validation.
    raw = {
        name.removeprefix("customer_"): e["confidence"]
        for e in ranking("customer_power", 0.93)
        for name in [e["name"]]
    }
    assert body["confidence"] == pytest.approx(calibrated(raw)["power"], abs=1e-3)
    assert 0.6 < body["confidence"] < 0.93
    assert set(body["scores"]) == {"power", "social", "harmonious", "thinking"}
    assert body["axes"]["directness"] > 0.3 and body["axes"]["orientation"] < -0.3
    assert body["lang"] == "zh"
    assert [item["text"] for item in body["evidence"]] == ["别跟我", "绕弯子", "几点"]
    assert all(item["type"] == "power" for item in body["evidence"])
    assert fake_rasa.parsed == [text]


def test_english_line_with_language_detected(client: TestClient, fake_rasa: FakeRasa) -> None:
    text = "Sorry to bother you, no rush at all"
    fake_rasa.rankings[text] = ranking("customer_harmonious", 0.88)
    body = classify(client, text=text).json()
    assert (body["customer_type"], body["lang"]) == ("harmonious", "en")
    words = [item["text"] for item in body["evidence"]]
    assert "Sorry to bother" in words and "no rush" in words


def test_conversation_reading_with_trail(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.rankings["设备坏了"] = [{"name": "customer_neutral", "confidence": 0.95}]
    fake_rasa.rankings["请问报警代码对应哪个模块？"] = ranking("customer_thinking", 0.96)
    fake_rasa.rankings["能否提供维修记录"] = ranking("customer_thinking", 0.95)
    body = classify(
        client, turns=["设备坏了", "请问报警代码对应哪个模块？", "能否提供维修记录"]
    ).json()
    assert body["customer_type"] == "thinking"
    assert [point["customer_type"] for point in body["trail"]] == [
        "undetermined",
        "thinking",
        "thinking",
    ]
    assert {item["turn"] for item in body["evidence"]} == {1, 2}


@pytest.mark.parametrize("text", ["😡😡😡", "？？！！", "配送が遅れています", "Где мой заказ?"])
def test_no_usable_text_is_undetermined_without_guessing(
    client: TestClient, fake_rasa: FakeRasa, text: str
) -> None:
    response = classify(client, text=text)
    assert response.status_code == 200
    body = response.json()
    assert body["customer_type"] == "undetermined"
    assert body["scores"] == dict.fromkeys(["power", "social", "harmonious", "thinking"], 0.25)
    assert fake_rasa.parsed == []


def test_markup_is_treated_as_text(client: TestClient, fake_rasa: FakeRasa) -> None:
    text = "<script>alert(1)</script> I want it fixed today"
    fake_rasa.rankings[text] = ranking("customer_power", 0.9)
    body = classify(client, text=text).json()
    assert fake_rasa.parsed == [text]
    for item in body["evidence"]:
        assert text[item["start"] : item["end"]] == item["text"]


def test_given_language_is_used(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.rankings["OK 好的"] = ranking("customer_harmonious", 0.7)
    assert classify(client, text="OK 好的", lang="en").json()["lang"] == "en"


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"text": ""}, "text", "must not be empty"),
        ({"text": "   "}, "text", "empty or only whitespace"),
        ({"text": "好" * 2001}, "text", "limit is 2000 characters"),
        ({"turns": ["a"] * 21}, "turns", "limit is 20"),
        ({"turns": ["ok", "x" * 2001]}, "turns.1", "limit is 2000 characters"),
        ({"turns": []}, "turns", "at least 1"),
        ({}, "body", "either 'text' or 'turns'"),
        ({"text": "a", "turns": ["b"]}, "body", "either 'text' or 'turns'"),
        ({"text": "hi", "lang": "fr"}, "lang", "'zh' or 'en'"),
    ],
)
def test_bad_input_names_the_problem(
    client: TestClient, fake_rasa: FakeRasa, body: dict[str, Any], field: str, problem: str
) -> None:
    response = classify(client, **body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and problem in e["problem"] for e in errors), errors
    assert fake_rasa.parsed == []


def test_rasa_down_gives_503(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.down = True
    assert classify(client, text="我要今天修好").status_code == 503


def test_schema_documents_examples(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/classify"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert {"one line (Chinese)", "one line (English)", "conversation"} <= set(examples)
