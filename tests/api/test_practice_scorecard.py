"""GET /api/v1/practice/{conversation_id}/scorecard."""

from fastapi.testclient import TestClient

from bot.practice_session import new_session, settings_with_defaults, take_turn
from bot.scorecard import build_scorecard
from tests.api.conftest import FakeRasa
from tests.bot.practice_scripts import STRONG


def finished_scorecard() -> dict[str, object]:
    session = new_session(
        settings_with_defaults(seed=5, lang="en", scenario="hotel_room", customer_type="social")
    )
    for reply in STRONG["social"]["en"]:
        if session["status"] == "active":
            session = take_turn(session, reply)
    return build_scorecard(session)


def test_scorecard_of_a_finished_session(client: TestClient, fake_rasa: FakeRasa) -> None:
    card = finished_scorecard()
    fake_rasa.slots["trainee-7"] = {"practice_scorecard": card}

    response = client.get("/api/v1/practice/trainee-7/scorecard")

    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "resolved"
    assert body["score"] == card["score"]
    assert len(body["improvements"]) <= 3


def test_no_finished_session_is_404_with_the_reason(client: TestClient) -> None:
    response = client.get("/api/v1/practice/nobody/scorecard")
    assert response.status_code == 404
    assert "no finished practice session" in response.json()["detail"]


def test_bot_down_is_503(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.down = True
    assert client.get("/api/v1/practice/trainee-7/scorecard").status_code == 503


def test_malformed_conversation_id_is_422(client: TestClient) -> None:
    assert client.get("/api/v1/practice/bad%20id!/scorecard").status_code == 422
