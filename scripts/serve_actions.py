"""Run the action server (rasa_sdk) answering only Rasa: `/webhook` needs the token in the
`X-Coach-Action-Token` header, which the generated endpoints.yml gives Rasa. `/health` stays
open (it says only "ok").

Started by scripts/stack.py with the port as the only argument; the token comes from the file
COACH_ACTION_TOKEN_FILE names, so it never appears in a process list.
"""

import hmac
import os
import sys
from pathlib import Path

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_HEADER = "X-Coach-Action-Token"
OPEN_PATHS = ("/health",)


def secured_app(token: str):  # type: ignore[no-untyped-def]  # rasa_sdk's Sanic app is untyped
    app = create_app("actions", cors_origins=None)

    @app.middleware("request")
    async def check_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        sent = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return response.json(
                {"error": f"a valid {TOKEN_HEADER} header is required"}, status=401
            )
        return None

    return app


def main() -> None:
    port = int(sys.argv[1])
    token = Path(os.environ["COACH_ACTION_TOKEN_FILE"]).read_text(encoding="utf-8").strip()
    if not token:
        raise SystemExit("the action-server token file is empty; delete it to generate a new one")
    secured_app(token).run(os.environ.get("SANIC_HOST", "127.0.0.1"), port, workers=1)


if __name__ == "__main__":
    main()
