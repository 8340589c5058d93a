"""All configuration of the web API, read from COACH_* environment variables."""

from typing import Literal

from pydantic import AliasChoices, AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "sqlite:///var/app.db"
# Values people leave in config files; in production the API refuses them as secrets.
PLACEHOLDER_WORDS = (
    "changeme",
    "change-me",
    "change_me",
    "placeholder",
    "example",
    "secret",
    "password",
    "passwd",
    "default",
    "token",
    "xxx",
    "todo",
    "test",
    "admin",
)
MIN_SECRET_LENGTH = 16


class UnsafeSettings(RuntimeError):
    pass


def placeholder_reason(value: str | None) -> str | None:
    """Why `value` is not a real secret, or None when it looks like one."""
    if not value:
        return "missing"
    if len(value) < MIN_SECRET_LENGTH:
        return f"shorter than {MIN_SECRET_LENGTH} characters"
    lowered = value.lower()
    word = next((word for word in PLACEHOLDER_WORDS if word in lowered), None)
    return f"looks like a placeholder (contains {word!r})" if word else None


class Settings(BaseSettings):
    """There is no default Rasa token: the API refuses to start without one.

    `make run` generates the token on first start (var/secrets/rasa_token) and hands it to
    both Rasa and the API. The Slack routes exist only when both Slack secrets are set
    (`SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`, or the same names with the COACH_ prefix).
    """

    model_config = SettingsConfigDict(env_prefix="COACH_", extra="ignore")

    # "prod" refuses to start with a missing or placeholder secret or an SQLite database.
    profile: Literal["dev", "prod"] = "dev"
    # One Rasa server, or several replicas as a comma-separated list: each conversation
    # goes to one replica by a stable hash of its id (api/rasa_client.py).
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: SecretStr
    action_server_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:5055")
    rasa_timeout_seconds: float = Field(default=4.0, gt=0, le=60)
    # Admission control (api/admission.py), per API worker: turns in flight per Rasa replica
    # (its measured capacity: `make load` prints it), how many may wait in line, and for how
    # long, before a turn is refused with 503 + Retry-After (nothing having reached Rasa).
    replica_concurrency: int = Field(default=4, ge=1, le=256)
    queue_limit: int = Field(default=400, ge=0, le=100_000)
    queue_max_wait_seconds: float = Field(default=30.0, gt=0, le=600)
    # A retried message that Rasa took but has not stored after this long is sent again
    # (its replica died); before that the retry hears "still being handled".
    resend_after_seconds: float = Field(default=20.0, gt=0, le=600)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # Mark cookies Secure even when the request reached the app over plain HTTP, as it does
    # behind a reverse proxy that terminates HTTPS.
    secure_cookies: bool = False
    # SQLAlchemy URL of the app's own tables; PostgreSQL: postgresql+psycopg://user:pw@host/db
    database_url: str = DEFAULT_DATABASE_URL

    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("COACH_SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("COACH_SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
    )
    # Slack's Web API; tests point it at a local fake Slack server.
    slack_api_url: AnyHttpUrl = AnyHttpUrl("https://slack.com/api/")
    # Slack wants an answer within 3 s: past this, the agent gets a clear error instead.
    slack_rasa_timeout_seconds: float = Field(default=2.5, gt=0, le=2.8)

    @field_validator("rasa_url")
    @classmethod
    def _valid_rasa_urls(cls, value: str) -> str:
        urls = [part.strip() for part in value.split(",") if part.strip()]
        if not urls:
            raise ValueError("give at least one Rasa URL")
        return ",".join(str(AnyHttpUrl(url)).rstrip("/") for url in urls)

    @property
    def rasa_urls(self) -> list[str]:
        return self.rasa_url.split(",")

    def refuse_unsafe_production(self) -> None:
        """In production, stop with every missing or placeholder secret named (not shown).

        Not a validator: pydantic's errors echo the input, and that would print the rest of
        the secrets into the log.
        """
        if self.profile != "prod":
            return
        problems = []
        if reason := placeholder_reason(self.rasa_token.get_secret_value()):
            problems.append(f"COACH_RASA_TOKEN is {reason}")
        database = make_url(self.database_url)
        if database.get_backend_name() == "sqlite":
            problems.append("COACH_DATABASE_URL is SQLite; production runs on PostgreSQL")
        elif reason := placeholder_reason(database.password):
            problems.append(f"the password in COACH_DATABASE_URL is {reason}")
        for name, secret in (
            ("SLACK_BOT_TOKEN", self.slack_bot_token),
            ("SLACK_SIGNING_SECRET", self.slack_signing_secret),
        ):
            if secret is not None and (reason := placeholder_reason(secret.get_secret_value())):
                problems.append(f"{name} is {reason}")
        if problems:
            raise UnsafeSettings("refusing to start in production: " + "; ".join(problems))

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None
