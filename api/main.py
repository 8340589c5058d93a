"""Build the FastAPI app. Run with `uvicorn api.main:create_app --factory`.

Nothing happens at import time: settings are read and the knowledge files checked when the
factory is called; the HTTP client to Rasa and the database engine are opened when the app
starts and closed when it stops. The app refuses to start on a database that is behind its
migrations (`make manage ARGS=migrate`; `make run` does it).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

from api.admission import Admission
from api.body_limit import BodySizeLimit
from api.db.database import Database
from api.db.migrate import pending_migrations
from api.deps import get_credentials, get_principal
from api.errors import install_error_handlers
from api.rasa_client import RasaClient, http_session
from api.routes import (
    admin,
    auth,
    chat,
    classify,
    conversations,
    health,
    metrics,
    pages,
    practice,
    reply_check,
    review_desk,
    slack,
    types,
)
from api.routes.pages import LoginNeeded
from api.schemas import ErrorBody
from api.security_headers import SecurityHeaders
from api.settings import Settings
from api.slack.listeners import build_slack_app
from api.web.templating import STATIC
from bot.knowledge_check import check_knowledge


def create_app(settings: Settings | None = None) -> FastAPI:
    app_settings = settings or Settings()  # type: ignore[call-arg]  # values come from env
    app_settings.refuse_unsafe_production()
    check_knowledge()  # a broken knowledge file stops the API here, naming file and line

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if pending_migrations(app_settings.database_url):
            raise RuntimeError(
                "The app database is not at the latest schema; run `make manage ARGS=migrate`."
            )
        app.state.database = Database(app_settings.database_url)
        app.state.admission = Admission(
            app_settings.replica_concurrency,
            app_settings.queue_limit,
            app_settings.queue_max_wait_seconds,
        )
        async with http_session(app_settings.rasa_timeout_seconds) as http:
            app.state.rasa_client = RasaClient(
                http,
                rasa_urls=app_settings.rasa_urls,
                action_server_url=str(app_settings.action_server_url),
                token=app_settings.rasa_token.get_secret_value(),
            )
            yield
        app.state.database.dispose()

    docs_enabled = app_settings.profile == "dev"
    app = FastAPI(
        title="Customer-service communication coach",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if docs_enabled else None,
        redoc_url="/redoc" if docs_enabled else None,
    )
    app.state.settings = app_settings
    app.add_middleware(BodySizeLimit, max_bytes=app_settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, docs_enabled=docs_enabled)
    install_error_handlers(app)

    @app.exception_handler(LoginNeeded)
    async def to_login(request: Request, exc: LoginNeeded) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(review_desk.router)
    app.include_router(admin.router)
    # Every /api/v1 route needs a session or a personal API token. A chat turn checks who is
    # calling inside the transaction that claims its message id (api/turns.py), so its
    # router only refuses a request that brings no credentials at all.
    unauthorised: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorBody, "description": "Not logged in and no API token"}
    }
    app.include_router(chat.router, dependencies=[Depends(get_credentials)], responses=unauthorised)
    for area in (conversations, classify, types, reply_check, practice):
        app.include_router(
            area.router, dependencies=[Depends(get_principal)], responses=unauthorised
        )
    if app_settings.slack_enabled:
        app.state.slack_handler = AsyncSlackRequestHandler(build_slack_app(app_settings))
        app.include_router(slack.router)
    return app
