"""Refuse request bodies over a size limit before they are read into memory.

Each route gets the limit its largest legal request needs, with room for JSON escaping
(a Chinese character can arrive as a 6-byte \\uXXXX escape); everything else gets the
configured default (COACH_MAX_BODY_BYTES, 64 KiB).
"""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB = 1024
# (path prefix, limit in bytes); the longest matching prefix wins.
ROUTE_LIMITS: tuple[tuple[str, int], ...] = (
    ("/login", 4 * KIB),
    ("/logout", 4 * KIB),
    ("/api/v1/chat", 16 * KIB),  # one message of at most 2,000 characters
    ("/api/v1/review", 32 * KIB),  # a draft reply and its context
    ("/api/v1/classify", 256 * KIB),  # up to 20 lines of 2,000 characters
    ("/review/", 16 * KIB),  # comments, tags and relabels from the review pages
    ("/admin/", 4 * KIB),
    ("/slack/", 128 * KIB),  # Slack's modal submissions carry the whole view
)


def limit_for(path: str, default: int) -> int:
    matches = [(len(prefix), limit) for prefix, limit in ROUTE_LIMITS if path.startswith(prefix)]
    return max(matches)[1] if matches else default


class BodySizeLimit:
    """ASGI middleware: 413 when Content-Length or the body actually sent exceeds the route's
    limit. The body is read (at most the limit) before the app sees it, so a chunked upload
    without Content-Length gets the same 413, never a parse error from deeper down."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.default_max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = limit_for(scope["path"], self.default_max_bytes)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(send, max_bytes)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > max_bytes:
                await self._refuse(send, max_bytes)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send, max_bytes: int) -> None:
        body = json.dumps(
            {
                "detail": f"Request body too large: the limit for this route is {max_bytes} bytes.",
                "errors": [],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
