"""Rasa's REST channel, answering only callers that hold the API's token.

Rasa's own REST channel takes a message for any sender from anyone who can reach the port,
so a local user could write into another trainee's conversation. This channel is the same
webhook (`/webhooks/coach/webhook`) behind a check of the `X-Coach-Token` header against the
token in the file COACH_RASA_TOKEN_FILE names (the one the HTTP API uses too).
"""

import hmac
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_HEADER = "X-Coach-Token"


class SecureRestInput(RestInput):
    def __init__(self, token: str) -> None:
        self._token = token

    @classmethod
    def name(cls) -> str:
        return "coach"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "SecureRestInput":
        token_file = os.environ.get("COACH_RASA_TOKEN_FILE")
        if not token_file:
            raise RuntimeError("COACH_RASA_TOKEN_FILE is not set: the coach channel needs a token")
        token = Path(token_file).read_text(encoding="utf-8").strip()
        if not token:
            raise RuntimeError("the Rasa token file is empty")
        return cls(token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook: Blueprint = super().blueprint(on_new_message)

        @webhook.middleware("request")  # type: ignore[untyped-decorator]  # sanic is untyped
        async def check_token(request: Request) -> HTTPResponse | None:
            sent = request.headers.get(TOKEN_HEADER, "")
            if not hmac.compare_digest(sent.encode(), self._token.encode()):
                return response.json(
                    {"error": "a valid X-Coach-Token header is required"}, status=401
                )
            return None

        return webhook
