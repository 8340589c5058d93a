"""Progress: score over time, flag frequency and type identification, per trainee."""

import re

from fastapi.testclient import TestClient

from api.settings import Settings
from tests.api.conftest import Account, FakeRasa, add_account
from tests.api.test_review_pages import session_for


def practice(client: TestClient, fake_rasa: FakeRasa, name: str, score: int, correct: bool) -> None:
    fake_rasa.replies = [
        {"text": "客户：…", "custom": {"kind": "practice_start", "scenario": "hotel_room"}}
    ]
    client.post("/api/v1/chat", json={"conversation_id": name, "message": "开始练习"})
    flag = {"code": "policy_excuse", "severity": "avoid", "start": 0, "end": 4, "text": "公司规定"}
    fake_rasa.replies = [
        {
            "text": "客户：…",
            "custom": {"kind": "practice_turn", "mood": 2, "analysis": {"flags": [flag]}},
        },
        {
            "text": "成绩单",
            "custom": {
                "kind": "practice_scorecard",
                "score": score,
                "customer_type": "thinking",
                "type_identified": {"guess": "thinking", "correct": correct, "turn": 1},
            },
        },
    ]
    client.post("/api/v1/chat", json={"conversation_id": name, "message": "这是公司规定"})


def figures(page: str) -> dict[str, str]:
    return dict(re.findall(r'id="(first-score|latest-score|type-accuracy)">([^<]+)<', page))


def test_trainee_progress_from_first_to_latest(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account, settings: Settings
) -> None:
    practice(client, fake_rasa, "p1", 48, False)
    practice(client, fake_rasa, "p2", 81, True)
    own, _ = session_for(client, trainee)
    page = own.get("/progress").text
    assert figures(page) == {"first-score": "48", "latest-score": "81", "type-accuracy": "50%"}
    assert "policy_excuse" in page and 'id="score-chart"' in page
    coach = add_account(settings.database_url, "wang", "coach", "north")
    assert (
        figures(session_for(client, coach)[0].get("/progress?trainee=li").text)["latest-score"]
        == "81"
    )
    outsider = add_account(settings.database_url, "zhang", "coach", "south")
    hidden = session_for(client, outsider)[0].get("/progress?trainee=li").text
    assert "first-score" not in hidden
