"""Production refuses placeholder secrets; every response carries the security headers;
each route has its own body limit, large enough for its largest legal request."""

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings, UnsafeSettings
from tests.api.conftest import make_settings

GOOD_TOKEN = "4f9a0c1e7b2d4e6f8a1c3e5b7d9f0a2c4e6b8d0f"
GOOD_DATABASE = "postgresql+psycopg://coach:q8Zr2mVx5LpT9wKd@127.0.0.1:5433/coach_app"


def prod(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "profile": "prod",
        "rasa_token": SecretStr(GOOD_TOKEN),
        "database_url": GOOD_DATABASE,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def test_production_starts_with_real_secrets() -> None:
    prod().refuse_unsafe_production()


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"rasa_token": SecretStr("changeme-changeme-changeme")}, "COACH_RASA_TOKEN"),
        ({"rasa_token": SecretStr("short")}, "COACH_RASA_TOKEN is shorter than 16"),
        ({"database_url": "sqlite:///var/app.db"}, "SQLite"),
        ({"database_url": "postgresql+psycopg://coach@127.0.0.1/coach_app"}, "is missing"),
        ({"database_url": "postgresql+psycopg://coach:changeme-1234567@db/coach"}, "placeholder"),
        ({"slack_signing_secret": SecretStr("your-secret-here-0000")}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_production_refuses_missing_or_placeholder_secrets(
    overrides: dict[str, object], named: str
) -> None:
    with pytest.raises(UnsafeSettings) as refused:
        create_app(prod(**overrides))
    assert "refusing to start in production" in str(refused.value)
    assert named in str(refused.value)
    assert "changeme-1234567" not in str(refused.value)  # named, never shown


def test_dev_profile_keeps_embedded_defaults() -> None:
    assert make_settings().profile == "dev"


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/login", "/healthz", "/api/v1/types", "/static/app.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"


def test_production_serves_the_schema_but_no_docs_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # the migrated SQLite test database stands in for PostgreSQL here
    settings = prod().model_copy(update={"database_url": make_settings().database_url})
    monkeypatch.setattr(Settings, "refuse_unsafe_production", lambda _: None)
    with TestClient(create_app(settings)) as client:
        assert client.get("/docs").status_code == 404
        assert client.get("/openapi.json").status_code == 200


def test_login_form_body_limit_is_small(client: TestClient) -> None:
    response = client.post(
        "/login",
        content=b"name=a&password=" + b"x" * 5000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "4096 bytes" in response.json()["detail"]


def test_the_largest_legal_classify_request_fits_its_limit(client: TestClient) -> None:
    """20 lines of 2,000 Chinese characters, JSON-escaped: about 240 KB, under 256 KiB."""
    response = client.post("/api/v1/classify", json={"turns": ["设备坏了" * 500] * 20})
    assert response.status_code == 200
