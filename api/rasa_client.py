"""Talks to the Rasa servers (REST channel, HTTP API) and the action server over HTTP.

With several Rasa replicas, every conversation goes to one of them, chosen by a stable hash
of its id (rendezvous hashing): the open-source Redis lock store can race when two replicas
take the same conversation at once, so we never let them. Only when that replica cannot be
reached at all (connection refused or connect timeout: the message was certainly not
handled) does the call move to the next replica in that conversation's order. A read
timeout is not retried elsewhere: the first replica may still be handling the message.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout)
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


class RasaClient:
    """One pooled HTTP client for every call to Rasa, created once per app lifetime."""

    def __init__(
        self,
        http: httpx.AsyncClient,
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

    async def _request(self, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send to `key`'s replica, moving on only while replicas are unreachable."""
        *first_choices, last_resort = replica_order(self._replicas, key)
        for replica in first_choices:
            try:
                return await self._http.request(method, f"{replica}{path}", **kwargs)
            except UNREACHABLE:
                continue
        return await self._http.request(method, f"{last_resort}{path}", **kwargs)

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
        try:
            response = await self._request(
                conversation_id,
                "POST",
                CHANNEL_PATH,
                json=body,
                headers={CHANNEL_TOKEN_HEADER: self._token},
                timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else httpx.Timeout(timeout),
            )
            response.raise_for_status()
            messages = response.json()
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc  # never left this process
        except httpx.TransportError as exc:
            # Sent, then no answer (deadline passed, or the replica died mid-turn): Rasa may
            # have handled it, so it must not be sent again blindly.
            raise RasaTooSlow(type(exc).__name__) from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if not isinstance(messages, list):
            raise RasaUnavailable("unexpected answer from the REST channel")
        return [message for message in messages if isinstance(message, dict)]

    async def parse(self, text: str) -> list[dict[str, Any]]:
        """Rasa NLU's intent ranking for one text (HTTP API `/model/parse`, with the token)."""
        try:
            response = await self._request(
                text, "POST", "/model/parse", params={"token": self._token}, json={"text": text}
            )
            response.raise_for_status()
            ranking = response.json().get("intent_ranking")
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
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
            response.raise_for_status()
            tracker = response.json()
        except (httpx.HTTPError, ValueError) as exc:
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
            response = await self._http.get(f"{replica}/status", params={"token": self._token})
        except httpx.HTTPError as exc:
            return ComponentStatus(False, f"not reachable ({type(exc).__name__})")
        if response.status_code == 401 or response.status_code == 403:
            return ComponentStatus(False, "refused the API token")
        if response.status_code != 200:
            return ComponentStatus(False, f"answered HTTP {response.status_code}")
        model_file = response.json().get("model_file")
        if not model_file:
            return ComponentStatus(False, "up, but no model is loaded")
        return ComponentStatus(True, f"model {model_file} loaded")

    async def action_server_status(self) -> ComponentStatus:
        try:
            response = await self._http.get(f"{self._action_server_url}/health")
        except httpx.HTTPError as exc:
            return ComponentStatus(False, f"not reachable ({type(exc).__name__})")
        if response.status_code != 200:
            return ComponentStatus(False, f"answered HTTP {response.status_code}")
        return ComponentStatus(True, "up")
