"""Security headers on every response: a strict CSP, no framing, no MIME sniffing, and no
caching of anything but the static files.

The pages load only their own script and stylesheet and never inline script, so the CSP
allows nothing else. The interactive API docs (Swagger UI, dev profile only) are built by
FastAPI from an inline script and a CDN, so /docs gets its own looser policy; production
serves no /docs page at all (the schema stays at /openapi.json).
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")
STATIC_PREFIX = "/static/"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, docs_enabled: bool) -> None:
        self.app = app
        self.docs_enabled = docs_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = self.docs_enabled and scope["path"] in DOCS_PATHS
        headers = [
            (b"content-security-policy", (DOCS_CSP if docs else STRICT_CSP).encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

        if not scope["path"].startswith(STATIC_PREFIX):
            # Pages and API answers carry personal data (a new password on the admin page,
            # transcripts): no browser or proxy keeps a copy.
            headers.append((b"cache-control", b"no-store"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"cache-control" or scope["path"].startswith(STATIC_PREFIX)
                ]
                message["headers"] = [*kept, *headers]
            await send(message)

        await self.app(scope, receive, with_headers)
