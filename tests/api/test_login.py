"""Logging in and out of the web app: cookies, CSRF, rate limiting, redirects."""

import re

import httpx
from fastapi.testclient import TestClient

from api.auth.accounts import LOGIN_FAILURES_ALLOWED
from api.main import create_app
from api.settings import Settings
from tests.api.conftest import Account, FakeRasa


def login_form(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def log_in(client: TestClient, name: str, password: str, lang: str = "zh") -> httpx.Response:
    token = login_form(client)
    response: httpx.Response = client.post(
        f"/login?lang={lang}",
        data={"name": name, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    return response


def browser(client: TestClient) -> TestClient:
    """The same app without the API token: a browser with only cookies."""
    client.headers.pop("Authorization", None)
    return client


def test_login_sets_a_safe_session_cookie_and_goes_home(
    client: TestClient, trainee: Account
) -> None:
    web = browser(client)
    response = log_in(web, trainee.name, trainee.password)
    assert response.status_code == 303 and response.headers["location"] == "/chat"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("coach_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_session_works_for_the_api_with_the_csrf_header(
    client: TestClient, trainee: Account, fake_rasa: FakeRasa
) -> None:
    web = browser(client)
    log_in(web, trainee.name, trainee.password)
    assert web.get("/api/v1/types/power").status_code == 200  # reading needs no CSRF token
    chat = {"conversation_id": "web-1", "message": "你好"}
    refused = web.post("/api/v1/chat", json=chat)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert fake_rasa.received == []


def test_wrong_password_is_refused_without_saying_which_part(
    client: TestClient, trainee: Account
) -> None:
    web = browser(client)
    response = log_in(web, trainee.name, "not-the-password")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.text or "用户名或密码不对" in response.text
    assert "coach_session=" not in response.headers.get("set-cookie", "")
    assert log_in(web, "nobody-here", "whatever-password").status_code == 401


def test_login_without_the_form_token_is_refused(client: TestClient, trainee: Account) -> None:
    web = browser(client)
    response = web.post(
        "/login",
        data={"name": trainee.name, "password": trainee.password, "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_repeated_failures_are_rate_limited(client: TestClient, trainee: Account) -> None:
    web = browser(client)
    for _ in range(LOGIN_FAILURES_ALLOWED):
        assert log_in(web, trainee.name, "wrong-password-x").status_code == 401
    blocked = log_in(web, trainee.name, trainee.password)  # even the right one, for now
    assert blocked.status_code == 429 and "请等 15 分钟再试" in blocked.text  # the page's language
    english = log_in(web, trainee.name, trainee.password, lang="en")
    assert english.status_code == 429 and "wait 15 minutes" in english.text


def test_logout_ends_the_session(client: TestClient, trainee: Account) -> None:
    web = browser(client)
    log_in(web, trainee.name, trainee.password)
    page = web.get("/login")  # any page carries the session's CSRF token once logged in
    assert page.status_code == 200
    home = web.get("/", follow_redirects=False)
    assert home.headers["location"] == "/chat"
    csrf = _session_csrf(web)
    out = web.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert web.get("/", follow_redirects=False).headers["location"] == "/login"


def test_redirect_after_login_stays_on_this_site(client: TestClient, trainee: Account) -> None:
    web = browser(client)
    token = login_form(web)
    response = web.post(
        "/login",
        data={
            "name": trainee.name,
            "password": trainee.password,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def _session_csrf(web: TestClient) -> str:
    from api.auth.accounts import digest
    from api.db.database import Database
    from api.db.models import WebSession

    database = Database(str(web.app.state.settings.database_url))  # type: ignore[attr-defined]
    with database.session() as session:
        found = session.get(WebSession, digest(web.cookies["coach_session"]))
        assert found is not None
        return found.csrf_token


def test_behind_an_https_proxy_the_cookies_are_secure(settings: Settings) -> None:
    """The proxy speaks HTTPS to the browser and HTTP to the app: the setting decides."""
    app = create_app(settings.model_copy(update={"secure_cookies": True}))
    with TestClient(app) as web:
        response = web.get("/login")
    cookie = next(c for c in response.headers.get_list("set-cookie") if "coach_login_csrf=" in c)
    assert "Secure" in cookie and "HttpOnly" in cookie
