"""One real stack for every end-to-end test, with Slack on and pointed at a fake Slack, and
one headless Chromium for the browser tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from testkit.fake_slack import FakeSlack, fake_slack_server
from testkit.stack import RunningStack, free_port, running_stack
from tests.e2e.browser import CHROMIUM, FLAGS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that stop parts of the shared stack run last, whatever file they are in."""
    items.sort(key=lambda item: item.get_closest_marker("stops_stack") is not None)


@pytest.fixture(scope="session")
def slack() -> Iterator[FakeSlack]:
    with fake_slack_server(free_port()) as server:
        yield server


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, slack: FakeSlack) -> Iterator[RunningStack]:
    state_dir: Path = tmp_path_factory.mktemp("stack")
    with running_stack(state_dir, env=slack.stack_env()) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def trainee_page(stack: RunningStack, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
