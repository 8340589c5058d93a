"""The attacks a determined trainee or a local user tried (issue "Practice integrity and
hardening"), one test each, through the API with a fake Rasa. What needs the real stack
(Rasa's channel token, the action-server token, file modes) is in tests/e2e/test_stack.py;
the first-guess and exam rules inside a session are in tests/bot/test_customer_state.py and
tests/actions/test_practice_actions.py."""

import re
from collections.abc import Iterator

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from api.auth.accounts import ACCOUNT_FAILURES_ALLOWED, AccountError, login
from api.db.database import Database
from api.settings import Settings
from bot.practice_session import settings_with_defaults
from scripts.stack import make_private, proxy_arguments
from tests.api.conftest import Account, FakeRasa, add_account, sender
from tests.api.test_login import browser, log_in
from tests.api.test_review_pages import session_for


def chat(client: TestClient, message: str, lang: str = "en") -> httpx.Response:
    response: httpx.Response = client.post(
        "/api/v1/chat",
        json={"conversation_id": "attack", "message": message},
        headers={"Accept-Language": lang},
    )
    return response


@pytest.mark.parametrize("message", ["/back", "/restart", '/restart{"a": 1}', "/session_start"])
def test_1_2_rasa_built_ins_are_refused_before_rasa(
    client: TestClient, fake_rasa: FakeRasa, message: str
) -> None:
    """1: `/back` after a wrong guess; 2: `/restart` to wipe the transcript. Nothing is sent."""
    response = chat(client, message)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "unknown_command"
    assert "not one of this app's button commands" in body["detail"]
    assert fake_rasa.received == []
    chinese = chat(client, message, "zh").json()["detail"]
    assert "不是这个应用的按钮命令" in chinese


def test_2_the_coach_transcript_is_read_from_the_whole_history(
    client: TestClient, fake_rasa: FakeRasa, trainee: Account, settings: Settings
) -> None:
    """Even a restart that got through (an older client, Slack) hides nothing from the coach."""
    fake_rasa.intent = "customer_power"
    assert chat(client, "今天必须修好，别跟我解释").status_code == 200
    history = fake_rasa.history[sender(trainee, "attack")]
    history.append({"event": "restart"})
    assert chat(client, "我想问一下发票").status_code == 200
    coach = add_account(settings.database_url, "wang", "coach", "north")
    web, _ = session_for(client, coach)
    number = re.search(r'href="/review/(\d+)"', web.get("/review").text)
    assert number
    page = web.get(f"/review/{number.group(1)}").text
    assert "今天必须修好，别跟我解释" in page and "我想问一下发票" in page
    assert "对话从这里重新开始" in page


def test_3_a_seed_alone_does_not_tell_the_hidden_type() -> None:
    """3: the draw mixes in the deployment's secret, so replaying a seed elsewhere (or on a
    deployment with another secret) gives another customer."""
    draws = {
        secret: [
            settings_with_defaults(seed=seed, lang="zh", secret=secret).customer_type
            for seed in range(40)
        ]
        for secret in ("", "deployment-a", "deployment-b")
    }
    assert draws["deployment-a"] != draws[""] and draws["deployment-a"] != draws["deployment-b"]


def test_4_exam_mode_can_not_be_switched_by_a_payload(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    response = chat(client, '/set_exam_mode{"exam": false}')
    assert response.status_code == 422 and fake_rasa.received == []


def test_5_forwarded_for_is_not_trusted_and_rotating_addresses_buys_nothing(
    settings: Settings, trainee: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert proxy_arguments() == ["--no-proxy-headers"]
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    assert proxy_arguments() == ["--proxy-headers", "--forwarded-allow-ips=10.0.0.5"]
    database = Database(settings.database_url)
    try:
        for attempt in range(ACCOUNT_FAILURES_ALLOWED):
            with database.session() as session, session.begin():
                assert login(session, trainee.name, "wrong", f"10.1.{attempt}.1") is None
        with database.session() as session, session.begin(), pytest.raises(AccountError):
            login(session, trainee.name, trainee.password, "10.9.9.9")  # a fresh address
    finally:
        database.dispose()


def test_6_files_under_var_are_made_private(tmp_path: pytest.TempPathFactory) -> None:
    state = tmp_path / "var"  # type: ignore[operator]
    (state / "rasa").mkdir(parents=True)
    loose = state / "rasa" / "tracker.db"
    loose.write_text("x")
    loose.chmod(0o644)
    make_private(state)
    assert loose.stat().st_mode & 0o077 == 0
    created = state / "app.db"
    created.write_text("y")  # written after start-up: the umask keeps it private
    assert created.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "path",
    [
        "/review?score_min=²",
        "/review/export.csv?score_max=①",
        "/review/9223372036854775808",
        "/review?page=１",
    ],
)
def test_7_odd_numbers_in_urls_get_a_clear_422(
    client: TestClient, settings: Settings, path: str
) -> None:
    coach = add_account(settings.database_url, "wang", "coach", "north")
    web, _ = session_for(client, coach)
    response = web.get(path)
    assert response.status_code == 422, response.text[:200]


@pytest.mark.parametrize(
    "path", ["/review/9223372036854775808/comments", "/admin/users/99999999999999999999/active"]
)
def test_7_odd_ids_in_form_posts_get_a_clear_422(
    client: TestClient, settings: Settings, path: str
) -> None:
    admin = add_account(settings.database_url, "boss", "admin")
    web, csrf = session_for(client, admin)
    data = {"csrf_token": csrf, "turn": "0", "text": "hi", "active": "true"}
    assert web.post(path, data=data).status_code == 422


@pytest.fixture
def poisoned(client: TestClient, fake_rasa: FakeRasa, settings: Settings) -> Iterator[TestClient]:
    """A coach's browser on a conversation whose customer lines carry a control character and
    Rasa entity markup, both relabelled."""
    fake_rasa.intent = "customer_power"
    for line in ["今天\x01必须修好", "我要[今天](customer_type)就修好"]:
        assert chat(client, line).status_code == 200
    coach = add_account(settings.database_url, "wang", "coach", "north")
    web, csrf = session_for(client, coach)
    number = re.search(r'href="/review/(\d+)"', web.get("/review").text)
    assert number
    for turn in (0, 2):  # customer line, coach reply, customer line, coach reply
        done = web.post(
            f"/review/{number.group(1)}/relabel",
            data={"csrf_token": csrf, "turn": turn, "label": "thinking"},
            follow_redirects=False,
        )
        assert done.status_code == 303 and "saved=relabel" in done.headers["location"]
    yield web


def test_8_the_export_stays_readable_and_free_of_markup(poisoned: TestClient) -> None:
    exported = poisoned.get("/training-data.yml").text
    data = yaml.safe_load(exported)  # the U+0001 no longer breaks PyYAML
    lines = data["nlu"][0]["examples"].splitlines()
    assert data["nlu"][0]["intent"] == "customer_thinking"
    assert lines == ["- 今天必须修好", "- 我要［今天］(customer_type)就修好"]


def test_8_a_coach_can_delete_a_bad_relabel(poisoned: TestClient) -> None:
    page = poisoned.get("/training-data").text
    first = re.search(r'action="/training-data/(\d+)/delete"', page)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert first and csrf
    done = poisoned.post(
        f"/training-data/{first.group(1)}/delete", data={"csrf_token": csrf.group(1)}
    )
    assert done.status_code == 200 and "这条改标注已删除" in done.text
    assert (
        len(
            yaml.safe_load(poisoned.get("/training-data.yml").text)["nlu"][0][
                "examples"
            ].splitlines()
        )
        == 1
    )


def test_9_authenticated_pages_are_never_cached(client: TestClient, settings: Settings) -> None:
    admin = add_account(settings.database_url, "boss", "admin")
    web, _ = session_for(client, admin)
    for path in ("/admin", "/review", "/chat", "/api/v1/types"):
        assert web.get(path).headers["cache-control"] == "no-store", path
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")


def test_9_a_token_can_be_revoked_alone_and_reactivation_revives_none(
    client: TestClient, settings: Settings, trainee: Account
) -> None:
    second = add_account(settings.database_url, "zhao", "trainee", "north")
    admin = add_account(settings.database_url, "boss", "admin")
    web, csrf = session_for(client, admin)
    page = web.get("/admin").text
    assert page.count('action="/admin/tokens/') == 3  # li, zhao, boss
    ids = re.findall(
        r'<td>zhao</td><td>tests</td>.*?action="/admin/tokens/(\d+)/revoke"', page, re.S
    )
    assert ids
    assert web.post(f"/admin/tokens/{ids[0]}/revoke", data={"csrf_token": csrf}).status_code == 200
    types = "/api/v1/types/power"
    api = browser(TestClient(client.app))
    assert api.get(types, headers=second.auth).status_code == 401
    assert api.get(types, headers=trainee.auth).status_code == 200  # the others still work
    for active in ("false", "true"):
        web.post(
            f"/admin/users/{trainee.user_id}/active", data={"csrf_token": csrf, "active": active}
        )
    assert api.get(types, headers=trainee.auth).status_code == 401  # reactivated, token gone
    assert (
        log_in(browser(TestClient(client.app)), trainee.name, trainee.password).status_code == 303
    )


def test_9_a_chunked_body_over_the_limit_is_413(client: TestClient, fake_rasa: FakeRasa) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"conversation_id": "a", "message": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    response = client.post(
        "/api/v1/chat", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "16384 bytes" in response.json()["detail"]
    assert fake_rasa.received == []
