"""The review desk as coaches and trainees use it, in a real browser on the real stack, in
both UI languages: practice transcripts that tell the truth, comments that reach the
trainee, errors as pages, readable progress, the phone layout, exports and tags."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from testkit.practice_scripts import script
from testkit.stack import RunningStack
from tests.e2e.browser import log_in_as, screenshot

pytestmark = pytest.mark.e2e

WORDS = {
    "zh": {
        "attempts": "每次练习的得分",
        "error": "出错了（404）",
        "saved": "改标注已保存",
        "banner": "教练给你留了 1 条新评论",
        "new": "新",
        "panel": "教练面板",
    },
    "en": {
        "attempts": "Score of each attempt",
        "error": "Something went wrong (404)",
        "saved": "Relabel saved",
        "banner": "Your coach left 1 new comment(s)",
        "new": "new",
        "panel": "Coach panel",
    },
}
WORDS_TYPES = ("权力型", "社交型", "和谐型", "思考型", "Power", "Social", "Harmonious", "Thinking")
AVOID_CODES = ("dont_know", "dismiss_emotion", "vague_time", "too_direct", "blame_others")


def chat(stack: RunningStack, token: str, conversation: str, message: str) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{stack.api_url}/api/v1/chat",
        json={"conversation_id": conversation, "message": message},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    return list(response.json()["messages"])


def practise_twice(stack: RunningStack, token: str, lang: str) -> None:
    """A practice session and its retake in one conversation: two scorecards."""
    start = (
        '/start_practice{"scenario": "hotel_room", "customer_type": "thinking", '
        f'"seed": 5, "language": "{lang}"}}'
    )
    for opening in (start, "/retake"):
        chat(stack, token, f"retake-{lang}", opening)
        for line in script("hotel_room", "thinking", lang):
            kinds = [
                (m.get("custom") or {}).get("kind")
                for m in chat(stack, token, f"retake-{lang}", line)
            ]
            if "practice_scorecard" in kinds:
                break


def visible_text(page: Page) -> str:
    return page.locator("main").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_practice_transcript_tells_the_truth(
    stack: RunningStack, browser: Browser, lang: str
) -> None:
    trainee = browser.new_context().new_page()
    practise_twice(stack, log_in_as(trainee, stack, f"desk-retaker-{lang}", "trainee", lang), lang)
    coach = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_as(coach, stack, f"desk-coach-{lang}", "coach", lang)
    coach.goto(f"{stack.api_url}/review?trainee=desk-retaker-{lang}&mode=practice")
    expect(coach.locator("td.attempt-scores")).to_contain_text("→")  # both attempts listed
    text = visible_text(coach)
    assert "hotel_room" not in text
    cells = coach.locator("table.inbox tbody td").all_inner_texts()
    assert "practice" not in cells and "thinking" not in cells  # mode and type in words
    coach.click("table.inbox tbody tr a")
    expect(coach.locator("#attempt-scores")).to_contain_text(WORDS[lang]["attempts"])
    assert coach.locator("#attempt-scores").inner_text().count("→") == 1
    text = visible_text(coach)
    assert "/start_practice" not in text and "/retake" not in text and "{" not in text
    assert "hotel_room" not in text
    # The model's reading and the relabel control sit on customer lines only.
    assert coach.locator("li.trainee form.relabel").count() == 0
    assert coach.locator("li.trainee .reading").count() == 0
    customer = coach.locator("li.customer.simulated").first
    expect(customer.locator(".true-type")).to_be_visible()
    model_type = customer.locator(".model-type").inner_text()
    true_type = customer.locator(".true-type").inner_text()
    chosen = customer.locator("select[name=label] option:checked").inner_text()
    # The select starts at the model's reading (at the hidden type when it is undetermined).
    assert chosen == model_type or (chosen == true_type and model_type not in WORDS_TYPES)
    expect(coach.locator("li.trainee .analysis").first).to_be_visible()  # replies analysed
    expect(coach.locator(".scorecard-card").first).to_be_visible()
    assert coach.locator(".scorecard-card").count() == 2
    customer.locator("form.relabel button").click()
    expect(coach.locator("#saved")).to_contain_text(WORDS[lang]["saved"])
    coach.locator(".scorecard-card").first.scroll_into_view_if_needed()
    screenshot(coach, f"review-practice-{lang}.png", full_page=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comment_reaches_the_trainee_who_answers(
    stack: RunningStack, browser: Browser, lang: str
) -> None:
    trainee = browser.new_context().new_page()
    token = log_in_as(trainee, stack, f"desk-commented-{lang}", "trainee", lang)
    chat(stack, token, f"commented-{lang}", "我不想听解释，今天下午五点前必须修好")
    coach = browser.new_context().new_page()
    log_in_as(coach, stack, f"desk-commenter-{lang}", "coach", lang)
    coach.goto(f"{stack.api_url}/review?trainee=desk-commented-{lang}")
    coach.click("table.inbox tbody tr a")
    coach.click("#m0 details.add-comment summary")
    coach.fill("#m0 textarea[name=text]", "   ")
    coach.click("#m0 details.add-comment button[type=submit]")
    expect(coach.locator("#form-error")).to_be_visible()  # the reason, in the UI language
    assert ("评论需要" if lang == "zh" else "A comment has") in coach.locator(
        "#form-error"
    ).inner_text()
    coach.fill("#m0 textarea[name=text]", "先给出明确时间，再解释原因")
    coach.click("#m0 details.add-comment button[type=submit]")
    expect(coach.locator("#m0 .comment")).to_contain_text("先给出明确时间")

    trainee.goto(f"{stack.api_url}/chat")
    banner = trainee.locator("#unread-comments")
    expect(banner).to_contain_text(WORDS[lang]["banner"])
    expect(banner).to_contain_text("先给出明确时间")
    trainee.goto(f"{stack.api_url}/review")
    expect(trainee.locator(".unread-badge")).to_have_count(1)
    trainee.goto(f"{stack.api_url}/chat")
    trainee.locator("#unread-comments a").first.click()
    trainee.wait_for_url("**/review/*#m0")
    expect(trainee.locator("#m0 .comment .new")).to_have_text(WORDS[lang]["new"])
    trainee.click("#m0 details.add-comment summary")
    trainee.fill("#m0 textarea[name=text]", "明白，下次先给时间")
    trainee.click("#m0 details.add-comment button[type=submit]")
    expect(trainee.locator("#m0 .comment.from-trainee")).to_contain_text("明白，下次先给时间")
    expect(trainee.locator("#m0 .comment .new")).to_have_count(0)  # read now
    trainee.goto(f"{stack.api_url}/chat")
    expect(trainee.locator("#unread-comments")).to_have_count(0)
    coach.reload()
    expect(coach.locator("#m0 .comment.from-trainee")).to_contain_text("明白，下次先给时间")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_errors_are_pages_in_the_ui_language(
    stack: RunningStack, browser: Browser, lang: str
) -> None:
    page = browser.new_context().new_page()
    log_in_as(page, stack, f"desk-lost-{lang}", "trainee", lang)
    page.goto(f"{stack.api_url}/review/987654")
    expect(page.locator("h1")).to_have_text(WORDS[lang]["error"])
    assert "{" not in visible_text(page) and "detail" not in visible_text(page)
    page.goto(f"{stack.api_url}/admin")
    assert "{" not in visible_text(page)
    expect(page.locator("#error-message")).to_be_visible()


def test_progress_reads_in_words_and_the_team_view(stack: RunningStack, browser: Browser) -> None:
    trainee = browser.new_context().new_page()
    practise_twice(stack, log_in_as(trainee, stack, "desk-progress", "trainee", "zh"), "zh")
    coach = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_as(coach, stack, "desk-progress-coach", "coach", "zh")
    coach.goto(f"{stack.api_url}/progress?trainee=desk-progress")
    text = visible_text(coach)
    assert not any(code in text for code in AVOID_CODES)  # flag names in words
    expect(coach.locator("svg text.axis-label").first).to_be_visible()
    coach.goto(f"{stack.api_url}/progress?view=team")
    expect(coach.locator("main")).to_contain_text("desk-progress")
    screenshot(coach, "progress-team.png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_layout_header_fits_and_the_panel_is_a_tab(
    stack: RunningStack, browser: Browser, lang: str
) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in_as(page, stack, f"desk-phone-{lang}", "trainee", lang)
    link = page.locator("header.top nav a[href='/chat']").bounding_box()
    assert link and link["height"] < 30  # one line, not three
    header = page.locator("header.top").bounding_box()
    assert header and header["height"] < 120 and header["width"] <= 390
    expect(page.locator("#tab-panel")).to_have_text(WORDS[lang]["panel"])
    page.fill("#message", "我不想听解释，今天必须修好")
    page.click("#send")
    expect(page.locator("#tab-panel")).to_have_class("news", timeout=15_000)
    page.fill("#message", "我打算这样回复")
    page.click("#tab-panel")
    expect(page.locator("#coach-panel")).to_be_visible()
    expect(page.locator("#meter .bar")).to_have_count(4)
    panel = page.locator("#coach-panel").bounding_box()
    assert panel and panel["y"] < 300  # right under the tabs, not 2,000 px down
    screenshot(page, f"chat-phone-panel-{lang}.png")
    page.click("#tab-chat")
    expect(page.locator("#message")).to_have_value("我打算这样回复")  # the draft stays
    screenshot(page, f"chat-phone-{lang}.png")


def test_csv_has_a_bom_and_tags_keep_their_remove_button(
    stack: RunningStack, browser: Browser
) -> None:
    trainee = browser.new_context().new_page()
    token = log_in_as(trainee, stack, "desk-tagged", "trainee", "zh")
    chat(stack, token, "tagged", "能把检测数据发我看看吗？")
    coach = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_as(coach, stack, "desk-tagger", "coach", "zh")
    coach.goto(f"{stack.api_url}/review?trainee=desk-tagged")
    with coach.expect_download() as download:
        coach.click("#export-csv")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "desk-tagged" in raw.decode("utf-8-sig")
    coach.click("table.inbox tbody tr a")
    tags = coach.locator("div.tags .tag")
    for count, tag in enumerate(("follow-up", "好例子"), start=1):
        coach.fill("input[name=tag]", tag)
        with coach.expect_navigation():
            coach.click("form[action$='/tags'] button")
        assert tags.count() == count, coach.locator("main").inner_text()[:600]
    for index in range(2):
        box, cross = (
            tags.nth(index).bounding_box(),
            tags.nth(index).locator("button").bounding_box(),
        )
        assert (
            box
            and cross
            and box["y"] <= cross["y"]
            and cross["y"] + cross["height"] <= box["y"] + box["height"] + 2
        )


def test_reload_shows_markers_in_words(stack: RunningStack, browser: Browser) -> None:
    page = browser.new_context().new_page()
    log_in_as(page, stack, "desk-reload", "trainee", "zh")
    page.click("#practice-setup summary")
    page.click("#start-practice")
    expect(page.locator("#mood-box")).to_be_visible()
    page.reload()
    expect(page.locator("#messages li.marker").first).to_have_text("开始练习")
    assert "start_practice" not in page.locator("#messages").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_changes_role_and_team_resets_a_password_and_deactivates(
    stack: RunningStack, browser: Browser, lang: str
) -> None:
    stack.add_user(f"desk-staff-{lang}", "trainee", "browser-team")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_as(page, stack, f"desk-admin-{lang}", "admin", lang)
    page.goto(f"{stack.api_url}/admin")
    row = page.locator("tr", has_text=f"desk-staff-{lang}")
    coach_role = "教练" if lang == "zh" else "Coach"
    row.locator("select[name=role]").select_option(label=coach_role)
    row.locator("select[name=teams]").select_option("browser-team")
    row.locator("form.user-edit button").click()
    expect(page.locator("#saved")).to_be_visible()
    row = page.locator("tr", has_text=f"desk-staff-{lang}")
    assert row.locator("select[name=role] option:checked").inner_text() == coach_role
    row.locator("form[action$='/password'] button").click()
    new_password = page.locator("#new-password").inner_text()
    assert len(new_password) >= 12  # shown once, random
    page.locator("tr", has_text=f"desk-staff-{lang}").locator(
        "form[action$='/active'] button"
    ).click()
    expect(page.locator("tr.inactive", has_text=f"desk-staff-{lang}")).to_have_count(1)
    assert "role_" not in visible_text(page) and "{" not in visible_text(page)
