"""A trainee in a real browser (Debian's Chromium, driven by Playwright) against the real
stack: log in, practise a full session in Chinese and one in English, watch the coach panel
update, get the scorecard, reload without losing anything."""

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from testkit.practice_scripts import script
from testkit.stack import RunningStack
from tests.e2e.browser import log_in, play_until_scorecard, reply, screenshot, start_practice

pytestmark = pytest.mark.e2e


def practise_by_api(stack: RunningStack, token: str) -> None:
    """A finished practice session for the trainee, through the API: a score to chart."""
    start = '/start_practice{"scenario": "hotel_room", "customer_type": "thinking", "seed": 5}'
    for message in [start, *script("hotel_room", "thinking", "zh")]:
        httpx.post(
            f"{stack.api_url}/api/v1/chat",
            json={"conversation_id": "api-practice", "message": message},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).raise_for_status()


def test_chinese_practice_session_in_the_browser(stack: RunningStack, trainee_page: Page) -> None:
    page = trainee_page
    log_in(page, stack, "browser-zh", "zh")
    start_practice(page, "hotel_room", "thinking")
    reply(page, script("hotel_room", "thinking", "zh")[0])
    expect(page.locator("#last-reply mark").first).to_be_visible()  # flagged spans
    page.locator("#last-reply mark").first.click()  # a tap shows the explanation
    expect(page.locator("#flag-detail")).not_to_be_empty()
    expect(page.locator("#dot")).to_have_attribute("visibility", "visible")  # quadrant dot
    assert page.locator("#trail").get_attribute("points")
    expect(page.locator("#meter .bar")).to_have_count(4)
    screenshot(page, "chat-practice-zh.png")
    play_until_scorecard(page, "hotel_room", "thinking", "zh")
    expect(page.locator("#scorecard-body")).to_contain_text("得分")
    screenshot(page, "chat-scorecard-zh.png")
    count = page.locator("#messages li").count()
    page.reload()
    expect(page.locator("#messages li")).to_have_count(count)  # nothing lost on reload


def test_english_practice_session_in_the_browser(stack: RunningStack, trainee_page: Page) -> None:
    page = trainee_page
    log_in(page, stack, "browser-en", "en")
    expect(page.locator("aside")).to_contain_text("Coach panel")
    start_practice(page, "broadband_outage", "power")
    play_until_scorecard(page, "broadband_outage", "power", "en")
    expect(page.locator("#scorecard-body")).to_contain_text("Score")
    expect(page.locator("#mood")).to_be_visible()


def test_typed_text_survives_an_unreachable_bot_and_is_sent_once_it_is_back(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "browser-offline", "en")
    page.route("**/api/v1/chat", lambda route: route.fulfill(status=503, body="{}"))
    page.fill("#message", "Fix it today, no excuses")
    page.click("#send")
    expect(page.locator("#chat-status")).to_contain_text("Sending again automatically")
    expect(page.locator("#message")).to_have_value("Fix it today, no excuses")
    page.unroute("**/api/v1/chat")  # the bot is back: the retry goes through, once
    expect(page.locator("#messages li.trainee")).to_have_count(1, timeout=15_000)
    expect(page.locator("#chat-status")).to_be_hidden()
    expect(page.locator("#message")).to_have_value("")


def test_coach_reviews_comments_relabels_and_exports(stack: RunningStack, browser: Browser) -> None:
    trainee = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    practise_by_api(stack, log_in(trainee, stack, "browser-coachee", "zh"))
    trainee.fill("#message", "我不想听解释，今天下午五点前必须修好")
    trainee.click("#send")
    expect(trainee.locator("#meter .bar")).to_have_count(4)

    coach = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    stack.add_user("browser-coach", "coach", "browser-team")
    coach.goto(f"{stack.api_url}/login?lang=zh")
    coach.fill("input[name=name]", "browser-coach")
    coach.fill("input[name=password]", "browser-coach-password-123")
    coach.click("button[type=submit]")
    coach.wait_for_url("**/review")
    coach.fill("input[name=trainee]", "browser-coachee")
    coach.select_option("select[name=mode]", "coach")
    coach.click("#filters button[type=submit]")
    expect(coach.locator("table.inbox tbody tr")).to_have_count(1)
    screenshot(coach, "review-inbox.png")
    with coach.expect_download() as download:
        coach.click("#export-csv")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert "browser-coachee" in exported and "coach" in exported

    coach.click("table.inbox tbody tr a")
    expect(coach.locator("#m0 .reading")).to_contain_text("权力型")
    coach.click("#m0 details.add-comment summary")
    coach.fill("#m0 textarea[name=text]", "先给出明确时间，再解释原因")
    coach.click("#m0 details.add-comment button[type=submit]")
    expect(coach.locator("#m0 .comment")).to_contain_text("先给出明确时间")
    coach.select_option("#m0 select[name=label]", "thinking")
    coach.click("#m0 form.relabel button")
    screenshot(coach, "review-transcript.png")
    coach.goto(f"{stack.api_url}/progress?trainee=browser-coachee")
    expect(coach.locator("#latest-score")).not_to_have_text("—")  # the practice scorecard
    screenshot(coach, "progress.png")
    coach.goto(f"{stack.api_url}/training-data")
    expect(coach.locator("pre.yaml")).to_contain_text("customer_thinking")
    expect(coach.locator("pre.yaml")).to_contain_text("今天下午五点前必须修好")

    trainee.goto(f"{stack.api_url}/review")
    trainee.click("table.inbox tbody tr a")
    expect(trainee.locator("#m0 .comment")).to_contain_text("先给出明确时间")
    expect(trainee.locator("form.relabel")).to_have_count(0)  # read-only for trainees
