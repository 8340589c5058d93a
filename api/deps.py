"""Typed dependencies for the routes; tests replace them with `app.dependency_overrides`.

They are `async def` though they never wait: FastAPI runs a plain `def` dependency in its
thread pool, a hop per dependency on every request for a value that is already at hand."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.admission import Admission
from api.auth.accounts import Principal, principal_for_session, principal_for_token
from api.conversations import owned_conversation
from api.db.database import Database
from api.db.models import Conversation
from api.rasa_client import RasaClient
from api.settings import Settings

SESSION_COOKIE = "coach_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


async def get_rasa_client(request: Request) -> RasaClient:
    return cast(RasaClient, request.app.state.rasa_client)


async def get_database(request: Request) -> Database:
    return cast(Database, request.app.state.database)


async def get_admission(request: Request) -> Admission:
    return cast(Admission, request.app.state.admission)


SettingsDep = Annotated[Settings, Depends(get_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa_client)]
DatabaseDep = Annotated[Database, Depends(get_database)]
AdmissionDep = Annotated[Admission, Depends(get_admission)]


BEARER = HTTPBearer(
    auto_error=False,
    description='A personal API token (`make manage ARGS="create-token --name …"`)',
)


@dataclass(frozen=True)
class Credentials:
    """What a request brings to prove who it is, read before any database work so a route
    can check it inside its own first transaction (the chat turn does: one commit fewer)."""

    token: str | None  # `Authorization: Bearer <token>`
    cookie: str | None  # the browser's session cookie
    csrf_needed: bool  # a browser's state-changing request must carry its CSRF token …
    csrf_sent: str | None  # … in the `X-CSRF-Token` header or a `csrf_token` form field


async def get_credentials(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Credentials:
    """`Authorization: Bearer <token>` for scripts, the session cookie for browsers; a request
    with neither is refused here, before its body is even looked at."""
    if bearer is not None:
        return Credentials(bearer.credentials, None, False, None)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise _not_logged_in()
    needed = cookie is not None and request.method not in SAFE_METHODS
    return Credentials(None, cookie, needed, await _csrf_sent(request) if needed else None)


CredentialsDep = Annotated[Credentials, Depends(get_credentials)]


def authenticate(session: Session, credentials: Credentials) -> Principal:
    """The caller, or 401 (no or unknown credentials) / 403 (a browser's missing CSRF token)."""
    if credentials.token is not None:
        principal = principal_for_token(session, credentials.token)
        if principal is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "The API token is invalid or was revoked.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return principal
    found = principal_for_session(session, credentials.cookie) if credentials.cookie else None
    if found is None:
        raise _not_logged_in()
    if credentials.csrf_needed and not (
        credentials.csrf_sent and credentials.csrf_sent == found.csrf_token
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Missing or wrong CSRF token.")
    return found


async def get_principal(db: DatabaseDep, credentials: CredentialsDep) -> Principal:
    return await db.run(lambda session: authenticate(session, credentials))


def _not_logged_in() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "Log in, or send Authorization: Bearer <token>.",
        headers={"WWW-Authenticate": "Bearer"},
    )


async def _csrf_sent(request: Request) -> str | None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = str((await request.form()).get("csrf_token") or "")
    return sent


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_role(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: PrincipalDep) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Your role can't do this.")
        return principal

    return check


async def owned_conversation_or_404(
    db: Database, principal: Principal, conversation_id: str, missing: str
) -> Conversation:
    """The caller's own conversation; another user's id answers 404 like a missing one."""
    found = await db.run(lambda session: owned_conversation(session, principal, conversation_id))
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, missing)
    return found
