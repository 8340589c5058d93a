"""Exactly-once turns and admission control: a retry with the same message id is answered,
never processed twice; a full line answers 503 + Retry-After before anything reaches Rasa."""

import asyncio
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.admission import Admission, QueueFull
from api.auth.accounts import principal_for_token
from api.db.database import Database
from api.db.models import ApiToken, Conversation
from api.rasa_client import RasaTooSlow
from api.settings import Settings
from api.turns import _finish
from tests.api.conftest import Account, FakeRasa, sender

MESSAGE_ID = "0f7b6c1e-2a49-4d0e-9d3c-5b8a1e6f4c21"


def chat(client: TestClient, message: str, message_id: str | None = MESSAGE_ID) -> Any:
    body = {"conversation_id": "class-1", "message": message}
    if message_id:
        body["message_id"] = message_id
    return client.post("/api/v1/chat", json=body)


def test_a_retry_gets_the_first_answer_and_rasa_sees_the_message_once(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account
) -> None:
    first = chat(client, "你好")
    again = chat(client, "你好")
    assert first.status_code == again.status_code == 200
    assert again.json()["messages"] == first.json()["messages"]
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    assert fake_rasa.received == [(sender(trainee, "class-1"), "你好")]
    stored = fake_rasa.history[sender(trainee, "class-1")]
    assert stored[0]["metadata"] == {"message_id": MESSAGE_ID}  # the id travels into Rasa


def test_a_timed_out_turn_is_read_back_from_the_tracker(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa handled the message but answered after the deadline: the retry reads it back."""
    real_send = fake_rasa.send_message

    async def slow(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        await real_send(*args, **kwargs)  # processed and stored ...
        raise RasaTooSlow("ReadTimeout")  # ... but the answer came too late

    monkeypatch.setattr(fake_rasa, "send_message", slow)
    lost = chat(client, "我的订单到哪了？")
    assert lost.status_code == 503 and lost.json()["code"] == "rasa_too_slow"
    monkeypatch.setattr(fake_rasa, "send_message", real_send)
    retry = chat(client, "我的订单到哪了？")
    assert retry.status_code == 200 and retry.json()["replayed"] is True
    assert retry.json()["messages"][0]["text"] == "您好！"
    assert len(fake_rasa.received) == 1  # never handled twice


def test_a_retry_while_rasa_still_works_on_it_waits_instead_of_resending(
    client: TestClient, fake_rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        raise RasaTooSlow("ReadTimeout")  # taken, not stored yet

    monkeypatch.setattr(fake_rasa, "send_message", slow)
    assert chat(client, "hello").status_code == 503
    waiting = chat(client, "hello")
    assert waiting.status_code == 503 and waiting.json()["code"] == "still_processing"
    assert int(waiting.headers["retry-after"]) >= 1


def test_a_message_that_never_reached_rasa_is_sent_fresh_on_retry(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.down = True
    assert chat(client, "hello").json()["code"] == "rasa_unavailable"
    fake_rasa.down = False
    retry = chat(client, "hello")
    assert retry.status_code == 200 and retry.json()["replayed"] is False
    assert len(fake_rasa.received) == 1


def test_different_ids_are_different_messages(client: TestClient, fake_rasa: FakeRasa) -> None:
    assert chat(client, "好的", "message-aaaa-1").status_code == 200
    assert chat(client, "好的", "message-aaaa-2").status_code == 200
    assert len(fake_rasa.received) == 2


@pytest.mark.parametrize("message_id", ["short", "has space in it", "x" * 65, "ünïcode-id-1"])
def test_a_malformed_message_id_is_refused(client: TestClient, message_id: str) -> None:
    response = chat(client, "hello", message_id)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "message_id"


def test_a_full_line_answers_503_with_retry_after_before_rasa(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    client.app.state.admission = Admission(concurrency=1, queue_limit=0, max_wait_seconds=1)  # type: ignore[attr-defined]
    gate = client.app.state.admission  # type: ignore[attr-defined]

    async def hold() -> None:
        async with gate.turn("http://rasa-fake", "someone-else"):
            response = await asyncio.to_thread(chat, client, "hello")
            assert response.status_code == 503
            body = response.json()
            assert body["code"] == "queue_full" and "nothing was processed" in body["detail"]
            assert int(response.headers["retry-after"]) >= 1

    asyncio.run(hold())
    assert fake_rasa.received == []
    assert chat(client, "hello").status_code == 200  # the same id, now admitted


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_admission_keeps_a_conversations_turns_in_order_and_bounds_each_replica() -> None:
    async def scenario() -> tuple[list[str], int]:
        gate = Admission(concurrency=2, queue_limit=10, max_wait_seconds=5)
        order: list[str] = []
        peak = 0

        async def turn(conversation: str, label: str) -> None:
            nonlocal peak
            async with gate.turn("r1", conversation):
                peak = max(peak, gate._lines["r1"].in_flight)
                await asyncio.sleep(0.01)
                order.append(label)

        await asyncio.gather(
            *(turn("a", f"a{i}") for i in range(4)), *(turn(f"c{i}", "x") for i in range(6))
        )
        return [label for label in order if label.startswith("a")], peak

    a_turns, peak = run(scenario())
    assert a_turns == ["a0", "a1", "a2", "a3"] and peak == 2


def test_a_turn_that_waits_too_long_is_refused_not_lost() -> None:
    async def scenario() -> str:
        gate = Admission(concurrency=1, queue_limit=5, max_wait_seconds=0.05)
        async with gate.turn("r1", "a"):
            with pytest.raises(QueueFull) as refused:
                async with gate.turn("r1", "b"):
                    pass
        metrics = gate.metrics()
        assert 'coach_turns_refused_total{replica="r1"} 1' in metrics
        return refused.value.reason

    assert run(scenario()) == "queue_timeout"


def test_metrics_are_served_to_this_machine_only(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 404  # TestClient's host is not loopback
    local = TestClient(client.app, client=("127.0.0.1", 50000))
    response = local.get("/metrics")
    assert response.status_code == 200 and "coach_queue_depth" in response.text


def test_an_answer_stored_twice_counts_the_turn_once(
    client: TestClient, settings: Settings, trainee: Account
) -> None:
    """Two attempts of one id can both get an answer back (a retry read it from the
    tracker while the first was still on its way): the index counts one message."""
    first = chat(client, "你好")
    database = Database(settings.database_url)
    try:
        with database.session() as session, session.begin():
            conversation = session.scalars(
                select(Conversation).where(Conversation.user_id == trainee.user_id)
            ).one()
            _finish(session, conversation.id, MESSAGE_ID, first.json()["messages"])
        with database.session() as session:
            assert session.get_one(Conversation, conversation.id).messages == 1
    finally:
        database.dispose()


def test_a_token_records_its_last_use_at_most_once_a_minute(
    settings: Settings, trainee: Account
) -> None:
    """Shown to the minute on the admin page, so most authenticated calls write nothing."""
    database = Database(settings.database_url)
    token = trainee.token
    try:
        with database.session() as session, session.begin():
            assert principal_for_token(session, token) is not None
        with database.session() as session, session.begin():
            stored = session.scalars(select(ApiToken).where(ApiToken.user_id == trainee.user_id))
            first_use = stored.one().last_used_at
            assert first_use is not None
            assert principal_for_token(session, token) is not None
            assert not session.dirty  # a second call within the minute changes nothing
    finally:
        database.dispose()
