"""The web UI's words in Chinese and English; the page language comes from `?lang=` or the
`lang` cookie, Chinese by default."""

from fastapi import Request

from bot.language import DEFAULT_LANG, Lang

LANG_COOKIE = "lang"

UI: dict[str, dict[Lang, str]] = {
    "app_name": {"zh": "客服沟通教练", "en": "Service communication coach"},
    "login_title": {"zh": "登录", "en": "Log in"},
    "name": {"zh": "用户名", "en": "User name"},
    "password": {"zh": "密码", "en": "Password"},
    "login": {"zh": "登录", "en": "Log in"},
    "logout": {"zh": "退出", "en": "Log out"},
    "login_failed": {"zh": "用户名或密码不对。", "en": "Wrong user name or password."},
    "login_expired": {
        "zh": "登录表单已过期，请再提交一次。",
        "en": "The login form expired; please submit it again.",
    },
    "switch_lang": {"zh": "English", "en": "中文"},
}


def page_lang(request: Request) -> Lang:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in ("zh", "en") else DEFAULT_LANG  # type: ignore[return-value]


def words(lang: Lang) -> dict[str, str]:
    return {key: value[lang] for key, value in UI.items()}
