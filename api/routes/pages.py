"""The web app's pages; without a session every page sends the browser to the login."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.auth.accounts import principal_for_session
from api.deps import SESSION_COOKIE, DatabaseDep
from api.routes.auth import HOME_BY_ROLE

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request, db: DatabaseDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    principal = await db.run(lambda s: principal_for_session(s, cookie)) if cookie else None
    target = HOME_BY_ROLE.get(principal.role, "/login") if principal else "/login"
    return RedirectResponse(target, status_code=303)
