"""RasaClient speaks Rasa's REST channel and HTTP API as Rasa 3.6 expects."""

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from api.rasa_client import RasaClient, RasaTooSlow, RasaUnavailable, replica_order

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
    assert str(seen[0].url) == "http://rasa:5005/webhooks/coach/webhook"
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


REPLICAS = ["http://rasa-a:5005", "http://rasa-b:5005"]


def replicated(handler: Handler, call: Callable[[RasaClient], object]) -> object:
    async def go() -> object:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with http:
            return await call(RasaClient(http, REPLICAS, "http://actions:5055", "secret"))  # type: ignore[misc]

    return asyncio.run(go())


def test_each_conversation_sticks_to_one_replica_and_both_get_some() -> None:
    hosts: dict[str, set[str]] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        sender = json.loads(request.content)["sender"]
        hosts.setdefault(sender, set()).add(request.url.host)
        return httpx.Response(200, json=[])

    async def many(rasa: RasaClient) -> None:
        for turn in range(3):
            for index in range(40):
                await rasa.send_message(f"web-1-c{index}", f"turn {turn}")

    replicated(handler, many)
    assert all(len(seen) == 1 for seen in hosts.values())
    first_choices = [next(iter(seen)) for seen in hosts.values()]
    assert 10 <= first_choices.count("rasa-a") <= 30  # spread over both replicas
    reordered = list(reversed(REPLICAS))
    assert replica_order(REPLICAS, "web-1-c7") == replica_order(reordered, "web-1-c7")


def test_an_unreachable_replica_moves_its_conversations_to_the_other() -> None:
    down = replica_order(REPLICAS, "web-1-c1")[0]
    served: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(down):
            raise httpx.ConnectError("connection refused", request=request)
        served.append(f"{request.url.scheme}://{request.url.host}:{request.url.port}")
        return httpx.Response(200, json=[{"text": "ok"}])

    messages = replicated(handler, lambda rasa: rasa.send_message("web-1-c1", "hi"))
    assert messages == [{"text": "ok"}]
    assert served == [replica_order(REPLICAS, "web-1-c1")[1]]


def test_a_slow_replica_is_not_retried_elsewhere() -> None:
    """A read timeout may mean the message is being handled: sending it twice would not do."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(RasaUnavailable):
        replicated(handler, lambda rasa: rasa.send_message("web-1-c1", "hi"))
    assert len(calls) == 1


def test_status_names_every_replica_and_serves_while_one_is_up() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rasa-b":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"model_file": "coach-1.tar.gz"})

    status = replicated(handler, lambda rasa: rasa.rasa_status())
    assert status.ok  # type: ignore[attr-defined]
    assert "1/2 replicas serving" in status.detail  # type: ignore[attr-defined]
    assert "rasa-b" in status.detail  # type: ignore[attr-defined]


def test_a_read_timeout_says_the_message_may_still_be_handled() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(RasaTooSlow):
        run(handler, lambda rasa: rasa.send_message("c1", "hi"))
