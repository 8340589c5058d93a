"""The coach panel says what the chat bubble says: the same flagged words, the same phrasings,
the same mood, a clean start for a new conversation, labels in the page's language and the
server's own words when something fails. Real stack, real Chromium."""

import json
import re
from itertools import pairwise
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from testkit.stack import RunningStack
from tests.e2e.browser import log_in, reply, start_practice

pytestmark = pytest.mark.e2e


def send_and_read(page: Page, text: str) -> list[dict[str, Any]]:
    """Type `text`, wait for the answer; the bot's messages as the page received them."""
    with page.expect_response("**/api/v1/chat") as answer:
        reply(page, text)
    messages: list[dict[str, Any]] = answer.value.json()["messages"]
    return messages


def payload(messages: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [m["custom"] for m in messages if (m.get("custom") or {}).get("kind") == kind]
    assert found, f"no {kind} payload in {messages}"
    last: dict[str, Any] = found[-1]
    return last


def bubbles(page: Page) -> str:
    return "\n".join(page.locator("#messages li.bot").all_inner_texts())


@pytest.mark.parametrize(
    ("lang", "message", "draft"),
    [
        ("zh", "我打算这样回复：请您别着急，我们尽快处理", "请您别着急，我们尽快处理"),
        ("en", "My reply: calm down, we'll sort it out as soon as possible", None),
    ],
)
def test_draft_check_highlights_exactly_the_flagged_words(
    stack: RunningStack, trainee_page: Page, lang: str, message: str, draft: str | None
) -> None:
    page = trainee_page
    log_in(page, stack, f"panel-draft-{lang}", lang)
    review = payload(send_and_read(page, message), "reply_review")
    shown = draft or message.split(":", 1)[1].strip()
    assert review["reply"] == shown  # the lead-in is not part of the draft
    expect(page.locator("#last-reply")).to_have_text(shown)
    marks = page.locator("#last-reply mark")
    flagged = sorted(review["flags"], key=lambda flag: flag["start"])
    assert flagged, "the draft has problems to flag"
    expect(marks).to_have_count(len(flagged))
    for mark, flag in zip(marks.all(), flagged, strict=True):
        assert mark.inner_text() == shown[flag["start"] : flag["end"]] == flag["text"]
    for flag in flagged:
        assert flag["text"] in bubbles(page)  # the bubble quotes the same words


def test_panel_phrasings_are_the_cards_own(stack: RunningStack, trainee_page: Page) -> None:
    page = trainee_page
    log_in(page, stack, "panel-phrasings", "zh")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    card = payload(send_and_read(page, "别跟我绕弯子，工程师今天几点能到？"), "coaching_card")
    expect(page.locator("#phrasings li")).to_have_text(card["phrasings"])
    for phrasing in card["phrasings"]:
        assert phrasing in bubbles(page)
    assert not [url for url in fetched if "/api/v1/types/" in url]  # no second source


def test_new_conversation_starts_with_an_empty_panel(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-new", "zh")
    send_and_read(page, "别跟我绕弯子，工程师今天几点能到？")
    send_and_read(page, "我打算这样回复：请您别着急，我们尽快处理")
    expect(page.locator("#meter .bar")).to_have_count(4)
    page.click("#new-conversation")
    expect(page.locator("#messages li")).to_have_count(0)
    expect(page.locator("#meter .bar")).to_have_count(0)
    expect(page.locator("#dot")).to_have_attribute("visibility", "hidden")
    assert not page.locator("#trail").get_attribute("points")
    expect(page.locator("#last-reply")).to_have_text("还没有回复。")
    expect(page.locator("#flags li")).to_have_count(0)
    expect(page.locator("#phrasings li")).to_have_count(0)
    expect(page.locator("#feedback")).to_have_text("")
    expect(page.locator("#mood-box")).to_be_hidden()
    expect(page.locator("#scorecard")).to_be_hidden()
    expect(page.locator("#mode-hint")).to_have_text(
        "辅导模式：把客户的原话贴进来，教练会判断类型并给出说法。"
    )
    page.reload()  # and the new conversation is what the page restores
    expect(page.locator("#messages li")).to_have_count(0)


def test_starting_over_in_the_chat_clears_the_old_customer(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-start-over", "en")
    send_and_read(page, "Skip the story. When will the engineer be here?")
    expect(page.locator("#meter .bar")).to_have_count(4)
    payload(send_and_read(page, "start over"), "start_over")
    expect(page.locator("#messages li.bot").last).to_contain_text("new customer")
    expect(page.locator("#meter .bar")).to_have_count(0)
    expect(page.locator("#dot")).to_have_attribute("visibility", "hidden")
    expect(page.locator("#phrasings li")).to_have_count(0)
    expect(page.locator("#mode-hint")).to_be_visible()


def test_panel_mood_is_the_bubbles_mood(stack: RunningStack, trainee_page: Page) -> None:
    page = trainee_page
    log_in(page, stack, "panel-mood", "zh")
    start_practice(page, "broadband_outage", "social", "normal")
    send_and_read(page, "回头再说吧，这是公司的规定。")
    shown = page.locator("#mood em").inner_text()
    line = re.search(r"客户情绪：(\S+) → (\S+)", bubbles(page))
    assert line, bubbles(page)
    assert shown == line.group(2)


def test_labels_follow_the_page_and_content_the_conversation(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-langs", "zh")
    review = payload(send_and_read(page, "My reply: calm down, I don't know."), "reply_review")
    items = page.locator("#flags li").all_inner_texts()
    assert items and len(items) == len(review["flags"])
    for item, flag in zip(items, review["flags"], strict=True):
        label = {"avoid": "要避免", "tip": "提示", "good": "做得好"}[flag["severity"]]
        assert item.startswith(f"{label}: ")  # the page's language
        assert re.search(r"[A-Za-z]{3,}", flag["explanation"])  # the conversation's
        assert flag["explanation"] in item


def test_a_busy_coach_is_retried_with_the_same_id_and_the_turn_lands_once(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-errors", "en")
    detail = "Too many people are practising right now, so this message has not been sent yet."
    bodies: list[dict[str, Any]] = []

    def busy_twice(route: Route) -> None:
        bodies.append(json.loads(route.request.post_data or "{}"))
        if len(bodies) <= 2:
            route.fulfill(
                status=503,
                headers={"Retry-After": "1"},
                content_type="application/json",
                body=json.dumps({"detail": detail, "code": "queue_full"}),
            )
        else:
            route.continue_()

    page.route("**/api/v1/chat", busy_twice)
    page.fill("#message", "Fix it today")
    page.click("#send")
    expect(page.locator("#chat-status")).to_contain_text(detail)  # the server's words, waiting
    expect(page.locator("#chat-status")).to_contain_text("Sending again automatically in 1 s")
    expect(page.locator("#message")).to_have_value("Fix it today")  # nothing lost meanwhile
    expect(page.locator("#messages li.trainee")).to_have_text(["Fix it today"], timeout=20_000)
    expect(page.locator("#chat-status")).to_be_hidden()
    expect(page.locator("#message")).to_have_value("")
    assert len(bodies) == 3 and len({body["message_id"] for body in bodies}) == 1


def test_a_refused_message_shows_the_reason_at_once_and_keeps_the_text(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-refused", "en")
    page.fill("#message", "/restart")
    page.click("#send")
    expect(page.locator("#chat-error")).to_contain_text("not one of this app's button commands")
    expect(page.locator("#message")).to_have_value("/restart")
    expect(page.locator("#messages li.trainee")).to_have_count(0)


def test_a_second_enter_while_waiting_sends_nothing_more(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-double", "en")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/api/v1/chat") else None)
    page.fill("#message", "Fix it today")
    # Enter, Enter and the check button, faster than any answer can come back.
    page.evaluate(
        """() => {
        const form = document.getElementById("composer");
        form.requestSubmit();
        form.requestSubmit();
        document.getElementById("check-reply").click();
    }"""
    )
    expect(page.locator("#messages li.trainee")).to_have_text(["Fix it today"], timeout=20_000)
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#chat-error")).to_be_hidden()
    assert len(sent) == 1


def test_a_paste_over_the_limit_stays_whole_and_is_refused(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-long", "en")
    text = "The analyzer stopped again. " * 200  # 5,600 characters
    page.fill("#message", text)
    expect(page.locator("#chat-error")).to_contain_text("at most 2000 characters")
    page.click("#send")
    expect(page.locator("#message")).to_have_value(text)  # nothing cut, nothing sent
    expect(page.locator("#messages li")).to_have_count(0)
    page.fill("#message", "   ")
    page.click("#send")
    expect(page.locator("#chat-error")).to_have_text("The message is empty: type something first.")


def test_an_exam_hides_the_analysis_until_its_scorecard(
    stack: RunningStack, trainee_page: Page
) -> None:
    page = trainee_page
    log_in(page, stack, "panel-exam", "en")
    page.click("#practice-setup summary")
    page.select_option("select[name=scenario]", "hotel_room")
    page.select_option("select[name=customer_type]", "social")
    page.check("input[name=exam]")
    page.click("#start-practice")
    expect(page.locator("#mood-box")).to_be_visible()
    expect(page.locator("#mode-hint")).to_be_hidden()  # coach mode's hint is not practice's
    send_and_read(page, "Calm down, that's just how the system works.")
    expect(page.locator("#flags li")).to_have_text(["Exam mode: shown at the end."])
    card = payload(send_and_read(page, "/give_up"), "practice_scorecard")
    assert card["exam"]
    expect(page.locator("#scorecard")).to_be_visible()
    expect(page.locator("#scorecard-body")).to_contain_text(f"{card['score']}/100")
    expect(page.locator("#flags li")).to_have_count(0)  # the notice went with the exam


def test_an_answered_questions_buttons_are_spent(stack: RunningStack, trainee_page: Page) -> None:
    page = trainee_page
    log_in(page, stack, "panel-buttons", "en")
    send_and_read(page, "Room 1208.")  # no style cue: the coach asks an axis question
    rows = page.locator("#messages li.bot .buttons")
    asked = rows.nth(rows.count() - 1)  # this question, even once the next one is asked
    expect(asked.locator("button").first).to_be_enabled()
    with page.expect_response("**/api/v1/chat"):
        asked.locator("button").first.click()
    for button in asked.locator("button").all():
        expect(button).to_be_disabled()


@pytest.mark.parametrize(
    ("lang", "facts", "people"), [("zh", "重事实", "重人际"), ("en", "Facts", "People")]
)
def test_the_side_axis_labels_read_whole_and_apart(
    stack: RunningStack, trainee_page: Page, lang: str, facts: str, people: str
) -> None:
    page = trainee_page
    log_in(page, stack, f"panel-axes-{lang}", lang)
    labels = page.locator("#quadrant text.q-label")
    expect(labels.filter(has_text=facts)).to_have_count(1)
    expect(labels.filter(has_text=people)).to_have_count(1)
    for label in (facts, people):
        # Each character (or the turned word) has its own height: the label runs down the side.
        box = labels.filter(has_text=label).bounding_box()
        assert box is not None and box["height"] > 2 * box["width"]
        if lang == "zh":
            chars = labels.filter(has_text=label).locator("tspan")
            tops = [(c.bounding_box() or {"y": 0.0})["y"] for c in chars.all()]
            assert len(tops) == len(label)
            assert all(b - a > 5 for a, b in pairwise(tops))  # no overlap
