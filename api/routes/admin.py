"""Admins manage users, teams and API tokens in the browser (what `make manage` does too).

Every refused change re-renders the page with the reason in the page's language and the form
as it was typed; a password (new user or reset) is shown once, on the page that made it.
"""

import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from api.auth.accounts import (
    AccountError,
    Principal,
    all_teams,
    all_users,
    change_user,
    create_team,
    create_user,
    reset_password,
    revoke_token,
    set_active,
    tokens_of,
)
from api.db.models import ROLES
from api.deps import DatabaseDep, require_role
from api.params import RowId
from api.routes.pages import PagePrincipal
from api.web.i18n import page_lang
from api.web.templating import render

router = APIRouter(include_in_schema=False)
Admin = Annotated[Principal, Depends(require_role("admin"))]
SAVED = ("user", "team", "token_revoked", "activated", "deactivated")
Name = Annotated[str, Form(max_length=64)]


@router.get("/admin")
async def admin_page(request: Request, principal: PagePrincipal, db: DatabaseDep) -> Response:
    if principal.role != "admin":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    saved = request.query_params.get("saved")
    return await _page(request, principal, db, saved=saved if saved in SAVED else None)


@router.post("/admin/users")
async def add_user(
    request: Request,
    principal: Admin,
    db: DatabaseDep,
    name: Name,
    role: Annotated[str, Form(max_length=16)],
    team: Name = "",
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """A blank password gets a random one, shown once on the next page."""
    chosen = password or secrets.token_urlsafe(15)
    try:
        await db.run(lambda s: create_user(s, name, role, chosen, team or None))
    except AccountError as exc:
        typed = {"name": name, "role": role, "team": team}
        return await _page(request, principal, db, error=exc, form=typed)
    shown = None if password else (name.strip(), chosen)
    return await _page(request, principal, db, new_password=shown, saved="user")


@router.post("/admin/teams")
async def add_team(request: Request, principal: Admin, db: DatabaseDep, name: Name) -> Response:
    try:
        await db.run(lambda s: create_team(s, name))
    except AccountError as exc:
        return await _page(request, principal, db, error=exc, form={"team_name": name})
    return _back("team")


@router.post("/admin/users/{user_id}")
async def edit_user(
    request: Request,
    user_id: RowId,
    principal: Admin,
    db: DatabaseDep,
    role: Annotated[str, Form(max_length=16)],
    teams: Annotated[list[str] | None, Form(max_length=50)] = None,
) -> Response:
    chosen = [team[:64] for team in teams or []]
    return await _change(
        request, principal, db, lambda s: change_user(s, principal, user_id, role, chosen), "user"
    )


@router.post("/admin/users/{user_id}/password")
async def new_password(
    request: Request, user_id: RowId, principal: Admin, db: DatabaseDep
) -> Response:
    try:
        shown = await db.run(lambda s: reset_password(s, user_id))
    except AccountError as exc:
        return await _page(request, principal, db, error=exc)
    return await _page(request, principal, db, new_password=shown)


@router.post("/admin/users/{user_id}/active")
async def activate(
    request: Request,
    user_id: RowId,
    principal: Admin,
    db: DatabaseDep,
    active: Annotated[bool, Form()],
) -> Response:
    if user_id == principal.user_id and not active:
        return await _page(request, principal, db, error=AccountError("self_deactivate"))
    saved = "activated" if active else "deactivated"
    return await _change(request, principal, db, lambda s: set_active(s, user_id, active), saved)


@router.post("/admin/tokens/{token_id}/revoke")
async def revoke(request: Request, token_id: RowId, principal: Admin, db: DatabaseDep) -> Response:
    return await _change(
        request, principal, db, lambda s: revoke_token(s, token_id), "token_revoked"
    )


async def _change(
    request: Request,
    principal: Principal,
    db: DatabaseDep,
    work: Callable[[Session], object],
    saved: str,
) -> Response:
    try:
        await db.run(work)
    except AccountError as exc:
        return await _page(request, principal, db, error=exc)
    return _back(saved)


def _back(saved: str) -> Response:
    return RedirectResponse(f"/admin?saved={saved}", status_code=status.HTTP_303_SEE_OTHER)


async def _page(
    request: Request,
    principal: Principal,
    db: DatabaseDep,
    error: AccountError | None = None,
    form: dict[str, Any] | None = None,
    new_password: tuple[str, str] | None = None,
    saved: str | None = None,
) -> Response:
    """The admin page; 422 with the reason when a change was refused."""
    return render(
        request,
        "admin.html",
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if error else status.HTTP_200_OK,
        principal=principal,
        users=await db.run(all_users),
        teams=await db.run(all_teams),
        tokens=await db.run(tokens_of),
        roles=ROLES,
        error=error.text(page_lang(request)) if error else None,
        form=form or {},
        new_password=new_password,
        saved=saved,
    )
