"""One real stack for every end-to-end test, with Slack on and pointed at a fake Slack."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import RunningStack, free_port, running_stack
from tests.fake_slack import FakeSlack, fake_slack_server


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
