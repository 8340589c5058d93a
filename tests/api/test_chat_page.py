"""The trainee's chat page and the conversation history behind a reload."""

import re

from fastapi.testclient import TestClient

from api.settings import Settings
from tests.api.conftest import Account, FakeRasa, add_account, sender
from tests.api.test_login import browser, log_in


def signed_in(client: TestClient, account: Account) -> TestClient:
    web = browser(client)
    log_in(web, account.name, account.password)
    return web


def page_csrf(html: str) -> str:
    found = re.search(r'"csrf": "([^"]+)"', html)
    assert found
    return found.group(1)


def test_chat_page_needs_a_login(client: TestClient) -> None:
    response = browser(client).get("/chat", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/chat"


def test_chat_page_in_both_languages_with_its_own_assets(
    client: TestClient, trainee: Account
) -> None:
    web = signed_in(client, trainee)
    chinese = web.get("/chat")
    assert (
        chinese.status_code == 200 and "教练面板" in chinese.text and "角色扮演练习" in chinese.text
    )
    english = web.get("/chat?lang=en")
    assert "Coach panel" in english.text and "Role-play practice" in english.text
    links = re.findall(r'(?:src|href)="([^"]+)"', english.text)
    assert links and all(link.startswith(("/", "?")) for link in links)  # nothing from a CDN
    assert web.get("/static/chat.js").status_code == 200
    assert web.get("/static/app.css").status_code == 200


def test_the_page_token_lets_the_browser_chat(
    client: TestClient, trainee: Account, fake_rasa: FakeRasa
) -> None:
    web = signed_in(client, trainee)
    csrf = page_csrf(web.get("/chat").text)
    chat = {"conversation_id": "web-a", "message": "你好"}
    response = web.post("/api/v1/chat", json=chat, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert fake_rasa.received == [(sender(trainee, "web-a"), "你好")]


def test_history_restores_the_conversation_from_rasa(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = [
        {"text": "您好！", "custom": {"kind": "coaching_card", "customer_type": "power"}}
    ]
    client.post("/api/v1/chat", json={"conversation_id": "c1", "message": "<b>今天必须修好</b>"})
    history = client.get("/api/v1/conversations/c1/history").json()["messages"]
    assert history[0] == {"role": "trainee", "text": "<b>今天必须修好</b>", "payload": False}
    assert history[1]["role"] == "bot" and history[1]["custom"]["customer_type"] == "power"


def test_another_trainees_history_is_404(
    client: TestClient, settings: Settings, fake_rasa: FakeRasa
) -> None:
    client.post("/api/v1/chat", json={"conversation_id": "mine", "message": "你好"})
    other = add_account(settings.database_url, "zhou")
    response = client.get("/api/v1/conversations/mine/history", headers=other.auth)
    assert response.status_code == 404


def test_script_in_a_user_name_is_escaped_on_the_page(
    client: TestClient, settings: Settings
) -> None:
    sneaky = add_account(settings.database_url, "<script>alert(1)</script>")
    web = signed_in(client, sneaky)
    page = web.get("/chat").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
