"""The Rasa launcher must hand any generated token to `rasa run` intact."""

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rasa.__main__ import create_argument_parser

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "serve_rasa.py"


def load_launcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve_rasa", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "plain_token_123", "--double"])
def test_rasa_receives_the_whole_token(token: str) -> None:
    argv = load_launcher().rasa_argv(["--enable-api", "-i", "127.0.0.1", "-p", "5005"], token)

    parsed = create_argument_parser().parse_args(argv[1:])

    assert parsed.auth_token == token
    assert parsed.interface == "127.0.0.1"


class BrokenStore:
    """A tracker store whose database is down."""

    domain = None
    event_broker = None

    async def retrieve(self, sender_id: str) -> None:
        raise ConnectionError("database down")

    async def save(self, tracker: object) -> None:
        raise ConnectionError("database down")


def test_a_tracker_store_error_fails_the_request_instead_of_starting_over() -> None:
    """Rasa's own fail-safe store would answer "no tracker" and keep events in memory."""
    import asyncio

    from rasa.shared.core.trackers import DialogueStateTracker

    launcher = load_launcher()
    store = launcher.StrictTrackerStore(BrokenStore())
    with pytest.raises(ConnectionError):
        asyncio.run(store.retrieve("web-1-c1"))
    with pytest.raises(ConnectionError):
        asyncio.run(store.save(DialogueStateTracker("web-1-c1", slots=[])))


def test_postgresql_connections_are_checked_before_use() -> None:
    launcher = load_launcher()
    assert launcher.engine_kwargs_with_pre_ping("postgresql://u:p@127.0.0.1/db")["pool_pre_ping"]
    assert "pool_pre_ping" not in launcher.engine_kwargs_with_pre_ping("sqlite:///x.db")


def test_the_launcher_hardens_rasa_before_it_starts() -> None:
    import rasa.core.agent

    launcher = load_launcher()
    launcher.harden_tracker_store()
    assert rasa.core.agent.FailSafeTrackerStore is launcher.StrictTrackerStore


def _verdict(check: Callable[[Any, dict[str, Any]], bool], answer: dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    try:
        return check(RemoteAction("action_x", None), answer)
    except ValidationError as error:
        assert "Failed to validate Action server response" in error.message
        return False


@pytest.mark.parametrize(
    "answer",
    [
        {"events": [{"event": "slot", "name": "lang", "value": "zh"}], "responses": []},
        {"events": [{"event": "bot", "text": "hi"}]},
        {"events": [{"event": "no_such_event"}], "responses": []},
        {"events": "not a list"},
        {"events": [{"event": "slot"}], "responses": [1]},
    ],
)
def test_action_answers_are_judged_as_rasa_judges_them(answer: dict[str, Any]) -> None:
    """The kept validator accepts and rejects exactly what Rasa's own check does."""
    from rasa.core.actions.action import RemoteAction

    launcher = load_launcher()
    rasas = _verdict(RemoteAction._validate_action_result, answer)
    assert _verdict(launcher.validate_action_answer, answer) == rasas


def test_the_launcher_installs_the_kept_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.actions.action import RemoteAction

    launcher = load_launcher()
    rasas = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", rasas)
    launcher.speed_up_action_checks()
    assert RemoteAction._validate_action_result is launcher.validate_action_answer


def test_the_sqlite_tracker_store_writes_ahead(tmp_path: Path) -> None:
    import sqlalchemy

    launcher = load_launcher()
    launcher.harden_tracker_store()
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    engine.dispose()
    assert mode == "wal"
