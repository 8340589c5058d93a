"""A chat client that behaves like the web page: one id per message, retried with the same id
(honouring Retry-After, with back-off) until it is answered. Shared by the load benchmark and
the fault tests, so both measure what a trainee would live through."""

import asyncio
import time
import uuid
from dataclasses import dataclass

import httpx

BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)


@dataclass(frozen=True)
class Outcome:
    message_id: str
    ok: bool
    seconds: float  # from the first attempt to the answer (waiting in line included)
    attempts: int
    replayed: bool  # answered from an earlier attempt (the server saw it before)
    error: str | None


async def send(
    client: httpx.AsyncClient,
    api_url: str,
    token: str,
    conversation: str,
    message: str,
    give_up_after: float = 180.0,
    message_id: str | None = None,
) -> Outcome:
    """Send until answered or `give_up_after` seconds have passed."""
    message_id = message_id or uuid.uuid4().hex
    started = time.monotonic()
    body = {"conversation_id": conversation, "message": message, "message_id": message_id}
    headers = {"Authorization": f"Bearer {token}"}
    last = ""
    for attempt in range(1, 1000):
        wait = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
        try:
            response = await client.post(f"{api_url}/api/v1/chat", json=body, headers=headers)
            if response.status_code == 200 and response.json()["messages"]:
                return Outcome(
                    message_id,
                    True,
                    time.monotonic() - started,
                    attempt,
                    bool(response.json().get("replayed")),
                    None,
                )
            last = f"HTTP {response.status_code}: {response.text[:120]}"
            if response.status_code != 503:
                break  # not a matter of waiting
            asked = response.headers.get("retry-after", "")
            wait = float(asked) if asked.isdigit() else wait
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        if time.monotonic() - started + wait > give_up_after:
            break
        await asyncio.sleep(wait)
    return Outcome(message_id, False, time.monotonic() - started, attempt, False, last)
