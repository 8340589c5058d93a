"""PostgreSQL and Redis for the production profile, from Debian's packages, on loopback.

scripts/stack.py runs both as child processes like the rest of the stack, so `make run-prod`
starts and stops them, and the fault tests can kill and restart them. Passwords are made on
first run (<state>/secrets/, mode 600) and set again on every start, so a state folder and
its database always agree. PostgreSQL refuses to run as root: when we are root it runs as
the `postgres` user, with its data in /var/lib/postgresql/coach/<id of the state folder>
(a folder that user can reach; a clone under a private temporary folder is not one).
"""

import glob
import hashlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

APP_DATABASE = "coach_app"
TRACKER_DATABASE = "coach_tracker"
ROLE = "coach"


class ServiceError(Exception):
    pass


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read: it holds passwords."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def postgres_bin(program: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"))
    if not found:
        raise ServiceError("PostgreSQL is not installed; run `make setup` (it installs it)")
    return found[-1]


def as_postgres_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Postgres:
    state: Path
    port: int
    password: str

    @property
    def home(self) -> Path:
        if os.geteuid() != 0:
            return self.state / "postgres"
        state_id = hashlib.sha1(str(self.state).encode()).hexdigest()[:12]
        return Path("/var/lib/postgresql/coach") / state_id

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def sockets(self) -> Path:
        return self.home / "run"

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{ROLE}:{self.password}@127.0.0.1:{self.port}/{database}"

    def command(self) -> list[str]:
        """The server in the foreground, TCP on loopback only."""
        return as_postgres_user(
            [
                postgres_bin("postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.sockets}",
                "-c",
                "max_connections=200",
            ]
        )

    def initialise(self, log: Path) -> None:
        """initdb on first run: local socket by OS user, TCP by password (SCRAM)."""
        if (self.data / "PG_VERSION").exists():
            return
        self.data.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # The stack runs under umask 077, so a freshly made parent would be
            # root-only and the postgres user could not reach its own folder.
            shutil.chown(self.home.parent, "postgres", "postgres")
            shutil.chown(self.home, "postgres", "postgres")
            for folder in (self.data, self.sockets):
                shutil.chown(folder, "postgres", "postgres")
        self.data.chmod(0o700)
        with log.open("ab") as out:
            done = subprocess.run(
                as_postgres_user(
                    [
                        postgres_bin("initdb"),
                        "-D",
                        str(self.data),
                        "--auth-local=peer",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            raise ServiceError(f"initdb failed; see {log}")

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [postgres_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.3)
        raise ServiceError(f"PostgreSQL did not accept connections on port {self.port}")

    def provision(self) -> None:
        """The `coach` role with this state's password, and its two databases."""
        quoted = self.password.replace("'", "''")
        self.psql(
            "DO $$ BEGIN "
            f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
            f"CREATE ROLE {ROLE} LOGIN; END IF; END $$;"
        )
        self.psql(f"ALTER ROLE {ROLE} WITH LOGIN PASSWORD '{quoted}'")
        for database in (APP_DATABASE, TRACKER_DATABASE):
            exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
            if not exists.strip():
                self.psql(f"CREATE DATABASE {database} OWNER {ROLE}")

    def psql(self, sql: str) -> str:
        done = subprocess.run(
            as_postgres_user(
                [
                    postgres_bin("psql"),
                    "-h",
                    str(self.sockets),
                    "-p",
                    str(self.port),
                    "-d",
                    "postgres",
                    "-tA",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    sql,
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ServiceError(f"psql failed: {done.stderr.strip()}")
        return done.stdout


@dataclass
class Redis:
    state: Path
    port: int
    password: str

    def command(self) -> list[str]:
        """Loopback only, a password, no snapshots: it holds Rasa's short-lived locks."""
        data = self.state / "redis"
        data.mkdir(parents=True, exist_ok=True)
        config = self.state / "run" / "redis.conf"
        write_private(
            config,
            f"bind 127.0.0.1\nport {self.port}\nprotected-mode yes\n"
            f'requirepass "{self.password}"\ndir {data}\nsave ""\nappendonly no\n',
        )
        return ["/usr/bin/redis-server", str(config)]
