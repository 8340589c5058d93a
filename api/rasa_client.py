"""Talks to the Rasa servers (REST channel, HTTP API) and the action server over HTTP.

With several Rasa replicas, every conversation goes to one of them, chosen by a stable hash
of its id (rendezvous hashing): the open-source Redis lock store can race when two replicas
take the same conversation at once, so we never let them. Only when that replica cannot be
reached at all (connection refused or connect timeout: the message was certainly not
handled) does the call move to the next replica in that conversation's order. A read
timeout is not retried elsewhere: the first replica may still be handling the message.

The client is aiohttp's: Rasa's own server stack, and per call a fraction of httpx's CPU,
which counts when the API shares two cores with Rasa (docs/benchmarks.md, "Load test").
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

# Certainly not sent: no connection could be made.
UNREACHABLE = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
# Sent, then no (whole) answer: the deadline passed or the connection broke mid-turn.
CUT_OFF = (TimeoutError, aiohttp.ClientError)
CONNECT_SECONDS = 1.0
# Below the keep-alive of Rasa's Sanic server (5 s), so an idle pooled connection is
# dropped here before the server closes it under a message.
KEEP_ALIVE_SECONDS = 2.0
# Rasa's REST channel behind a token check (channels/secure_rest.py).
CHANNEL_PATH = "/webhooks/coach/webhook"
CHANNEL_TOKEN_HEADER = "X-Coach-Token"


class RasaUnavailable(Exception):
    """Rasa could not be reached or gave no usable answer: nothing was processed."""


class RasaTooSlow(RasaUnavailable):
    """Rasa took the message but gave no answer (too slow, or the connection broke): it may
    have handled it or still be handling it."""


class RasaNotProcessed(RasaUnavailable):
    """Rasa answered, but handled nothing (e.g. its lock or tracker store is down)."""


class CoachUnavailable(RasaNotProcessed):
    """Rasa answered, but its action server (the coach) does not."""


@dataclass(frozen=True)
class ComponentStatus:
    ok: bool
    detail: str


def replica_order(replicas: Sequence[str], key: str) -> list[str]:
    """The replicas in the order `key` tries them: the same for every API worker and
    restart, and removing one replica moves only the conversations that were on it."""

    def weight(replica: str) -> bytes:
        return hashlib.blake2b(f"{replica}\n{key}".encode(), digest_size=8).digest()

    return sorted(replicas, key=weight, reverse=True)


def http_session(timeout_seconds: float, connections: int = 100) -> aiohttp.ClientSession:
    """The pooled HTTP session a RasaClient uses; one per app lifetime."""
    return aiohttp.ClientSession(
        timeout=_timeout(timeout_seconds),
        connector=aiohttp.TCPConnector(limit=connections, keepalive_timeout=KEEP_ALIVE_SECONDS),
        raise_for_status=False,
    )


def _timeout(seconds: float) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=seconds, sock_connect=CONNECT_SECONDS)


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        """The body as JSON (ValueError when it is not)."""
        return json.loads(self.body)


class RasaClient:
    """One pooled HTTP client for every call to Rasa, created once per app lifetime."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        rasa_urls: str | Sequence[str],
        action_server_url: str,
        token: str,
    ) -> None:
        self._http = http
        urls = [rasa_urls] if isinstance(rasa_urls, str) else list(rasa_urls)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._replicas = [url.rstrip("/") for url in urls]
        self._action_server_url = action_server_url.rstrip("/")
        self._token = token

    async def _request(self, key: str, method: str, path: str, **kwargs: Any) -> _Answer:
        """Send to `key`'s replica, moving on only while replicas are unreachable."""
        *first_choices, last_resort = replica_order(self._replicas, key)
        for replica in first_choices:
            try:
                return await self._fetch(method, f"{replica}{path}", **kwargs)
            except UNREACHABLE:
                continue
        return await self._fetch(method, f"{last_resort}{path}", **kwargs)

    async def _fetch(self, method: str, url: str, **kwargs: Any) -> _Answer:
        async with self._http.request(method, url, **kwargs) as response:
            return _Answer(response.status, await response.read())

    def replica_for(self, conversation_id: str) -> str:
        """The replica a conversation's messages go to while it is reachable."""
        return replica_order(self._replicas, conversation_id)[0]

    async def send_message(
        self,
        conversation_id: str,
        text: str,
        timeout: float | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Forward one user message to the REST channel; return the bot's messages.

        `timeout` (seconds) overrides the client's own, for callers with a deadline (Slack);
        `metadata` is stored with the user's event in the tracker (the client's message id).
        """
        body: dict[str, Any] = {"sender": conversation_id, "message": text}
        if metadata:
            body["metadata"] = metadata
        extra = {} if timeout is None else {"timeout": _timeout(timeout)}
        try:
            response = await self._request(
                conversation_id,
                "POST",
                CHANNEL_PATH,
                json=body,
                headers={CHANNEL_TOKEN_HEADER: self._token},
                **extra,
            )
        except UNREACHABLE as exc:
            raise RasaUnavailable(type(exc).__name__) from exc  # never left this process
        except CUT_OFF as exc:
            # Sent, then no answer (deadline passed, or the replica died mid-turn): Rasa may
            # have handled it, so it must not be sent again blindly.
            raise RasaTooSlow(type(exc).__name__) from exc
        try:
            messages = _ok(response).json()
        except ValueError as exc:
            raise RasaUnavailable(str(exc)) from exc
        if not isinstance(messages, list):
            raise RasaUnavailable("unexpected answer from the REST channel")
        return [message for message in messages if isinstance(message, dict)]

    async def parse(self, text: str) -> list[dict[str, Any]]:
        """Rasa NLU's intent ranking for one text (HTTP API `/model/parse`, with the token)."""
        try:
            response = await self._request(
                text, "POST", "/model/parse", params={"token": self._token}, json={"text": text}
            )
            ranking = _ok(response).json().get("intent_ranking")
        except (*CUT_OFF, ValueError, AttributeError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if not isinstance(ranking, list):
            raise RasaUnavailable("no intent ranking in the parse result")
        return [entry for entry in ranking if isinstance(entry, dict)]

    async def slot(self, conversation_id: str, name: str) -> Any:
        """One slot's value in a conversation (HTTP API tracker, with the token)."""
        slots = (await self._tracker(conversation_id, "NONE")).get("slots")
        return slots.get(name) if isinstance(slots, dict) else None

    async def events(
        self, conversation_id: str, whole_history: bool = False
    ) -> list[dict[str, Any]]:
        """A conversation's events, oldest first: since its latest restart (what the chat
        shows), or every event ever stored (what a coach reviews, so a restart hides nothing)."""
        include = "ALL" if whole_history else "AFTER_RESTART"
        events = (await self._tracker(conversation_id, include)).get("events")
        return (
            [event for event in events if isinstance(event, dict)]
            if isinstance(events, list)
            else []
        )

    async def _tracker(self, conversation_id: str, include_events: str) -> dict[str, Any]:
        try:
            response = await self._request(
                conversation_id,
                "GET",
                f"/conversations/{conversation_id}/tracker",
                params={"token": self._token, "include_events": include_events},
            )
            tracker = _ok(response).json()
        except (*CUT_OFF, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if not isinstance(tracker, dict):
            raise RasaUnavailable("unexpected tracker from the HTTP API")
        return tracker

    async def rasa_status(self) -> ComponentStatus:
        """Is every Rasa replica up with a model? Serving needs one; the detail names each."""
        reports = [await self._replica_status(replica) for replica in self._replicas]
        if len(reports) == 1:
            return reports[0]
        up = sum(report.ok for report in reports)
        details = "; ".join(
            f"{replica}: {report.detail}"
            for replica, report in zip(self._replicas, reports, strict=True)
        )
        return ComponentStatus(up > 0, f"{up}/{len(reports)} replicas serving ({details})")

    async def _replica_status(self, replica: str) -> ComponentStatus:
        try:
            response = await self._fetch("GET", f"{replica}/status", params={"token": self._token})
            answer = response.json() if response.status == 200 else None
        except (*CUT_OFF, ValueError) as exc:
            return ComponentStatus(False, f"not reachable ({type(exc).__name__})")
        if response.status == 401 or response.status == 403:
            return ComponentStatus(False, "refused the API token")
        if not isinstance(answer, dict):
            return ComponentStatus(False, f"answered HTTP {response.status}")
        model_file = answer.get("model_file")
        if not model_file:
            return ComponentStatus(False, "up, but no model is loaded")
        return ComponentStatus(True, f"model {model_file} loaded")

    async def action_server_status(self) -> ComponentStatus:
        try:
            response = await self._fetch("GET", f"{self._action_server_url}/health")
        except CUT_OFF as exc:
            return ComponentStatus(False, f"not reachable ({type(exc).__name__})")
        if response.status != 200:
            return ComponentStatus(False, f"answered HTTP {response.status}")
        return ComponentStatus(True, "up")


def _ok(response: _Answer) -> _Answer:
    if response.status >= 400:
        raise ValueError(f"answered HTTP {response.status}")
    return response
