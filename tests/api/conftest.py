"""An app wired to a fake Rasa through FastAPI's dependency overrides, on a fresh database."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine, select, text

from api.auth.accounts import create_team, create_token, create_user
from api.conversations import rasa_sender
from api.db.database import Database
from api.db.migrate import upgrade
from api.db.models import Team
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
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # conversation -> events
    intent: str = "customer_neutral"  # how the NLU reads what the fake receives
    actions_down: bool = False  # Rasa up, its action server not: custom actions answer nothing

    async def parse(self, text: str) -> list[dict[str, Any]]:
        if self.down:
            raise RasaUnavailable("ConnectError")
        self.parsed.append(text)
        return self.rankings.get(text, [{"name": "customer_neutral", "confidence": 1.0}])

    def replica_for(self, conversation_id: str) -> str:
        return "http://rasa-fake"

    async def send_message(
        self,
        conversation_id: str,
        text: str,
        timeout: float | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        if self.down:
            raise RasaUnavailable("ConnectError")
        self.received.append((conversation_id, text))
        self.history.setdefault(conversation_id, []).append(
            {
                "event": "user",
                "text": text,
                "metadata": metadata or {},
                "parse_data": {
                    "intent": {"name": self.intent, "confidence": 0.9},
                    "intent_ranking": [
                        {"name": self.intent, "confidence": 0.9},
                        {"name": "customer_thinking", "confidence": 0.1},
                    ],
                },
            }
        )
        if self.actions_down:
            return []
        self.history[conversation_id] += [
            {"event": "bot", "text": reply.get("text"), "data": {"custom": reply.get("custom")}}
            for reply in self.replies
        ]
        return self.replies

    async def events(
        self, conversation_id: str, whole_history: bool = False
    ) -> list[dict[str, Any]]:
        if self.down:
            raise RasaUnavailable("ConnectError")
        events = self.history.get(conversation_id, [])
        restarts = [i for i, event in enumerate(events) if event.get("event") == "restart"]
        return events if whole_history or not restarts else events[restarts[-1] :]

    async def slot(self, conversation_id: str, name: str) -> Any:
        if self.down:
            raise RasaUnavailable("ConnectError")
        return self.slots.get(conversation_id, {}).get(name)

    async def rasa_status(self) -> ComponentStatus:
        return ComponentStatus(not self.down, "model m.tar.gz loaded" if not self.down else "down")

    async def action_server_status(self) -> ComponentStatus:
        return ComponentStatus(not self.actions_down, "down" if self.actions_down else "up")


@cache
def _migrated_template() -> Path:
    """One migrated database per test run; each app gets its own copy."""
    path = Path(tempfile.mkdtemp(prefix="coach-db-")) / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def fresh_database_url() -> str:
    """A migrated, empty database: a copy of the SQLite template, or, when
    COACH_TEST_DATABASE_URL names a PostgreSQL database, that database wiped and migrated."""
    server = os.environ.get("COACH_TEST_DATABASE_URL")
    if server:
        engine = create_engine(server)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(server)
        return server
    copy = Path(tempfile.mkdtemp(prefix="coach-db-")) / "app.db"
    shutil.copyfile(_migrated_template(), copy)
    return f"sqlite:///{copy}"


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": fresh_database_url(), **overrides}
    return Settings(rasa_token=SecretStr("test-token"), **values)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@dataclass(frozen=True)
class Account:
    name: str
    user_id: int
    password: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_account(
    database_url: str, name: str, role: str = "trainee", team: str | None = None
) -> Account:
    """A user with a password and a personal API token, written straight to the database."""
    database = Database(database_url)
    password = f"{name}-password-123"
    try:
        with database.session() as session, session.begin():
            if team is not None and session.scalar(select(Team).where(Team.name == team)) is None:
                create_team(session, team)
            user = create_user(session, name, role, password, team)
            return Account(name, user.id, password, create_token(session, user, "tests"))
    finally:
        database.dispose()


def sender(account: Account, conversation_id: str) -> str:
    """The Rasa conversation behind a user's conversation id."""
    return rasa_sender(account.user_id, conversation_id)


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
def trainee(settings: Settings) -> Account:
    return add_account(settings.database_url, "li", "trainee", "north")


@pytest.fixture
def client(settings: Settings, fake_rasa: FakeRasa, trainee: Account) -> Iterator[TestClient]:
    """Signed in as the trainee `li` with an API token."""
    app = create_app(settings)
    app.dependency_overrides[get_rasa_client] = lambda: fake_rasa
    with TestClient(app, headers=trainee.auth) as test_client:
        yield test_client
