"""An app wired to a fake Rasa through FastAPI's dependency overrides."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.deps import get_rasa_client
from api.main import create_app
from api.rasa_client import ComponentStatus, RasaUnavailable
from api.settings import Settings


@dataclass
class FakeRasa:
    """Records what the API forwards and answers like Rasa's REST channel would."""

    replies: list[dict[str, Any]] = field(default_factory=lambda: [{"text": "您好！"}])
    rankings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    down: bool = False
    received: list[tuple[str, str]] = field(default_factory=list)
    parsed: list[str] = field(default_factory=list)
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)  # conversation -> slots

    async def parse(self, text: str) -> list[dict[str, Any]]:
        if self.down:
            raise RasaUnavailable("ConnectError")
        self.parsed.append(text)
        return self.rankings.get(text, [{"name": "customer_neutral", "confidence": 1.0}])

    async def send_message(self, conversation_id: str, text: str) -> list[dict[str, Any]]:
        if self.down:
            raise RasaUnavailable("ConnectError")
        self.received.append((conversation_id, text))
        return self.replies

    async def slot(self, conversation_id: str, name: str) -> Any:
        if self.down:
            raise RasaUnavailable("ConnectError")
        return self.slots.get(conversation_id, {}).get(name)

    async def rasa_status(self) -> ComponentStatus:
        return ComponentStatus(not self.down, "model m.tar.gz loaded" if not self.down else "down")

    async def action_server_status(self) -> ComponentStatus:
        return ComponentStatus(True, "up")


def make_settings(**overrides: Any) -> Settings:
    return Settings(rasa_token=SecretStr("test-token"), **overrides)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(fake_rasa: FakeRasa) -> Iterator[TestClient]:
    app = create_app(make_settings())
    app.dependency_overrides[get_rasa_client] = lambda: fake_rasa
    with TestClient(app) as test_client:
        yield test_client
