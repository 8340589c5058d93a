"""GET /api/v1/practice/{conversation_id}/scorecard."""

from fastapi.testclient import TestClient

from api.settings import Settings
from bot.payloads import ScorecardPayload
from bot.practice_session import new_session, settings_with_defaults, take_turn
from bot.scorecard import build_scorecard
from testkit.practice_scripts import script
from tests.api.conftest import Account, FakeRasa, add_account, sender


def finished_scorecard() -> ScorecardPayload:
    session = new_session(
        settings_with_defaults(seed=5, lang="en", scenario="hotel_room", customer_type="social")
    )
    for reply in script("hotel_room", "social", "en"):
        if session["status"] == "active":
            session = take_turn(session, reply, "en")
    return build_scorecard(session)


def start(client: TestClient, conversation_id: str = "trainee-7") -> None:
    chat = {"conversation_id": conversation_id, "message": "开始练习"}
    assert client.post("/api/v1/chat", json=chat).status_code == 200


def test_scorecard_of_a_finished_session(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account
) -> None:
    card = finished_scorecard()
    start(client)
    fake_rasa.slots[sender(trainee, "trainee-7")] = {"practice_scorecard": card}

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


def test_another_trainees_scorecard_is_404(
    client: TestClient, settings: Settings, fake_rasa: FakeRasa, trainee: Account
) -> None:
    start(client)
    fake_rasa.slots[sender(trainee, "trainee-7")] = {"practice_scorecard": finished_scorecard()}
    other = add_account(settings.database_url, "zhou")
    response = client.get("/api/v1/practice/trainee-7/scorecard", headers=other.auth)
    assert response.status_code == 404


def test_bot_down_is_503(client: TestClient, fake_rasa: FakeRasa) -> None:
    start(client)
    fake_rasa.down = True
    assert client.get("/api/v1/practice/trainee-7/scorecard").status_code == 503


def test_malformed_conversation_id_is_422(client: TestClient) -> None:
    assert client.get("/api/v1/practice/bad%20id!/scorecard").status_code == 422
