"""A stand-in for Slack in tests and benchmarks: signs requests like Slack does, and a local
server that plays Slack's Web API and `response_url`s, recording what it receives."""

import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

SIGNING_SECRET = "test-signing-secret-not-used-anywhere-else"
BOT_TOKEN = "xoxb-test-token"
TEAM = "T0TEST"


@dataclass
class Received:
    path: str
    body: dict[str, Any]
    at: float


@dataclass
class FakeSlack:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def stack_env(self) -> dict[str, str]:
        """Environment that turns the stack's Slack routes on, pointed at this fake."""
        return {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "COACH_SLACK_API_URL": self.api_url,
        }

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [item for item in self.received if item.path == path]

    def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.at(path)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(
            f"fake Slack got {len(self.at(path))} requests at {path}, wanted {count}"
        )

    async def _record(self, request: Request) -> JSONResponse | PlainTextResponse:
        raw = (await request.body()).decode("utf-8")
        if request.headers.get("content-type", "").startswith("application/json"):
            body = json.loads(raw or "{}")
        else:
            body = {key: values[-1] for key, values in urllib.parse.parse_qs(raw).items()}
        with self.lock:
            self.received.append(Received(request.url.path, body, time.monotonic()))
        if request.url.path.startswith("/response/"):
            return PlainTextResponse("ok")
        method = request.url.path.removeprefix("/api/")
        answer: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            answer |= {"user_id": "UBOT", "bot_id": "BBOT", "team_id": TEAM, "team": "test"}
        elif method == "chat.postMessage":
            answer |= {"channel": body.get("channel"), "ts": f"{time.time():.6f}"}
        return JSONResponse(answer)


@contextmanager
def fake_slack_server(port: int) -> Iterator[FakeSlack]:
    slack = FakeSlack(url=f"http://127.0.0.1:{port}")
    app = Starlette(routes=[Route("/{path:path}", slack._record, methods=["POST", "GET"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield slack
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def signed_headers(
    body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def slash_command(text: str, response_url: str, user: str = "U0AGENT") -> str:
    return urllib.parse.urlencode(
        {
            "command": "/coach",
            "text": text,
            "team_id": TEAM,
            "user_id": user,
            "channel_id": "C0FLOOR",
            "response_url": response_url,
            "trigger_id": "trigger-1",
        }
    )


def interaction(payload: dict[str, Any]) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def block_action(action: dict[str, Any], response_url: str, user: str = "U0AGENT") -> str:
    return interaction(
        {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user},
            "channel": {"id": "C0FLOOR"},
            "container": {"type": "message", "is_ephemeral": True},
            "trigger_id": "trigger-2",
            "response_url": response_url,
            "actions": [action],
        }
    )


def card_control(card: dict[str, Any], action_id: str) -> dict[str, Any]:
    """A button or select of a card answer, as Slack would send it back when pressed."""
    return next(
        element
        for block in card["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )


def relabel_choice(card: dict[str, Any], label: str) -> dict[str, Any]:
    """The card's "Not this type" select with `label` chosen."""
    select = card_control(card, "coach_relabel")
    chosen = next(o for o in select["options"] if json.loads(o["value"])["label"] == label)
    return {**select, "selected_option": chosen}


def view_submission(callback_id: str, metadata: dict[str, Any], draft: str) -> str:
    return interaction(
        {
            "type": "view_submission",
            "team": {"id": TEAM},
            "user": {"id": "U0AGENT"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": json.dumps(metadata),
                "state": {
                    "values": {"draft": {"draft": {"type": "plain_text_input", "value": draft}}}
                },
            },
        }
    )


def event(event_id: str, inner: dict[str, Any]) -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A0COACH",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": inner,
        }
    )
