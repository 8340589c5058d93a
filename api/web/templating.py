"""Jinja2 templates with autoescaping on; every page gets its language and words."""

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.web.i18n import LANG_COOKIE, page_lang, words
from bot.scenarios import scenario_names

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    return Jinja2Templates(directory=WEB / "templates")  # .html: autoescaped


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    lang = page_lang(request)
    context = {
        "lang": lang,
        "t": words(lang),
        "principal": None,
        "scenario_names": scenario_names(lang),
        **values,
    }
    response = templates().TemplateResponse(request, template, context, status_code=status_code)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response
