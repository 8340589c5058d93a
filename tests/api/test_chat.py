"""POST /api/v1/chat forwards one message to Rasa and returns the bot's messages."""

import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.db.database import Database
from api.main import create_app
from api.rasa_client import RasaTooSlow
from api.settings import Settings
from tests.api.conftest import Account, FakeRasa, add_account, make_settings, sender


def post(
    client: TestClient, message: object, conversation_id: object = "trainee-1"
) -> httpx.Response:
    response: httpx.Response = client.post(
        "/api/v1/chat", json={"conversation_id": conversation_id, "message": message}
    )
    return response


def test_forwards_message_and_returns_bot_messages(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account
) -> None:
    fake_rasa.replies = [{"text": "您好！", "recipient_id": "trainee-1"}, {"text": "second"}]
    response = post(client, "你好")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "conversation_id": "trainee-1",
        "message_id": body["message_id"],  # none sent: a fresh one for this message
        "messages": [{"text": "您好！"}, {"text": "second"}],
        "replayed": False,
    }
    assert fake_rasa.received == [(sender(trainee, "trainee-1"), "你好")]


def test_emoji_and_markup_pass_through_untouched(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account
) -> None:
    text = "<script>alert(1)</script> 😡 我的柜子尺寸不对"
    assert post(client, text).status_code == 200
    assert fake_rasa.received == [(sender(trainee, "trainee-1"), text)]


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_empty_message_is_refused_with_a_clear_reason(
    client: TestClient, fake_rasa: FakeRasa, message: str
) -> None:
    response = post(client, message)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "message"
    assert "empty" in body["detail"]
    assert fake_rasa.received == []


def test_message_over_the_limit_names_the_limit(client: TestClient, fake_rasa: FakeRasa) -> None:
    response = post(client, "好" * 2001)
    assert response.status_code == 422
    assert "2000 characters" in response.json()["detail"]
    assert "好好好" not in response.text  # the input is not echoed back
    assert fake_rasa.received == []


def test_message_at_the_limit_is_accepted(client: TestClient) -> None:
    assert post(client, "好" * 2000).status_code == 200


def test_malformed_json_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/chat",
        content=b'{"conversation_id": "a", "message": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"]


@pytest.mark.parametrize("payload", [{}, {"message": "hi"}, {"conversation_id": "a"}, []])
def test_missing_fields_are_named(client: TestClient, payload: object) -> None:
    response = client.post("/api/v1/chat", json=payload)
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.parametrize("conversation_id", ["", "a b", "x" * 129, "../etc", 42])
def test_bad_conversation_id_is_refused(client: TestClient, conversation_id: object) -> None:
    response = post(client, "hi", conversation_id)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "conversation_id"


def test_huge_body_is_refused_before_it_is_read(client: TestClient, fake_rasa: FakeRasa) -> None:
    response = client.post(
        "/api/v1/chat",
        content=b'{"conversation_id": "a", "message": "' + b"x" * 100_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "16384 bytes" in response.json()["detail"]
    assert fake_rasa.received == []


def test_rasa_down_gives_503_with_a_clear_message(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.down = True
    response = post(client, "你好")
    assert response.status_code == 503
    assert "not reachable" in response.json()["detail"]


def test_unreachable_rasa_answers_503_quickly_without_override() -> None:
    """The real client against a closed port: a prompt 503, not a hang or a 500."""
    settings = make_settings(rasa_url="http://127.0.0.1:9", action_server_url="http://127.0.0.1:9")
    account = add_account(settings.database_url, "zhao")
    with TestClient(create_app(settings), headers=account.auth) as client:
        started = time.monotonic()
        response = post(client, "hello")
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert elapsed < 5
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["components"]["rasa"]["ok"] is False


def test_without_a_session_or_token_every_api_route_is_401(client: TestClient) -> None:
    anonymous = {"Authorization": ""}
    for method, path in [
        ("POST", "/api/v1/chat"),
        ("POST", "/api/v1/classify"),
        ("POST", "/api/v1/review-reply"),
        ("GET", "/api/v1/types/power"),
        ("GET", "/api/v1/practice/trainee-1/scorecard"),
    ]:
        response = client.request(method, path, json={}, headers=anonymous)
        assert response.status_code == 401, path
        assert "Log in" in response.json()["detail"]


def test_a_wrong_token_is_401(client: TestClient, fake_rasa: FakeRasa) -> None:
    response = client.post(
        "/api/v1/chat",
        json={"conversation_id": "x", "message": "你好"},
        headers={"Authorization": "Bearer coach_not-a-real-token"},
    )
    assert response.status_code == 401
    assert fake_rasa.received == []


def test_two_trainees_with_the_same_id_have_separate_conversations(
    client: TestClient, settings: Settings, fake_rasa: FakeRasa, trainee: Account
) -> None:
    other = add_account(settings.database_url, "zhou")
    post(client, "你好", "shared-id")
    client.post(
        "/api/v1/chat",
        json={"conversation_id": "shared-id", "message": "hello"},
        headers=other.auth,
    )
    assert [conversation for conversation, _ in fake_rasa.received] == [
        sender(trainee, "shared-id"),
        sender(other, "shared-id"),
    ]


def test_openapi_documents_the_bearer_token(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert {"HTTPBearer": []} in schema["paths"]["/api/v1/chat"]["post"]["security"]


def test_action_server_down_gives_a_clear_coach_unavailable_error(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.actions_down = True
    response = post(client, "设备又坏了")
    assert response.status_code == 503
    assert "coach is unavailable" in response.json()["detail"]
    fake_rasa.actions_down = False
    resumed = post(client, "设备又坏了")
    assert resumed.status_code == 200
    assert resumed.json()["messages"][0]["text"] == "您好！"


def test_an_empty_answer_from_rasa_is_an_error_not_silence(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    """Rasa's REST channel answers [] when the message failed inside Rasa (lock store down)."""
    fake_rasa.replies = []
    response = post(client, "设备又坏了")
    assert response.status_code == 503
    assert "not processed" in response.json()["detail"]


def test_a_slow_bot_does_not_claim_the_message_was_lost(
    client: TestClient, fake_rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def too_slow(*_: object, **__: object) -> None:
        raise RasaTooSlow("ReadTimeout")

    monkeypatch.setattr(fake_rasa, "send_message", too_slow)
    response = post(client, "设备又坏了")
    assert response.status_code == 503
    assert "may still be in progress" in response.json()["detail"]


def test_every_rasa_failure_has_one_answer_in_the_asked_language(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    """The same failure reads the same on every route; Chinese when the page asks for it."""
    fake_rasa.down = True
    chat = client.post(
        "/api/v1/chat",
        json={"conversation_id": "li-1", "message": "你好"},
        headers={"Accept-Language": "zh"},
    )
    classify = client.post("/api/v1/classify", json={"text": "今天修好"})
    assert chat.status_code == classify.status_code == 503
    assert chat.json()["code"] == classify.json()["code"] == "rasa_unavailable"
    assert "连不上" in chat.json()["detail"]
    assert "not reachable" in classify.json()["detail"]


def test_a_turn_takes_two_database_transactions(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caller check and id claim share one transaction, the answer is stored in a second:
    no separate round for authentication (the chat router only asks for credentials)."""
    post(client, "你好")  # the conversation exists from here on
    calls: list[str] = []
    original = Database.run

    async def counting(self: Database, work: Any) -> Any:
        calls.append(getattr(work, "__qualname__", "?"))
        return await original(self, work)

    monkeypatch.setattr(Database, "run", counting)
    assert post(client, "第二句").status_code == 200
    assert len(calls) == 2, calls
