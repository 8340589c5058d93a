"""Start the whole stack — action server, Rasa server(s), web API — and stop it cleanly.

Used by `make run` (default ports) and by the end-to-end tests and benchmarks (free ports,
a throw-away state folder). Each process logs to its own file in <state>/log/. Ctrl-C or
SIGTERM stops them all. If one dies, it is reported and the others keep running, so the
API can answer 503 and /readyz can name the part that is down.

Two profiles:
- dev (`make run`): SQLite for Rasa's tracker store and the app, one Rasa server, one API
  process; no external service.
- prod (`make run-prod`): PostgreSQL (tracker store and app database) and Redis (Rasa's lock
  store) from scripts/services.py, RASA_REPLICAS Rasa servers (default 2) sharing them, and
  API_WORKERS uvicorn workers (default 2). The API sends each conversation to one replica
  (api/rasa_client.py). Secrets are generated on first run, never defaulted.
Runs on the standard library plus PyYAML, in the app environment.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts.services import (
    APP_DATABASE,
    TRACKER_DATABASE,
    Postgres,
    Redis,
    ServiceError,
    write_private,
)

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin"
APP_BIN = ROOT / ".venv-app" / "bin"


@dataclass
class Stack:
    state: Path
    rasa_port: int
    actions_port: int
    api_port: int
    api_host: str
    model: Path
    profile: str = "dev"
    replicas: int = 1
    api_workers: int = 1
    postgres_port: int = 5433
    redis_port: int = 6380
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)
    postgres: Postgres | None = None
    redis: Redis | None = None

    @property
    def rasa_names(self) -> list[str]:
        """Process names of the replicas: "rasa" is the first, then "rasa-2", "rasa-3"…"""
        return ["rasa", *(f"rasa-{index}" for index in range(2, self.replicas + 1))]

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.rasa_port + index}" for index in range(self.replicas)]

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"

    def log(self, name: str) -> Path:
        return self.state / "log" / f"{name}.log"

    def start(self) -> None:
        make_private(self.state)
        (self.state / "log").mkdir(parents=True, exist_ok=True)
        token_file = ensure_secret(self.state / "secrets" / "rasa_token")
        action_token_file = ensure_secret(self.state / "secrets" / "action_token")
        practice_secret = ensure_secret(self.state / "secrets" / "practice_secret")
        if self.profile == "prod":
            self.start_services()
        endpoints = self.write_endpoints(action_token_file)
        rasa_urls = ",".join(self.rasa_urls)
        self.spawn(
            "actions",
            [str(RASA_BIN / "python"), "-m", "scripts.serve_actions", str(self.actions_port)],
            {
                "SANIC_HOST": "127.0.0.1",
                "COACH_ACTION_TOKEN_FILE": str(action_token_file),
                # mixed into every practice draw, so a seed reveals no hidden type
                "COACH_PRACTICE_SECRET_FILE": str(practice_secret),
                # practice sessions ask Rasa's NLU how it reads the simulated customer
                "COACH_RASA_URL": rasa_urls,
                "COACH_RASA_TOKEN_FILE": str(token_file),
            },
        )
        for name, url in zip(self.rasa_names, self.rasa_urls, strict=True):
            self.spawn(
                name,
                [
                    str(RASA_BIN / "python"),
                    str(ROOT / "scripts" / "serve_rasa.py"),
                    "--enable-api",
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    url.rsplit(":", 1)[1],
                    "--model",
                    str(self.model),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    str(ROOT / "credentials.yml"),
                ],
                {"COACH_RASA_TOKEN_FILE": str(token_file)},
            )
        database_url = self.database_url()
        self.migrate(database_url, base_env())
        self.spawn(
            "api",
            [
                str(APP_BIN / "uvicorn"),
                "api.main:create_app",
                "--factory",
                "--host",
                self.api_host,
                "--port",
                str(self.api_port),
                "--workers",
                str(self.api_workers),
                "--no-access-log",
                *proxy_arguments(),
            ],
            {
                "COACH_PROFILE": self.profile,
                "COACH_RASA_URL": rasa_urls,
                "COACH_ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}",
                "COACH_RASA_TOKEN": token_file.read_text(encoding="utf-8").strip(),
                "COACH_DATABASE_URL": database_url,
            },
        )

    def start_services(self) -> None:
        """PostgreSQL and Redis on loopback, with this state folder's passwords."""
        secrets_dir = self.state / "secrets"
        self.postgres = Postgres(
            self.state, self.postgres_port, read_secret(secrets_dir / "postgres_password")
        )
        self.redis = Redis(self.state, self.redis_port, read_secret(secrets_dir / "redis_password"))
        try:
            self.postgres.initialise(self.log("postgres"))
            self.spawn("postgres", self.postgres.command(), {})
            self.postgres.wait_ready()
            self.postgres.provision()
        except ServiceError as exc:
            raise StackError(str(exc), self.log("postgres")) from exc
        self.spawn("redis", self.redis.command(), {})

    def database_url(self) -> str:
        if self.postgres is not None:
            return self.postgres.url(APP_DATABASE)
        return os.environ.get("COACH_DATABASE_URL") or f"sqlite:///{self.state / 'app.db'}"

    def restartable(self) -> dict[str, dict[str, Any]]:
        """How to start the action server and the services again (for the fault tests).
        Their command lines and extra environment hold file paths, never a secret."""
        return {
            name: {"argv": command, "env": extra}
            for name, (command, extra) in self.commands.items()
            if name in ("actions", "postgres", "redis")
        }

    def migrate(self, database_url: str, env: dict[str, str]) -> None:
        """The API refuses a database behind its migrations: bring it up to date first.
        On an empty database, create the first admin and print its password once."""
        with self.log("migrate").open("ab") as log:
            done = subprocess.run(
                [
                    str(APP_BIN / "python"),
                    "-m",
                    "api.cli",
                    "--database-url",
                    database_url,
                    "migrate",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            raise StackError("migrating the app database failed", self.log("migrate"))
        admin = subprocess.run(
            [
                str(APP_BIN / "python"),
                "-m",
                "api.cli",
                "--database-url",
                database_url,
                "ensure-admin",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if admin.returncode != 0:
            raise StackError(f"creating the first admin failed: {admin.stderr.strip()}", None)
        if admin.stdout:
            print(admin.stdout.strip(), flush=True)  # the only time the password is shown

    def write_endpoints(self, action_token_file: Path) -> Path:
        """endpoints.yml with this run's action-server port and token, and tracker database."""
        config: dict[str, Any] = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
        config["action_endpoint"]["url"] = f"http://127.0.0.1:{self.actions_port}/webhook"
        config["action_endpoint"]["headers"] = {
            "X-Coach-Action-Token": action_token_file.read_text(encoding="utf-8").strip()
        }
        if self.postgres is not None and self.redis is not None:
            config["tracker_store"] = {
                "type": "SQL",
                "dialect": "postgresql",
                "url": "127.0.0.1",
                "port": self.postgres.port,
                "db": TRACKER_DATABASE,
                "username": "coach",
                "password": self.postgres.password,
            }
            config["lock_store"] = {
                "type": "redis",
                "url": "127.0.0.1",
                "port": self.redis.port,
                "password": self.redis.password,
                "db": 1,
                "key_prefix": "coach",
            }
        else:
            tracker_db = self.state / "rasa" / "tracker.db"
            tracker_db.parent.mkdir(parents=True, exist_ok=True)
            config["tracker_store"]["db"] = str(tracker_db)
        path = self.state / "run" / "endpoints.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private(path, yaml.safe_dump(config))  # holds the database and Redis passwords
        return path

    def spawn(self, name: str, command: list[str], extra_env: dict[str, str]) -> None:
        self.commands[name] = (command, extra_env)
        with self.log(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**base_env(), **extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def dead_processes(self) -> set[str]:
        return {name for name, process in self.processes.items() if process.poll() is not None}

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            dead = sorted(self.dead_processes())
            if dead:
                raise StackError(f"the {dead[0]} process exited during start-up", self.log(dead[0]))
            try:
                with urllib.request.urlopen(f"{self.api_url}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                last = exc.read().decode("utf-8", "replace")
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.5)
        raise StackError(f"not ready after {timeout:.0f} s; last readiness answer: {last}", None)

    def stop(self) -> None:
        """SIGTERM to each process group (API first, services last), SIGKILL after 15 s."""
        order = ["api", *self.rasa_names, "actions", "redis", "postgres"]
        for group in (order[:-2], order[-2:]):
            for name in group:
                process = self.processes.get(name)
                if process and process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            self.wait_for_exit([self.processes[name] for name in group if name in self.processes])

    def wait_for_exit(self, processes: list[subprocess.Popen[bytes]]) -> None:
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class StackError(Exception):
    def __init__(self, message: str, log: Path | None) -> None:
        super().__init__(message)
        self.log = log


def proxy_arguments() -> list[str]:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 by default, which lets any local caller
    pick its own address (and so its own login rate limit): trust proxy headers only from the
    addresses FORWARDED_ALLOW_IPS names, when a reverse proxy is deployed in front."""
    allowed = os.environ.get("FORWARDED_ALLOW_IPS", "").strip()
    if not allowed:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", f"--forwarded-allow-ips={allowed}"]


def make_private(state: Path) -> None:
    """Everything this stack writes under its state folder is for its owner only: new files
    through the umask, files from older runs fixed here."""
    os.umask(0o077)
    state.mkdir(parents=True, exist_ok=True)
    for path in [state, *state.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode & 0o777
        private = mode & 0o700
        if mode != private:
            path.chmod(private)


def base_env() -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def read_secret(path: Path) -> str:
    return ensure_secret(path).read_text(encoding="utf-8").strip()


def ensure_secret(path: Path) -> Path:
    """Create a random token on first run, readable by the owner only; reuse it afterwards."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
    return path


def current_model() -> Path:
    model_hash = subprocess.run(
        [str(ROOT / "scripts" / "model_hash.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()
    model = ROOT / "models" / f"coach-{model_hash}.tar.gz"
    if not model.exists():
        raise SystemExit(f"no trained model for the current data ({model.name}); run `make train`")
    return model


def tail(path: Path | None, lines: int = 30) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text("utf-8", "replace").splitlines()[-lines:])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state-dir", type=Path, default=ROOT / "var")
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument(
        "--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055))
    )
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("API_PORT", 8000)))
    parser.add_argument("--api-host", default=os.environ.get("API_HOST", "127.0.0.1"))
    parser.add_argument("--model", type=Path, help="model archive (default: the current one)")
    parser.add_argument(
        "--profile", choices=("dev", "prod"), default=os.environ.get("PROFILE") or "dev"
    )
    parser.add_argument("--replicas", type=int, help="Rasa servers (prod: RASA_REPLICAS or 2)")
    parser.add_argument("--api-workers", type=int, help="uvicorn workers (prod: API_WORKERS or 2)")
    parser.add_argument(
        "--postgres-port", type=int, default=int(os.environ.get("POSTGRES_PORT", 5433))
    )
    parser.add_argument("--redis-port", type=int, default=int(os.environ.get("REDIS_PORT", 6380)))
    parser.add_argument("--ready-timeout", type=float, default=180)
    parser.add_argument("--ready-file", type=Path, help="write ports and timings here when ready")
    return parser.parse_args()


def default_scale(args: argparse.Namespace) -> int:
    return 2 if args.profile == "prod" else 1


def main() -> int:
    args = parse_args()
    stack = Stack(
        state=args.state_dir.resolve(),
        rasa_port=args.rasa_port,
        actions_port=args.actions_port,
        api_port=args.api_port,
        api_host=args.api_host,
        model=args.model or current_model(),
        profile=args.profile,
        replicas=args.replicas or int(os.environ.get("RASA_REPLICAS") or default_scale(args)),
        api_workers=args.api_workers or int(os.environ.get("API_WORKERS") or default_scale(args)),
        postgres_port=args.postgres_port,
        redis_port=args.redis_port,
    )
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    started = time.monotonic()
    print(f"starting the {stack.profile} stack (logs in {stack.state / 'log'}) ...", flush=True)
    try:
        stack.start()
        stack.wait_ready(args.ready_timeout)
    except StackError as exc:
        stack.stop()
        print(f"start-up failed: {exc}\n{tail(exc.log)}", file=sys.stderr)
        return 1
    ready_after = time.monotonic() - started
    if args.ready_file:
        write_private(
            args.ready_file,
            json.dumps(
                {
                    "api_url": stack.api_url,
                    "rasa_url": f"http://127.0.0.1:{stack.rasa_port}",
                    "rasa_urls": stack.rasa_urls,
                    "actions_url": f"http://127.0.0.1:{stack.actions_port}",
                    "database_url": stack.database_url(),
                    "ready_seconds": ready_after,
                    "pids": {name: process.pid for name, process in stack.processes.items()},
                    "restartable": stack.restartable(),
                    "postgres_home": str(stack.postgres.home) if stack.postgres else None,
                }
            ),
        )
    docs = f"  (API docs: {stack.api_url}/docs)" if stack.profile == "dev" else ""
    print(f"ready after {ready_after:.0f} s: {stack.api_url}{docs}")
    print("press Ctrl-C to stop", flush=True)
    reported: set[str] = set()
    while not stopping:
        for name in sorted(stack.dead_processes() - reported):
            reported.add(name)
            print(
                f"the {name} process stopped unexpectedly; /readyz reports it and the others "
                f"keep running (Ctrl-C stops them). Last lines of its log:\n"
                f"{tail(stack.log(name))}",
                file=sys.stderr,
                flush=True,
            )
        time.sleep(0.5)
    print("stopping ...", flush=True)
    stack.stop()
    print("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
