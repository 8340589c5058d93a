"""/healthz says the process is up; /readyz says which part of the stack is down."""

import pytest
from fastapi.testclient import TestClient

from api import main
from bot.knowledge_loader import KnowledgeError
from tests.api.conftest import FakeRasa, make_settings


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_ready_when_rasa_and_actions_answer(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_not_ready_names_the_failing_part(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.down = True
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["components"]["rasa"] == {"ok": False, "detail": "down"}
    assert body["components"]["action_server"]["ok"] is True


def test_api_refuses_to_start_with_broken_knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise KnowledgeError("bot/knowledge/playbook/power.yml, line 3 (why): expected text")

    monkeypatch.setattr(main, "check_knowledge", broken)
    with pytest.raises(KnowledgeError, match=r"power\.yml, line 3"):
        main.create_app(make_settings())
