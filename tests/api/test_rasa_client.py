"""RasaClient speaks Rasa's REST channel and HTTP API as Rasa 3.6 expects."""

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from api.rasa_client import RasaClient, RasaUnavailable

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(handler: Handler) -> tuple[RasaClient, httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return RasaClient(http, "http://rasa:5005/", "http://actions:5055", "secret"), http


def run(handler: Handler, call: Callable[[RasaClient], object]) -> object:
    async def go() -> object:
        rasa, http = client_for(handler)
        async with http:
            return await call(rasa)  # type: ignore[misc]

    return asyncio.run(go())


def test_send_message_posts_sender_and_message_to_the_rest_channel() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"recipient_id": "c1", "text": "hi"}])

    messages = run(handler, lambda rasa: rasa.send_message("c1", "你好"))
    assert messages == [{"recipient_id": "c1", "text": "hi"}]
    assert str(seen[0].url) == "http://rasa:5005/webhooks/rest/webhook"
    assert json.loads(seen[0].content) == {"sender": "c1", "message": "你好"}


@pytest.mark.parametrize(
    "response",
    [httpx.Response(500), httpx.Response(200, text="<html>"), httpx.Response(200, json={})],
)
def test_bad_answers_become_rasa_unavailable(response: httpx.Response) -> None:
    with pytest.raises(RasaUnavailable):
        run(lambda _: response, lambda rasa: rasa.send_message("c1", "hi"))


def test_status_sends_the_token_and_reports_the_loaded_model() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("token") != "secret":
            return httpx.Response(401)
        return httpx.Response(200, json={"model_file": "coach-1.tar.gz"})

    status = run(handler, lambda rasa: rasa.rasa_status())
    assert status.ok and "coach-1.tar.gz" in status.detail  # type: ignore[attr-defined]


def test_status_without_model_is_not_ok() -> None:
    status = run(
        lambda _: httpx.Response(200, json={"model_file": None}), lambda r: r.rasa_status()
    )
    assert not status.ok  # type: ignore[attr-defined]


def test_refused_token_is_reported() -> None:
    status = run(lambda _: httpx.Response(401), lambda rasa: rasa.rasa_status())
    assert "token" in status.detail  # type: ignore[attr-defined]
