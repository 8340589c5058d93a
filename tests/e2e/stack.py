"""Start scripts/stack.py on free ports in a throw-away state folder; shared by tests and bench."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
