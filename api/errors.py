"""Error bodies that say what is wrong and which limit applies, without echoing the input."""

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.admission import QueueFull
from api.rasa_client import CoachUnavailable, RasaNotProcessed, RasaTooSlow, RasaUnavailable
from api.schemas import NOT_BLANK, ErrorBody, ErrorItem
from api.turns import StillProcessing
from api.web.i18n import page_lang, words
from api.web.templating import render
from bot.language import Lang
from bot.ui_texts import ui_text
from bot.user_messages import Refusal

# Each way of not getting an answer from Rasa, most specific first, and the catalogue text
# (bot/knowledge/ui.yml, `errors`) that tells the user what it means for their message.
RASA_FAILURES: tuple[tuple[type[RasaUnavailable], str], ...] = (
    (RasaTooSlow, "rasa_too_slow"),
    (CoachUnavailable, "coach_unavailable"),
    (RasaNotProcessed, "not_processed"),
    (RasaUnavailable, "rasa_unavailable"),
)


# Paths whose clients are programs: they always get JSON error bodies.
MACHINE_PATHS = ("/api/", "/slack", "/metrics", "/health", "/static/")


def wants_page(request: Request) -> bool:
    """A browser opening one of the web pages: it gets the error as a page in its language."""
    accepts_html = "text/html" in request.headers.get("accept", "")
    return accepts_html and not request.url.path.startswith(MACHINE_PATHS)


def error_page(request: Request, status_code: int, fields: list[str] | None = None) -> Response:
    """The error as a page in the UI language, naming the fields at fault in its words;
    nothing the user sent is echoed."""
    lang = page_lang(request)
    t = words(lang)
    key = f"error_{status_code}" if f"error_{status_code}" in t else "error_500"
    if key == "error_422" and not fields:
        key = "error_400"
    named = "、".join if lang == "zh" else ", ".join
    message = t[key].format(fields=named(t.get(field, field) for field in fields or []))
    return render(request, "error.html", status_code, status=str(status_code), message=message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    items = [ErrorItem(field=_field(error), problem=_problem(error)) for error in exc.errors()]
    if wants_page(request):
        fields = sorted({item.field.rsplit(".", 1)[-1] for item in items})
        return error_page(request, 422, fields)
    summary = "; ".join(f"{item.field}: {item.problem}" for item in items)
    body = ErrorBody(detail=f"The request is not valid. {summary}", errors=items)
    return JSONResponse(jsonable_encoder(body), status_code=422)


def _field(error: Mapping[str, Any]) -> str:
    if error["type"] == "json_invalid":
        return "body"
    return ".".join(str(part) for part in error["loc"] if part != "body") or "body"


def _problem(error: Mapping[str, Any]) -> str:
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "json_invalid":
        return "the body is not valid JSON"
    if kind == "missing":
        return "this field is required"
    if kind == "string_too_long":
        return f"too long: the limit is {context['max_length']} characters"
    if kind == "too_long":
        return f"too many items: the limit is {context['max_length']}"
    if kind == "too_short":
        return f"needs at least {context['min_length']} item(s)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch" and error["loc"][-1] == "conversation_id":
        return "use 1-128 letters, digits or the characters _ . : @ -"
    if kind == "string_pattern_mismatch" and context.get("pattern") == NOT_BLANK:
        return "must not be empty or only whitespace"
    return str(error["msg"]).removeprefix("Value error, ")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if wants_page(request) and exc.status_code >= 400:
        # A route's own 422 names the field before a colon ("date_from: a date as …").
        field = str(exc.detail).split(":", 1)[0] if exc.status_code == 422 else ""
        return error_page(request, exc.status_code, [field] if field else None)
    body = ErrorBody(detail=str(exc.detail))
    return JSONResponse(jsonable_encoder(body), status_code=exc.status_code, headers=exc.headers)


STORAGE_FULL = (
    "The server's storage is full, so this change was not saved. Everything saved before is "
    "intact. Please tell your administrator (the disk or quota of the app database is full)."
)
DATABASE_DOWN = (
    "The app database is not reachable right now, so nothing was saved. Please try again in "
    "a moment."
)


async def _database_error(request: Request, exc: Exception) -> Response:
    """A full disk (507) or a database that went away (503): a clear answer, not a 500.
    The failed transaction was rolled back, so what was stored before stays as it was."""
    full = "database or disk is full" in str(exc) or "No space left" in str(exc)
    if wants_page(request):
        return error_page(request, 503)
    body = ErrorBody(detail=STORAGE_FULL if full else DATABASE_DOWN)
    return JSONResponse(jsonable_encoder(body), status_code=507 if full else 503)


class MessageRefused(Exception):
    """A message that Rasa would read as a command the product does not offer."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.problem)
        self.refusal = refusal


async def _refused(request: Request, exc: Exception) -> JSONResponse:
    """422 before anything reaches Rasa: nothing was sent, nothing is lost."""
    assert isinstance(exc, MessageRefused)
    problem = exc.refusal.problem
    text = ui_text("errors", problem, request_lang(request), command=exc.refusal.command)
    body = ErrorBody(detail=text, code=problem, errors=[ErrorItem(field="message", problem=text)])
    return JSONResponse(jsonable_encoder(body), status_code=422)


def request_lang(request: Request) -> Lang:
    """The language a client asks for (`Accept-Language`; the web page sends its own);
    English for clients that don't say."""
    asked = request.headers.get("accept-language", "").strip().lower()
    return "zh" if asked.startswith("zh") else "en"


async def _rasa_error(request: Request, exc: Exception) -> Response:
    """503 with what happened to the message: not processed, or maybe still handled."""
    if wants_page(request):
        return error_page(request, 503)
    code = next(code for kind, code in RASA_FAILURES if isinstance(exc, kind))
    body = ErrorBody(detail=ui_text("errors", code, request_lang(request)), code=code)
    return JSONResponse(jsonable_encoder(body), status_code=503)


async def _not_admitted(request: Request, exc: Exception) -> JSONResponse:
    """503 + Retry-After: the turn waits for capacity (QueueFull: never reached Rasa) or for
    the answer to its first attempt (StillProcessing: will not be handled twice)."""
    assert isinstance(exc, QueueFull | StillProcessing)
    code = exc.reason if isinstance(exc, QueueFull) else "still_processing"
    text = ui_text("errors", code, request_lang(request), seconds=exc.retry_after)
    body = ErrorBody(detail=text, code=code)
    headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(jsonable_encoder(body), status_code=503, headers=headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: a 500 that says the action did not complete (the traceback is
    logged by the server, never shown)."""
    if wants_page(request):
        return error_page(request, 500)
    body = ErrorBody(detail="Something went wrong on the server; the action did not complete.")
    return JSONResponse(jsonable_encoder(body), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _server_error)
    app.add_exception_handler(QueueFull, _not_admitted)
    app.add_exception_handler(StillProcessing, _not_admitted)
    app.add_exception_handler(RasaUnavailable, _rasa_error)
    app.add_exception_handler(MessageRefused, _refused)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
