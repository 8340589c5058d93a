"""Run `rasa run ARGS...` with the API token read from the file COACH_RASA_TOKEN_FILE names.

Passing `--auth-token` on the command line would show the token to anyone who can run `ps`;
here it only enters this process's own argument list, after exec.

Four changes to Rasa 3.6, three of them to its tracker-store handling:
- Rasa wraps every tracker store in a fail-safe one that, on a database error, answers "no
  tracker" and keeps new events in process memory. With replicas and a shared store that
  silently starts the conversation over and loses the events. Here the error is raised
  instead: Rasa answers 500, the API tells the trainee the message was not processed, and
  nothing is half-saved.
- PostgreSQL connections are checked before use (`pool_pre_ping`), so after a database
  restart the stale pooled connections are replaced instead of failing a request.
- The embedded SQLite store of `make run` writes in SQLite's write-ahead-log mode: a save is
  one append and one fsync instead of a journal written, synced and deleted, equally durable.
- The action server's answers are checked with a validator built once. Rasa validates each
  answer with `jsonschema.validate`, which first re-checks the schema itself against the
  JSON-Schema meta-schema: that was half of Rasa's CPU time in a practice turn (three action
  calls per turn). Answers are judged by the same rules and a bad one fails with the same
  error.
"""

import logging
import os
import sqlite3
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import rasa.core.agent
import rasa.core.tracker_store
import sqlalchemy
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


class StrictTrackerStore(FailSafeTrackerStore):
    """Like Rasa's fail-safe store, but a database error fails the request."""

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._tracker_store.retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._tracker_store.save(tracker)


_rasa_engine_kwargs = rasa.core.tracker_store.create_engine_kwargs


def engine_kwargs_with_pre_ping(url: Any) -> dict[str, Any]:
    kwargs = _rasa_engine_kwargs(url)
    if rasa.core.tracker_store.is_postgresql_url(url):
        kwargs["pool_pre_ping"] = True
    return kwargs


def sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA journal_mode=WAL")


def harden_tracker_store() -> None:
    rasa.core.agent.FailSafeTrackerStore = StrictTrackerStore  # type: ignore[misc]
    rasa.core.tracker_store.create_engine_kwargs = engine_kwargs_with_pre_ping
    if not sqlalchemy.event.contains(sqlalchemy.engine.Engine, "connect", sqlite_write_ahead_log):
        sqlalchemy.event.listen(sqlalchemy.engine.Engine, "connect", sqlite_write_ahead_log)


@cache
def _action_answer_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_answer(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`, with the validator built once."""
    error = jsonschema.exceptions.best_match(_action_answer_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid."
        )
        raise error
    return True


def speed_up_action_checks() -> None:
    RemoteAction._validate_action_result = validate_action_answer  # type: ignore[method-assign]


def rasa_argv(args: list[str], token: str) -> list[str]:
    """The `rasa run` argument list; `--auth-token=` keeps a token that starts with "-" whole."""
    return ["rasa", "run", *args, f"--auth-token={token}"]


if __name__ == "__main__":
    token = Path(os.environ["COACH_RASA_TOKEN_FILE"]).read_text(encoding="utf-8").strip()
    if not token:
        raise SystemExit("the Rasa API token file is empty; delete it to generate a new token")
    sys.argv = rasa_argv(sys.argv[1:], token)
    harden_tracker_store()
    speed_up_action_checks()
    main()
