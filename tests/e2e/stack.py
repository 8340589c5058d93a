"""Start scripts/stack.py on free ports in a throw-away state folder; shared by tests and bench."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RunningStack:
    api_url: str
    rasa_url: str
    ready_seconds: float
    pids: dict[str, int]
    state_dir: Path
    supervisor: subprocess.Popen[bytes]
    teams: set[str] = field(default_factory=set)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.state_dir / 'app.db'}"

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
        with closing(sqlite3.connect(self.state_dir / "app.db")) as db:
            row = db.execute(
                "SELECT rasa_sender FROM conversations WHERE client_id = ?", (client_id,)
            ).fetchone()
        return str(row[0])

    def stop(self, timeout: float = 30) -> int:
        """Ctrl-C the supervisor, as a user would; return its exit code."""
        if self.supervisor.poll() is None:
            os.kill(self.supervisor.pid, signal.SIGINT)
            try:
                return self.supervisor.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.supervisor.kill()
        return self.supervisor.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_stack(
    state_dir: Path, ready_timeout: float = 180, env: dict[str, str] | None = None
) -> Iterator[RunningStack]:
    """`env`: extra environment for the stack, e.g. the Slack settings."""
    ready_file = state_dir / "ready.json"
    command = [
        sys.executable,
        str(ROOT / "scripts" / "stack.py"),
        "--state-dir", str(state_dir),
        "--ready-file", str(ready_file),
        "--rasa-port", str(free_port()),
        "--actions-port", str(free_port()),
        "--api-port", str(free_port()),
        "--ready-timeout", str(ready_timeout),
    ]  # fmt: skip
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
    )
    try:
        yield stack
    finally:
        stack.stop()
