"""All configuration of the web API, read from COACH_* environment variables."""

from pydantic import AliasChoices, AnyHttpUrl, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/app.db"


class Settings(BaseSettings):
    """There is no default Rasa token: the API refuses to start without one.

    `make run` generates the token on first start (var/secrets/rasa_token) and hands it to
    both Rasa and the API. The Slack routes exist only when both Slack secrets are set
    (`SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`, or the same names with the COACH_ prefix).
    """

    model_config = SettingsConfigDict(env_prefix="COACH_", extra="ignore")

    rasa_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:5005")
    rasa_token: SecretStr
    action_server_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:5055")
    rasa_timeout_seconds: float = Field(default=4.0, gt=0, le=60)
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

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None
