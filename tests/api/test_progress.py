"""Progress: score over time, flag frequency and type identification, per trainee."""

import re

from fastapi.testclient import TestClient

from api.settings import Settings
from bot.scenarios import scenario_names
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
    assert "拿规定当挡箭牌" in page and "policy_excuse" not in page  # flags in words
    assert 'id="score-chart"' in page and "练习日期（月-日）" in page  # a dated, labelled axis
    assert re.findall(r'class="axis-label date">(\d\d-\d\d)<', page)
    for chart in ("skill-type", "skill-feedback", "skill-avoid"):
        assert f'id="{chart}"' in page
    coach = add_account(settings.database_url, "wang", "coach", "north")
    assert (
        figures(session_for(client, coach)[0].get("/progress?trainee=li").text)["latest-score"]
        == "81"
    )
    outsider = add_account(settings.database_url, "zhang", "coach", "south")
    hidden = session_for(client, outsider)[0].get("/progress?trainee=li").text
    assert "first-score" not in hidden


def test_first_against_latest_per_scenario_and_every_retake_counts(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account
) -> None:
    practice(client, fake_rasa, "same", 40, False)
    practice(client, fake_rasa, "same", 75, True)  # a retake in the same conversation
    own, _ = session_for(client, trainee)
    page = own.get("/progress?lang=en").text
    row = re.search(r'id="by-scenario">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert row
    cells = re.findall(r"<td>([^<]*)</td>", row.group(1))
    assert cells[0] == scenario_names("en")["hotel_room"]  # the scenario's name, not its code
    assert cells[1:] == ["2", "40", "75", "+35"]


def test_a_coach_sees_the_team_side_by_side(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account, settings: Settings
) -> None:
    practice(client, fake_rasa, "p1", 48, False)
    coach = add_account(settings.database_url, "wang", "coach", "north")
    web, _ = session_for(client, coach)
    page = web.get("/progress?view=team&lang=en").text
    table = re.search(r'id="team-table">(.*?)</table>', page, re.S)
    assert table and ">li<" in table.group(1) and "Hiding behind policy" in table.group(1)
    trainee_view = session_for(client, trainee)[0].get("/progress?view=team").text
    assert 'id="team-table"' not in trainee_view  # a trainee sees only their own
