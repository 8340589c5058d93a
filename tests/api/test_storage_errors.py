"""A full disk gives a clear error; what was saved stays intact (a database that goes away:
tests/faults)."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, text

from tests.api.conftest import FakeRasa


def chat(client: TestClient, conversation_id: str) -> Any:
    return client.post("/api/v1/chat", json={"conversation_id": conversation_id, "message": "hi"})


def test_a_full_sqlite_disk_gives_507_and_keeps_what_was_saved(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    assert chat(client, "before").status_code == 200
    engine = client.app.state.database.engine  # type: ignore[attr-defined]

    def quota_reached(connection: Any, _record: Any) -> None:
        """SQLite's own page limit: the file may not grow, as on a full disk or quota."""
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", quota_reached)
    engine.dispose()
    answers = [chat(client, f"after-{index}") for index in range(300)]
    full = [answer for answer in answers if answer.status_code == 507]
    assert full, "the database never filled up"
    assert "storage is full" in full[0].json()["detail"]
    assert {answer.status_code for answer in answers} <= {200, 507}

    event.remove(engine, "connect", quota_reached)
    engine.dispose()
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    history = client.get("/api/v1/conversations/before/history")
    assert history.status_code == 200
    assert chat(client, "after-space-freed").status_code == 200
