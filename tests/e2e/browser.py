"""What a trainee does in the browser, step by step, for the browser tests."""

from playwright.sync_api import Page, expect

from testkit.practice_scripts import script
from testkit.stack import ROOT, RunningStack

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def log_in(page: Page, stack: RunningStack, name: str, lang: str) -> str:
    """Creates the trainee, logs the page in; returns the trainee's API token."""
    token = stack.add_user(name, "trainee", "browser-team")
    page.goto(f"{stack.api_url}/login?lang={lang}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", f"{name}-password-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/chat")
    return token


def log_in_as(page: Page, stack: RunningStack, name: str, role: str, lang: str) -> str:
    """Creates a user of any role in the browser team and logs the page in at its home."""
    token = stack.add_user(name, role, "browser-team")
    page.goto(f"{stack.api_url}/login?lang={lang}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", f"{name}-password-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/chat" if role == "trainee" else "**/review")
    return token


def start_practice(page: Page, scenario: str, customer_type: str, difficulty: str = "easy") -> None:
    page.click("#practice-setup summary")
    page.select_option("select[name=scenario]", scenario)
    page.select_option("select[name=customer_type]", customer_type)
    page.select_option("select[name=difficulty]", difficulty)
    page.click("#start-practice")
    expect(page.locator("#mood-box")).to_be_visible()


def reply(page: Page, text: str) -> None:
    before = page.locator("#messages li").count()
    page.fill("#message", text)
    page.click("#send")
    expect(page.locator("#messages li")).not_to_have_count(before, timeout=15_000)
    expect(page.locator("#send")).to_be_enabled()


def play_until_scorecard(page: Page, scenario: str, customer_type: str, lang: str) -> None:
    for line in script(scenario, customer_type, lang):
        reply(page, line)
        if page.locator("#scorecard").is_visible():
            return
    expect(page.locator("#scorecard")).to_be_visible()


def screenshot(page: Page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)
