"""Admins manage users and teams in the browser (the same operations as `make manage`)."""

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from api.auth.accounts import (
    AccountError,
    Principal,
    add_coach_to_team,
    all_teams,
    all_users,
    create_team,
    create_user,
    set_active,
)
from api.db.database import Database
from api.db.models import ROLES
from api.deps import DatabaseDep, require_role
from api.routes.pages import PagePrincipal
from api.web.templating import render

router = APIRouter(include_in_schema=False)
Admin = Annotated[Principal, Depends(require_role("admin"))]


@router.get("/admin")
async def admin_page(request: Request, principal: PagePrincipal, db: DatabaseDep) -> Response:
    if principal.role != "admin":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    users = await db.run(all_users)
    teams = await db.run(all_teams)
    return render(request, "admin.html", principal=principal, users=users, teams=teams, roles=ROLES)


@router.post("/admin/users")
async def add_user(
    request: Request,
    principal: Admin,
    db: DatabaseDep,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    team: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """A blank password gets a random one, shown once on the next page."""
    chosen = password or secrets.token_urlsafe(15)
    try:
        await db.run(lambda s: create_user(s, name, role, chosen, team or None))
    except AccountError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    users = await db.run(all_users)
    teams = await db.run(all_teams)
    return render(
        request,
        "admin.html",
        principal=principal,
        users=users,
        teams=teams,
        roles=ROLES,
        new_password=None if password else (name, chosen),
    )


@router.post("/admin/teams")
async def add_team(
    principal: Admin, db: DatabaseDep, name: Annotated[str, Form(max_length=64)]
) -> Response:
    await _change(db, lambda s: create_team(s, name))
    return RedirectResponse("/admin", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/admin/coach-teams")
async def coach_team(
    principal: Admin,
    db: DatabaseDep,
    coach: Annotated[str, Form(max_length=64)],
    team: Annotated[str, Form(max_length=64)],
) -> Response:
    await _change(db, lambda s: add_coach_to_team(s, coach, team))
    return RedirectResponse("/admin", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/admin/users/{user_id}/active")
async def activate(
    user_id: int, principal: Admin, db: DatabaseDep, active: Annotated[bool, Form()]
) -> Response:
    if user_id == principal.user_id and not active:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "You can't deactivate yourself.")
    await _change(db, lambda s: set_active(s, user_id, active))
    return RedirectResponse("/admin", status_code=status.HTTP_303_SEE_OTHER)


async def _change(db: Database, work: Callable[[Session], object]) -> None:
    try:
        await db.run(work)
    except AccountError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
