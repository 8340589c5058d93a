"""Log in and out of the web app.

The login form is protected by a double-submit CSRF token (cookie + hidden field), the
session cookie is HttpOnly and SameSite=Lax (and Secure over HTTPS), and failed logins are
limited per user name and client address.
"""

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth.accounts import SESSION_LIFETIME, AccountError, login, logout
from api.deps import SESSION_COOKIE, DatabaseDep, PrincipalDep
from api.settings import Settings
from api.web.i18n import page_lang, words
from api.web.templating import render

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "coach_login_csrf"
HOME_BY_ROLE = {"trainee": "/chat", "coach": "/review", "admin": "/review"}


def safe_next(target: str) -> str:
    """Only paths on this site: no open redirects."""
    return target if target.startswith("/") and target[1:2] not in ("/", "\\") else "/"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/") -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", csrf_token=token, next=safe_next(next), name="")
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request,
    db: DatabaseDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=64)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    t = words(page_lang(request))
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return await _again(request, t["login_expired"], name, next, status.HTTP_403_FORBIDDEN)
    client = request.client.host if request.client else "unknown"
    try:
        started = await db.run(lambda session: login(session, name, password, client))
    except AccountError as exc:
        message = exc.text(page_lang(request))
        return await _again(request, message, name, next, status.HTTP_429_TOO_MANY_REQUESTS)
    if started is None:
        return await _again(request, t["login_failed"], name, next, status.HTTP_401_UNAUTHORIZED)
    cookie, role = started
    target = safe_next(next) if next != "/" else HOME_BY_ROLE.get(role, "/")
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    _set_cookie(
        request, response, SESSION_COOKIE, cookie, max_age=int(SESSION_LIFETIME.total_seconds())
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout_submit(request: Request, principal: PrincipalDep, db: DatabaseDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Log out needs the session cookie.")
    await db.run(lambda session: logout(session, cookie))
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE)
    return response


async def _again(request: Request, error: str, name: str, next: str, code: int) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request, "login.html", code, csrf_token=token, next=safe_next(next), name=name, error=error
    )
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


def _set_cookie(request: Request, response: Response, key: str, value: str, max_age: int) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        key,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies or request.url.scheme == "https",
    )
