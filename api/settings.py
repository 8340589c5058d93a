"""All configuration of the web API, read from COACH_* environment variables."""

from pydantic import AnyHttpUrl, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """There is no default Rasa token: the API refuses to start without one.

    `make run` generates the token on first start (var/secrets/rasa_token) and hands it to
    both Rasa and the API.
    """

    model_config = SettingsConfigDict(env_prefix="COACH_", extra="ignore")

    rasa_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:5005")
    rasa_token: SecretStr
    action_server_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:5055")
    rasa_timeout_seconds: float = Field(default=4.0, gt=0, le=60)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
