"""The web UI's language: `?lang=`, then the `lang` cookie, Chinese by default. The words
themselves come from the catalogue (bot/ui_texts.py)."""

from fastapi import Request

from bot.language import DEFAULT_LANG, Lang
from bot.ui_texts import web_words

LANG_COOKIE = "lang"


def page_lang(request: Request) -> Lang:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in ("zh", "en") else DEFAULT_LANG  # type: ignore[return-value]


def words(lang: Lang) -> dict[str, str]:
    return web_words(lang)
