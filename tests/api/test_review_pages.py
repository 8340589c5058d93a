"""The coach's review: who sees what, comments, tags, relabels, exports, escaping."""

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from bot.conversation import customer_line, read_customer
from bot.customer_reading import shown_percent
from tests.api.conftest import Account, FakeRasa, add_account
from tests.api.test_login import log_in

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def coach(settings: Settings) -> Account:
    return add_account(settings.database_url, "wang", "coach", "north")


@pytest.fixture
def conversation(client: TestClient, fake_rasa: FakeRasa, trainee: Account) -> int:
    """The trainee li's coach-mode conversation about a power customer; its inbox number."""
    fake_rasa.intent = "customer_power"
    fake_rasa.replies = [{"text": "这位客户更像权力型"}]
    for line in ["今天必须修好，别跟我解释", f"{SCRIPT} 快点"]:
        chat = {"conversation_id": "li-1", "message": line}
        assert client.post("/api/v1/chat", json=chat).status_code == 200
    own, _ = session_for(client, trainee)
    found = re.search(r'href="/review/(\d+)"', own.get("/review").text)
    assert found, "the trainee sees their own conversation in the list"
    return int(found.group(1))


def session_for(client: TestClient, account: Account) -> tuple[TestClient, str]:
    """A fresh browser for `account`; returns it and the session's CSRF token."""
    web = TestClient(client.app)
    log_in(web, account.name, account.password)
    page = web.get("/review").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return web, found.group(1)


def test_coach_finds_the_conversation_by_filter(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, _ = session_for(client, coach)
    assert f'href="/review/{conversation}"' in web.get("/review?trainee=li&mode=coach").text
    assert f'href="/review/{conversation}"' not in web.get("/review?trainee=li&mode=practice").text
    assert f'href="/review/{conversation}"' not in web.get("/review?reviewed=yes").text


def test_comment_is_seen_by_the_trainee(
    client: TestClient, coach: Account, conversation: int, trainee: Account
) -> None:
    web, csrf = session_for(client, coach)
    sent = web.post(
        f"/review/{conversation}/comments",
        data={"csrf_token": csrf, "turn": 0, "text": "先确认时间再解释原因"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    own, _ = session_for(client, trainee)
    chat = own.get("/chat").text
    assert "教练给你留了 1 条新评论" in chat and f'href="/review/{conversation}#m0"' in chat
    assert "1 条新评论" in own.get("/review").text
    page = own.get(f"/review/{conversation}").text
    assert "先确认时间再解释原因" in page and "wang" in page
    assert '<span class="new">新</span>' in page  # marked new the first time only
    assert "回复教练" in page  # the trainee may answer under the comment
    again = own.get(f"/review/{conversation}").text
    assert '<span class="new">' not in again
    assert "新评论" not in own.get("/chat").text


def test_trainee_replies_under_a_coach_comment_only(
    client: TestClient, coach: Account, conversation: int, trainee: Account
) -> None:
    web, csrf = session_for(client, coach)
    web.post(
        f"/review/{conversation}/comments",
        data={"csrf_token": csrf, "turn": 0, "text": "先道歉"},
        follow_redirects=False,
    )
    own, own_csrf = session_for(client, trainee)
    answered = own.post(
        f"/review/{conversation}/comments",
        data={"csrf_token": own_csrf, "turn": 0, "text": "好的，下次先道歉"},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    page = own.get(f"/review/{conversation}").text
    assert 'class="comment from-trainee"' in page and "好的，下次先道歉" in page
    refused = own.post(
        f"/review/{conversation}/comments",
        data={"csrf_token": own_csrf, "turn": 1, "text": "我自己加一条"},
    )
    assert refused.status_code == 422
    assert "学员可以回复教练的评论" in refused.text
    assert "我自己加一条</textarea>" in refused.text  # what was typed is kept


def test_blank_comment_re_renders_with_the_reason_in_the_ui_language(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, csrf = session_for(client, coach)
    refused = web.post(
        f"/review/{conversation}/comments?lang=en",
        data={"csrf_token": csrf, "turn": 0, "text": "   "},
    )
    assert refused.status_code == 422
    assert "A comment has 1 to 2000 characters." in refused.text
    assert 'id="form-error"' in refused.text


def test_page_errors_are_pages_in_the_ui_language(client: TestClient, coach: Account) -> None:
    web, _ = session_for(client, coach)
    html = {"accept": "text/html"}
    missing = web.get("/review/999999", headers=html)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "没有找到这个页面" in missing.text and "No conversation" not in missing.text
    english = web.get("/review/999999?lang=en", headers=html)
    assert "This page doesn&#39;t exist" in english.text
    bad = web.get("/review?date_from=yesterday&lang=zh", headers=html)
    assert bad.status_code == 422 and "起始日期" in bad.text and "yesterday" not in bad.text
    api = web.get("/review/999999")  # a program (no text/html) still gets JSON
    assert api.json()["detail"]


def test_comment_without_csrf_token_is_refused(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, _ = session_for(client, coach)
    response = web.post(f"/review/{conversation}/comments", data={"turn": 0, "text": "x"})
    assert response.status_code == 403


def test_coach_outside_the_team_and_other_trainees_get_404(
    client: TestClient, settings: Settings, conversation: int
) -> None:
    outsider = add_account(settings.database_url, "zhang", "coach", "south")
    web, csrf = session_for(client, outsider)
    assert web.get(f"/review/{conversation}").status_code == 404
    data = {"csrf_token": csrf, "turn": 0, "text": "x"}
    assert web.post(f"/review/{conversation}/comments", data=data).status_code == 404
    other = add_account(settings.database_url, "zhou", "trainee", "north")
    assert session_for(client, other)[0].get(f"/review/{conversation}").status_code == 404


def test_trainee_cannot_start_a_comment_thread(
    client: TestClient, trainee: Account, conversation: int
) -> None:
    web, csrf = session_for(client, trainee)
    data = {"csrf_token": csrf, "turn": 0, "text": "a note of my own"}
    assert web.post(f"/review/{conversation}/comments", data=data).status_code == 422
    assert "a note of my own</div>" not in web.get(f"/review/{conversation}").text


def test_no_session_goes_to_the_login(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    response = anonymous.get("/review", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_relabel_reaches_the_training_data_export(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, csrf = session_for(client, coach)
    page = web.get(f"/review/{conversation}").text
    # The reading the trainee saw after the line, from the same function the card uses.
    ranking = [
        {"name": "customer_power", "confidence": 0.9},
        {"name": "customer_thinking", "confidence": 0.1},
    ]
    shown = read_customer([customer_line("今天必须修好，别跟我解释", ranking)]).reading
    assert f'<span class="model-type">权力型</span> {shown_percent(shown.confidence)}%' in page
    done = web.post(
        f"/review/{conversation}/relabel",
        data={"csrf_token": csrf, "turn": 0, "label": "thinking"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    exported = web.get("/training-data.yml").text
    assert "intent: customer_thinking" in exported and "今天必须修好，别跟我解释" in exported


def test_tags_and_reviewed_filter_the_inbox(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, csrf = session_for(client, coach)
    web.post(f"/review/{conversation}/tags", data={"csrf_token": csrf, "tag": "needs-work"})
    web.post(f"/review/{conversation}/reviewed", data={"csrf_token": csrf})
    assert f"/review/{conversation}" in web.get("/review?tag=needs-work&reviewed=yes").text
    assert f"/review/{conversation}" not in web.get("/review?reviewed=no").text
    web.post(f"/review/{conversation}/tags", data={"csrf_token": csrf, "tag": "好例子"})
    page = web.get(f"/review/{conversation}").text
    assert page.count('<span class="tag">') == 2 and "好例子" in page
    bad = web.post(f"/review/{conversation}/tags", data={"csrf_token": csrf, "tag": "<b>"})
    assert bad.status_code == 422
    assert 'value="&lt;b&gt;"' in bad.text  # the refused tag is kept, escaped


def test_csv_and_json_exports_follow_the_filter(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, _ = session_for(client, coach)
    raw = web.get("/review/export.csv?trainee=li").content
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["trainee"], r["conversation"], r["mode"]) for r in rows] == [("li", "li-1", "coach")]
    assert web.get("/review/export.json?trainee=nobody").json() == []


def test_trainee_cannot_export(client: TestClient, trainee: Account) -> None:
    web, _ = session_for(client, trainee)
    assert web.get("/review/export.csv").status_code == 403


def test_script_in_a_message_is_shown_as_text(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, _ = session_for(client, coach)
    page = web.get(f"/review/{conversation}").text
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_filter_form_with_blank_fields_lists_everything(
    client: TestClient, coach: Account, conversation: int
) -> None:
    web, _ = session_for(client, coach)
    blank = "trainee=&team=&mode=&scenario=&customer_type=&date_from=&date_to="
    page = web.get(f"/review?{blank}&score_min=&score_max=&reviewed=&tag=")
    assert page.status_code == 200 and f"/review/{conversation}" in page.text
    assert web.get("/review?score_min=abc").status_code == 422
    assert web.get("/review?date_from=2026-13-01").status_code == 422
