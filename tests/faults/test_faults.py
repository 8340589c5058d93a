"""Fault tests on the production profile: PostgreSQL, Redis, two Rasa replicas, two API
workers, all real. `make test` runs the fast ones; `make test-faults` runs every one.

Each test breaks one part, checks that the trainee gets a clear answer meanwhile, brings the
part back the way an operator would, and checks that the conversation carries on. The
replica test runs last: it leaves the stack with one replica.
"""

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from testkit import chat_client
from testkit.stack import ROOT, RunningStack, check_events, event_problems, running_stack

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_stack(tmp_path_factory.mktemp("prod"), profile="prod", replicas=2) as stack:
        yield stack


@pytest.fixture(scope="module")
def headers(prod: RunningStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {prod.add_user('fault-trainee', 'trainee', 'faults')}"}


@pytest.fixture(scope="module")
def restarted() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """Processes a test started again itself; stopped when the module ends."""
    started: dict[str, subprocess.Popen[bytes]] = {}
    yield started
    for process in started.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=30)


def turn(prod: RunningStack, headers: dict[str, str], conversation: str, message: str) -> Any:
    return httpx.post(
        f"{prod.api_url}/api/v1/chat",
        json={"conversation_id": conversation, "message": message},
        headers=headers,
        timeout=30,
    )


def stop(pid: int, how: int = signal.SIGKILL) -> None:
    os.killpg(pid, how)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} did not stop")


def start_again(
    prod: RunningStack, name: str, restarted: dict[str, subprocess.Popen[bytes]]
) -> None:
    spec = prod.restartable[name]
    with (prod.state_dir / "log" / f"{name}.log").open("ab") as log:
        restarted[name] = subprocess.Popen(
            spec["argv"],
            cwd=ROOT,
            env={**os.environ, **spec["env"]},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def until_answered(
    prod: RunningStack, headers: dict[str, str], conversation: str, message: str, within: float
) -> Any:
    """Send until the turn succeeds (the part is back), failing after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        response = turn(prod, headers, conversation, message)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        assert response.status_code == 503, response.text
        time.sleep(1)


def outage(
    prod: RunningStack,
    headers: dict[str, str],
    restarted: dict[str, subprocess.Popen[bytes]],
    part: tuple[str, int],
    conversation: str,
    message: str,
    says: str,
) -> Any:
    """Stop `part` (process name, signal): `message` must get a 503 that `says` why. Then
    start the part again and return `message`'s first answered try (within 60 s)."""
    name, how = part
    stop(prod.pids[name], how)
    down = turn(prod, headers, conversation, message)
    assert down.status_code == 503
    assert says in down.json()["detail"]
    start_again(prod, name, restarted)
    back = until_answered(prod, headers, conversation, message, within=60)
    assert back.status_code == 200, back.text
    return back


def conversation_problems(prod: RunningStack, conversation: str, sent: list[str]) -> list[str]:
    sender = prod.rasa_sender(conversation)
    return event_problems(prod.tracker_events([sender])[sender], sent)


def test_action_server_down_says_coach_unavailable_and_resumes(
    prod: RunningStack,
    headers: dict[str, str],
    restarted: dict[str, subprocess.Popen[bytes]],
) -> None:
    assert turn(prod, headers, "fault-actions", "设备又坏了，今天必须修好").status_code == 200
    part = ("actions", signal.SIGTERM)
    coach = "coach is unavailable"
    back = outage(prod, headers, restarted, part, "fault-actions", "什么时候能修好？", coach)
    assert "权力型" in " ".join(m.get("text") or "" for m in back.json()["messages"])


@pytest.mark.slow_fault
def test_postgres_restart_is_survived_without_restarting_app_or_rasa(
    prod: RunningStack,
    headers: dict[str, str],
    restarted: dict[str, subprocess.Popen[bytes]],
) -> None:
    assert turn(prod, headers, "fault-pg", "Please send me the test report").status_code == 200
    part = ("postgres", signal.SIGINT)  # PostgreSQL's fast shutdown
    outage(
        prod, headers, restarted, part, "fault-pg", "Which clause applies here?", "not reachable"
    )
    for name in ("api", "rasa", "rasa-2"):
        os.kill(prod.pids[name], 0)  # still the same processes
    sent = ["Please send me the test report", "Which clause applies here?"]
    assert conversation_problems(prod, "fault-pg", sent) == []


@pytest.mark.slow_fault
def test_redis_down_gives_a_clear_error_and_recovers(
    prod: RunningStack,
    headers: dict[str, str],
    restarted: dict[str, subprocess.Popen[bytes]],
) -> None:
    assert turn(prod, headers, "fault-redis", "I need this fixed today").status_code == 200
    part = ("redis", signal.SIGTERM)
    outage(prod, headers, restarted, part, "fault-redis", "Who is responsible?", "not processed")
    sent = ["I need this fixed today", "Who is responsible?"]
    assert conversation_problems(prod, "fault-redis", sent) == []


def test_killing_a_replica_during_a_class_start_loses_nothing(
    prod: RunningStack, headers: dict[str, str]
) -> None:
    """A class of trainees starts within 2 s; one replica is killed (SIGKILL) while their
    turns are in flight. Every turn is answered (clients retry with the same id, as the web
    chat does) and every conversation's stored events are exactly the answered turns: no
    duplicate, no gap. Leaves the stack with one replica, so it runs last but one."""
    token = headers["Authorization"].removeprefix("Bearer ")
    trainees, turns = 12, 4
    answered: dict[str, list[tuple[str, str | None]]] = {}
    lost: list[str] = []

    async def trainee(client: httpx.AsyncClient, number: int) -> None:
        conversation = f"fault-class-{number}"
        answered[conversation] = []
        await asyncio.sleep(number * 2 / trainees)
        messages = ["开始练习 快递 简单", *CLASS_REPLIES][:turns]
        for message in messages:
            outcome = await chat_client.send(
                client, prod.api_url, token, conversation, message, give_up_after=90
            )
            if not outcome.ok:
                lost.append(f"{conversation}: {outcome.error}")
                return
            answered[conversation].append((message, outcome.message_id))
            await asyncio.sleep(0.5)

    async def class_start() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            players = asyncio.gather(*(trainee(client, n) for n in range(trainees)))
            await asyncio.sleep(2.5)  # the class is mid-burst
            stop(prod.pids["rasa-2"])
            await players

    asyncio.run(class_start())
    assert lost == []
    ready = httpx.get(f"{prod.api_url}/readyz", timeout=10).json()
    assert "1/2 replicas serving" in ready["components"]["rasa"]["detail"]
    senders = {conversation: prod.rasa_sender(conversation) for conversation in answered}
    stored = prod.tracker_events(senders.values())
    differing = {
        conversation: check_events(stored[senders[conversation]], sent).problems()
        for conversation, sent in answered.items()
    }
    assert {name: problems for name, problems in differing.items() if problems} == {}
    assert all(len(sent) == turns for sent in answered.values())


CLASS_REPLIES = [
    "您好，我是客服小王，请问有什么可以帮您？",
    "非常抱歉让您久等了，我马上帮您查一下物流",
    "已经为您加急，今天下午三点前给您回电话",
]


def test_files_holding_passwords_are_private(prod: RunningStack) -> None:
    for path in ("ready.json", "run/endpoints.yml", "run/redis.conf", "secrets/postgres_password"):
        assert Path(prod.state_dir, path).stat().st_mode & 0o077 == 0, path
