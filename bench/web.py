"""The web app through the real stack: the coach inbox's server time with 1,000
conversations in the store (retakes, comments and tags among them), and the trainee's
chat round trip in a real browser."""

import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import sync_playwright

from api.db.database import Database
from api.db.models import Comment, Conversation, ConversationTag, User
from testkit.stack import RunningStack

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEEDED = 1000
TRAINEES = 20
LINES = [
    "我不想听解释，今天必须修好",
    "Could you send me the error log before the visit?",
    "不好意思打扰了，你们方便的时候再来就行",
    "Oh no, my birthday parcel! I'm so upset!!",
]


@dataclass
class WebFigures:
    inbox_ms: list[float]
    filtered_ms: list[float]
    browser_ms: list[float]


def seed_conversations(stack: RunningStack) -> None:
    """1,000 indexed conversations of 20 trainees in the bench coach's team: a third with
    a retake, every tenth tagged, every seventh with an unread coach comment."""
    names = [f"bench-trainee-{n}" for n in range(TRAINEES)]
    for name in names:
        stack.add_user(name, "trainee", "bench-team")
    stack.add_user("bench-reviewer", "coach", "bench-team")
    database = Database(stack.database_url)
    rng = random.Random(7)
    now = datetime.now(UTC)
    with database.session() as session, session.begin():
        wanted = [*names, "bench-reviewer"]
        users = {u.name: u.id for u in session.query(User).filter(User.name.in_(wanted))}
        for number in range(SEEDED):
            user_id = users[names[number % TRAINEES]]
            practice = number % 3 != 0
            conversation = Conversation(
                user_id=user_id,
                client_id=f"seeded-{number}",
                rasa_sender=f"web-{user_id}-seeded-{number}",
                mode="practice" if practice else "coach",
                scenario="hotel_room" if practice else None,
                customer_type=rng.choice(["power", "social", "harmonious", "thinking"]),
                difficulty="normal" if practice else None,
                exam=False,
                score=rng.randint(30, 95) if practice else None,
                messages=rng.randint(2, 12),
                reviewed=number % 4 == 0,
                last_activity_at=now - timedelta(minutes=number),
            )
            if practice and number % 3 == 1:
                first = rng.randint(30, 70)
                conversation.attempts = [{"score": first}, {"score": conversation.score}]
            session.add(conversation)
            session.flush()
            if number % 7 == 0:
                text = "先确认时间再解释原因"
                reviewer = users["bench-reviewer"]
                session.add(
                    Comment(conversation_id=conversation.id, turn=1, author_id=reviewer, text=text)
                )
            if number % 10 == 0:
                session.add(ConversationTag(conversation_id=conversation.id, tag="follow-up"))
    database.dispose()


def measure_web(stack: RunningStack, requests: int) -> WebFigures:
    seed_conversations(stack)
    stack.add_user("bench-coach", "coach", "bench-team")
    figures = WebFigures([], [], [])
    with httpx.Client(base_url=stack.api_url, timeout=30) as coach:
        login = coach.get("/login")
        csrf = login.text.split('name="csrf_token" value="')[1].split('"')[0]
        form = {"name": "bench-coach", "password": "bench-coach-password-123", "csrf_token": csrf}
        if coach.post("/login", data=form).status_code != 303:
            raise RuntimeError("the bench coach could not log in")
        for index in range(requests + 10):
            started = time.perf_counter()
            coach.get("/review").raise_for_status()
            inbox_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            coach.get("/review?mode=practice&score_min=60&tag=follow-up").raise_for_status()
            filtered_ms = (time.perf_counter() - started) * 1000
            if index >= 10:
                figures.inbox_ms.append(inbox_ms)
                figures.filtered_ms.append(filtered_ms)
    figures.browser_ms = browser_round_trips(stack, 40)
    return figures


def browser_round_trips(stack: RunningStack, count: int) -> list[float]:
    """Send → the bot's answer on screen, timed in the page, coach mode, one user."""
    stack.add_user("bench-browser", "trainee", "bench-team")
    timings: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{stack.api_url}/login")
        page.fill("input[name=name]", "bench-browser")
        page.fill("input[name=password]", "bench-browser-password-123")
        page.click("button[type=submit]")
        page.wait_for_url("**/chat")
        for index in range(count + 5):
            before = page.locator("#messages li").count()
            page.fill("#message", LINES[index % len(LINES)])
            started = time.perf_counter()
            page.click("#send")
            # polled every animation frame: the moment the answer is on screen
            page.wait_for_function(
                "n => document.querySelectorAll('#messages li').length > n + 1"
                " && !document.getElementById('send').disabled",
                arg=before,
                polling="raf",
            )
            if index >= 5:
                timings.append((time.perf_counter() - started) * 1000)
        browser.close()
    return timings


def web_rows(figures: WebFigures, p95: dict[str, float]) -> list[tuple[str, str, str]]:
    return [
        (
            f"Coach inbox page, {SEEDED} conversations in the store, server time p50 / p95",
            f"{statistics.median(figures.inbox_ms):.1f} / {p95['inbox']:.1f} ms",
            "p95 ≤ 100 ms",
        ),
        (
            "… with filters (mode, score ≥ 60, tag), p50 / p95",
            f"{statistics.median(figures.filtered_ms):.1f} / {p95['filtered']:.1f} ms",
            "—",
        ),
        (
            f"Chat round trip in Chromium (send → answer shown), p50 / p95 "
            f"({len(figures.browser_ms)} messages)",
            f"{statistics.median(figures.browser_ms):.1f} / {p95['browser']:.1f} ms",
            "p95 ≤ 300 ms",
        ),
    ]
