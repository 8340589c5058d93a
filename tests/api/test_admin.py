"""Admins manage users and teams in the UI; nobody else can."""

import re

from fastapi.testclient import TestClient

from api.settings import Settings
from tests.api.conftest import Account, add_account
from tests.api.test_login import log_in
from tests.api.test_review_pages import session_for


def test_admin_creates_a_team_and_a_user_with_a_password_shown_once(
    client: TestClient, settings: Settings
) -> None:
    admin = add_account(settings.database_url, "boss", "admin")
    web, csrf = session_for(client, admin)
    assert web.post("/admin/teams", data={"csrf_token": csrf, "name": "east"}).status_code == 200
    page = web.post(
        "/admin/users", data={"csrf_token": csrf, "name": "chen", "role": "trainee", "team": "east"}
    ).text
    password = re.search(r'id="new-password">([^<]+)<', page)
    assert password and "chen" in page
    newcomer = TestClient(client.app)
    assert log_in(newcomer, "chen", password.group(1)).headers["location"] == "/chat"
    assert 'id="new-password"' not in web.get("/admin").text


def test_deactivated_users_lose_their_token(
    client: TestClient, settings: Settings, trainee: Account
) -> None:
    admin = add_account(settings.database_url, "boss", "admin")
    web, csrf = session_for(client, admin)
    data = {"csrf_token": csrf, "active": "false"}
    assert web.post(f"/admin/users/{trainee.user_id}/active", data=data).status_code == 200
    assert client.get("/api/v1/types/power").status_code == 401


def test_only_admins_reach_the_admin_pages(client: TestClient, settings: Settings) -> None:
    coach = add_account(settings.database_url, "wang", "coach", "north")
    web, csrf = session_for(client, coach)
    assert web.get("/admin").status_code == 404
    data = {"csrf_token": csrf, "name": "x", "role": "admin"}
    assert web.post("/admin/users", data=data).status_code == 403


def test_weak_password_is_refused_with_the_rule(client: TestClient, settings: Settings) -> None:
    admin = add_account(settings.database_url, "boss", "admin")
    web, csrf = session_for(client, admin)
    data = {"csrf_token": csrf, "name": "wu", "role": "trainee", "password": "short"}
    response = web.post("/admin/users", data=data)
    # The page again, the reason in its language, the name as typed (never the password).
    assert response.status_code == 422
    assert "密码至少需要 10 个字符" in response.text
    assert 'value="wu"' in response.text and "short" not in response.text
