"""The web app's pages; without a session every page sends the browser to the login."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from api.auth.accounts import Principal, principal_for_session
from api.deps import SESSION_COOKIE, DatabaseDep
from api.review_desk import unread_comments
from api.routes.auth import HOME_BY_ROLE
from api.web.i18n import page_lang, words
from api.web.templating import render
from bot.coaching_codes import TYPE_CODES
from bot.limits import MAX_MESSAGE_CHARS
from bot.scenarios import load_library
from bot.ui_texts import mood_names

router = APIRouter(include_in_schema=False)


class LoginNeeded(Exception):
    """Raised by page dependencies; the app turns it into a redirect to the login form."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


async def session_principal(request: Request, db: DatabaseDep) -> Principal | None:
    """Who the browser's session cookie belongs to, if anyone."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return await db.run(lambda s: principal_for_session(s, cookie)) if cookie else None


async def page_principal(request: Request, db: DatabaseDep) -> Principal:
    principal = await session_principal(request, db)
    if principal is None:
        raise LoginNeeded(request.url.path)
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]


@router.get("/")
async def home(request: Request, db: DatabaseDep) -> Response:
    principal = await session_principal(request, db)
    target = HOME_BY_ROLE.get(principal.role, "/login") if principal else "/login"
    return RedirectResponse(target, status_code=303)


@router.get("/chat")
async def chat_page(request: Request, principal: PagePrincipal, db: DatabaseDep) -> Response:
    """The chat, with the coaches' comments the trainee has not opened yet announced."""
    lang = page_lang(request)
    library = load_library()
    return render(
        request,
        "chat.html",
        principal=principal,
        scenarios=[
            (code, library.scenarios[code].title[lang]) for code in sorted(library.scenarios)
        ],
        types=TYPE_CODES,
        page_data={
            "csrf": principal.csrf_token,
            "lang": lang,
            "user_id": principal.user_id,
            "words": words(lang),
            "types": list(TYPE_CODES),
            "moods": mood_names(lang),
            "limits": {"message": MAX_MESSAGE_CHARS},
        },
        unread=await db.run(lambda s: unread_comments(s, principal)),
    )
