"""Start scripts/stack.py on free ports in a throw-away state folder; shared by tests and bench."""

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class TrackedEvent:
    kind: str
    text: str | None = None
    message_id: str | None = None


def _tracked(kind: str, data: str) -> TrackedEvent:
    if kind != "user":
        return TrackedEvent(kind)
    event = json.loads(data)
    return TrackedEvent(kind, event.get("text"), (event.get("metadata") or {}).get("message_id"))


@dataclass
class RunningStack:
    api_url: str
    rasa_url: str
    ready_seconds: float
    pids: dict[str, int]
    state_dir: Path
    supervisor: subprocess.Popen[bytes]
    database_url: str
    rasa_urls: list[str]
    restartable: dict[str, dict[str, Any]]
    postgres_home: str | None
    actions_url: str = ""
    teams: set[str] = field(default_factory=set)

    @property
    def rasa_token(self) -> str:
        return (self.state_dir / "secrets" / "rasa_token").read_text(encoding="utf-8").strip()

    @property
    def channel_headers(self) -> dict[str, str]:
        """What Rasa's coach channel wants from a caller (the API sends the same)."""
        return {"X-Coach-Token": self.rasa_token}

    def manage(self, *args: str, stdin: str = "") -> str:
        """`make manage` against this stack's database; returns what it printed."""
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", "--database-url", self.database_url, *args],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def add_user(self, name: str, role: str = "trainee", team: str | None = None) -> str:
        """A user with the password `<name>-password-123`; returns a personal API token."""
        teams = ["--team", team] if team else []
        if team and team not in self.teams:
            self.manage("create-team", team)
            self.teams.add(team)
        password = f"{name}-password-123\n"
        self.manage(
            "create-user",
            "--role",
            role,
            "--name",
            name,
            *teams,
            "--password-stdin",
            stdin=password,
        )
        return self.manage("create-token", "--name", name).strip()

    @cached_property
    def trainee_headers(self) -> dict[str, str]:
        """Every /api/v1 route needs a session or a token: the shared e2e trainee's token."""
        return {"Authorization": f"Bearer {self.add_user('e2e-trainee', 'trainee', 'e2e-team')}"}

    def rasa_sender(self, client_id: str) -> str:
        """The Rasa conversation behind the e2e trainee's conversation id."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as db:
                sender = db.execute(
                    text("SELECT rasa_sender FROM conversations WHERE client_id = :id"),
                    {"id": client_id},
                ).scalar_one()
        finally:
            engine.dispose()
        return str(sender)

    def tracker_events(self, senders: Iterable[str]) -> dict[str, list[TrackedEvent]]:
        """Each Rasa conversation's events from the PostgreSQL tracker store: type, and for a
        user event its text and the client's message id."""
        engine = create_engine(make_url(self.database_url).set(database="coach_tracker"))
        events: dict[str, list[TrackedEvent]] = {}
        try:
            with engine.connect() as db:
                for sender in senders:
                    rows = db.execute(
                        text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                        {"s": sender},
                    ).all()
                    events[sender] = [_tracked(row.type_name, row.data) for row in rows]
        finally:
            engine.dispose()
        return events

    def stop(self, timeout: float = 30) -> int:
        """Ctrl-C the supervisor, as a user would; return its exit code."""
        if self.supervisor.poll() is None:
            os.kill(self.supervisor.pid, signal.SIGINT)
            try:
                return self.supervisor.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.supervisor.kill()
        return self.supervisor.wait()


@dataclass
class EventCheck:
    """How a conversation's stored user events differ from the turns the client saw answered:
    a turn stored twice, a turn missing, turns out of order, a turn with no bot answer."""

    duplicates: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # stored, but never answered to the client
    reordered: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"stored twice: {d}" for d in self.duplicates),
            *(f"missing: {g}" for g in self.gaps),
            *(f"stored but never answered: {e}" for e in self.extra),
            *(f"out of order: {r}" for r in self.reordered),
            *(f"no bot answer: {u}" for u in self.unanswered),
        ]


def check_events(events: list[TrackedEvent], sent: list[tuple[str, str | None]]) -> EventCheck:
    """Compare stored events with the (text, message id) turns sent, in order; matched by id
    when every turn has one, else by text."""
    check = EventCheck()
    users = [(index, event) for index, event in enumerate(events) if event.kind == "user"]
    by_id = all(message_id for _, message_id in sent)
    keys = [str(event.message_id) if by_id else f"text:{event.text}" for _, event in users]
    wanted = [str(message_id) if by_id else f"text:{said}" for said, message_id in sent]
    counts = {key: keys.count(key) for key in set(keys)}
    check.duplicates = [key for key in wanted if counts.get(key, 0) > 1]
    check.gaps = [key for key in wanted if counts.get(key, 0) == 0]
    check.extra = [key for key in dict.fromkeys(keys) if key not in set(wanted)]
    firsts = [key for key in dict.fromkeys(keys) if key in set(wanted)]
    if firsts != [key for key in wanted if key in counts]:
        check.reordered = [f"{firsts[:3]}…"]
    ends = [index for index, _ in users[1:]] + [len(events)]
    check.unanswered = [
        key
        for (start, _), end, key in zip(users, ends, keys, strict=True)
        if not any(event.kind == "bot" for event in events[start:end])
    ]
    return check


def event_problems(events: list[TrackedEvent], sent: list[str]) -> list[str]:
    """What is wrong with a conversation's events, for turns sent as plain texts."""
    return check_events(events, [(said, None) for said in sent]).problems()


_HANDED_OUT: set[int] = set()


def free_port(consecutive: int = 1) -> int:
    """A free loopback port; with `consecutive` > 1, the first of that many free ports.

    Chosen below the kernel's ephemeral range, so no outgoing connection takes it between now
    and the server binding it, and never one this process handed out before, so the ports of
    one stack are distinct (a CI run failed when the actions port was the second Rasa port).
    """
    top = ephemeral_range_start() - consecutive
    for _ in range(200):
        first = random.randrange(20000, top)
        block = range(first, first + consecutive)
        if _HANDED_OUT.isdisjoint(block) and all(port_is_free(port) for port in block):
            _HANDED_OUT.update(block)
            return first
    raise RuntimeError(f"no {consecutive} consecutive free ports")


def ephemeral_range_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def running_stack(
    state_dir: Path,
    ready_timeout: float = 180,
    env: dict[str, str] | None = None,
    profile: str = "dev",
    replicas: int = 1,
) -> Iterator[RunningStack]:
    """`env`: extra environment for the stack, e.g. the Slack settings."""
    ready_file = state_dir / "ready.json"
    command = [
        sys.executable,
        "-m",
        "scripts.stack",
        "--state-dir", str(state_dir),
        "--ready-file", str(ready_file),
        "--profile", profile,
        "--replicas", str(replicas),
        "--rasa-port", str(free_port(replicas)),
        "--actions-port", str(free_port()),
        "--api-port", str(free_port()),
        "--ready-timeout", str(ready_timeout),
    ]  # fmt: skip
    if profile == "prod":
        command += ["--postgres-port", str(free_port()), "--redis-port", str(free_port())]
    supervisor = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + ready_timeout + 10
    while not ready_file.exists():
        if supervisor.poll() is not None or time.monotonic() > deadline:
            supervisor.kill()
            output = supervisor.communicate()[0].decode("utf-8", "replace")
            raise RuntimeError(f"the stack did not start:\n{output}")
        time.sleep(0.3)
    info = json.loads(ready_file.read_text())
    stack = RunningStack(
        api_url=info["api_url"],
        rasa_url=info["rasa_url"],
        ready_seconds=info["ready_seconds"],
        pids=info["pids"],
        state_dir=state_dir,
        supervisor=supervisor,
        database_url=info["database_url"],
        rasa_urls=info["rasa_urls"],
        restartable=info["restartable"],
        postgres_home=info["postgres_home"],
        actions_url=info["actions_url"],
    )
    try:
        yield stack
    finally:
        stack.stop()
        if stack.postgres_home:  # a throw-away state folder's database goes with it
            shutil.rmtree(stack.postgres_home, ignore_errors=True)
