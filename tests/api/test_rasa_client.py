"""RasaClient speaks Rasa's REST channel and HTTP API as Rasa 3.6 expects, against small
local servers standing in for Rasa replicas (a closed port for one that is down)."""

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import pytest
from aiohttp import web

from api.rasa_client import (
    RasaClient,
    RasaTooSlow,
    RasaUnavailable,
    http_session,
    replica_order,
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def replica(handler: Handler) -> AsyncIterator[str]:
    """A local server answering every path with `handler`; yields its base URL."""
    app = web.Application()
    app.router.add_route("*", "/{path:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run(
    handlers: list[Handler | None],
    call: Callable[[RasaClient, list[str]], Awaitable[Any]],
    timeout: float = 5.0,
) -> Any:
    """`call` against one replica per handler (None: a replica that is down)."""

    async def go() -> Any:
        async with AsyncExitStack() as stack:
            urls = [
                await stack.enter_async_context(replica(h)) if h else closed_port_url()
                for h in handlers
            ]
            http = await stack.enter_async_context(http_session(timeout))
            return await call(RasaClient(http, urls, "http://127.0.0.1:1", "secret"), urls)

    return asyncio.run(go())


def answer(body: Any, status: int = 200) -> Handler:
    async def handler(_: web.Request) -> web.Response:
        return web.json_response(body, status=status)

    return handler


def test_send_message_posts_sender_and_message_to_the_rest_channel() -> None:
    seen: list[tuple[str, dict[str, Any], str | None]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append((request.path, await request.json(), request.headers.get("X-Coach-Token")))
        return web.json_response([{"recipient_id": "c1", "text": "hi"}])

    messages = run([handler], lambda rasa, _: rasa.send_message("c1", "你好"))
    assert messages == [{"recipient_id": "c1", "text": "hi"}]
    assert seen == [("/webhooks/coach/webhook", {"sender": "c1", "message": "你好"}, "secret")]


async def html(_: web.Request) -> web.Response:
    return web.Response(text="<html>", content_type="text/html")


@pytest.mark.parametrize("handler", [answer(None, status=500), html, answer({})])
def test_bad_answers_become_rasa_unavailable(handler: Handler) -> None:
    with pytest.raises(RasaUnavailable):
        run([handler], lambda rasa, _: rasa.send_message("c1", "hi"))


def test_status_sends_the_token_and_reports_the_loaded_model() -> None:
    async def handler(request: web.Request) -> web.Response:
        if request.query.get("token") != "secret":
            return web.Response(status=401)
        return web.json_response({"model_file": "coach-1.tar.gz"})

    status = run([handler], lambda rasa, _: rasa.rasa_status())
    assert status.ok and "coach-1.tar.gz" in status.detail


def test_status_without_model_is_not_ok() -> None:
    status = run([answer({"model_file": None})], lambda rasa, _: rasa.rasa_status())
    assert not status.ok


def test_refused_token_is_reported() -> None:
    status = run([answer(None, status=401)], lambda rasa, _: rasa.rasa_status())
    assert "token" in status.detail


def test_each_conversation_sticks_to_one_replica_and_both_get_some() -> None:
    hosts: dict[str, set[str]] = {}

    def serving(name: str) -> Handler:
        async def handler(request: web.Request) -> web.Response:
            hosts.setdefault((await request.json())["sender"], set()).add(name)
            return web.json_response([])

        return handler

    async def many(rasa: RasaClient, _: list[str]) -> None:
        for turn in range(3):
            for index in range(40):
                await rasa.send_message(f"web-1-c{index}", f"turn {turn}")

    run([serving("a"), serving("b")], many)
    assert all(len(seen) == 1 for seen in hosts.values())
    first_choices = [next(iter(seen)) for seen in hosts.values()]
    assert 10 <= first_choices.count("a") <= 30  # spread over both replicas
    replicas = ["http://rasa-a:5005", "http://rasa-b:5005"]
    assert replica_order(replicas, "web-1-c7") == replica_order(replicas[::-1], "web-1-c7")


def test_an_unreachable_replica_moves_its_conversations_to_the_other() -> None:
    async def call(rasa: RasaClient, urls: list[str]) -> Any:
        senders = [f"web-1-c{i}" for i in range(20)]
        on_down = [s for s in senders if replica_order(urls, s)[0] == urls[0]]
        return [await rasa.send_message(sender, "hi") for sender in on_down]

    answers = run([None, answer([{"text": "ok"}])], call)
    assert answers and all(messages == [{"text": "ok"}] for messages in answers)


def test_a_slow_replica_is_not_retried_elsewhere_and_may_still_be_handling_it() -> None:
    """A read timeout may mean the message is being handled: sending it twice would not do."""
    calls: list[str] = []

    def slow(name: str) -> Handler:
        async def handler(_: web.Request) -> web.Response:
            calls.append(name)
            await asyncio.sleep(2)
            return web.json_response([])

        return handler

    with pytest.raises(RasaTooSlow):
        run([slow("a"), slow("b")], lambda rasa, _: rasa.send_message("web-1-c1", "hi"), 0.3)
    assert len(calls) == 1


def test_status_names_every_replica_and_serves_while_one_is_up() -> None:
    async def call(rasa: RasaClient, urls: list[str]) -> Any:
        return await rasa.rasa_status(), urls[1]

    status, down = run([answer({"model_file": "coach-1.tar.gz"}), None], call)
    assert status.ok
    assert "1/2 replicas serving" in status.detail
    assert down in status.detail


def test_tracker_events_come_back_oldest_first_with_the_token() -> None:
    async def handler(request: web.Request) -> web.Response:
        assert request.query == {"token": "secret", "include_events": "ALL"}
        return web.json_response({"events": [{"event": "user"}, "junk", {"event": "bot"}]})

    events = run([handler], lambda rasa, _: rasa.events("c1", whole_history=True))
    assert events == [{"event": "user"}, {"event": "bot"}]


def test_the_client_body_is_json_with_the_message_id_in_metadata() -> None:
    bodies: list[bytes] = []

    async def handler(request: web.Request) -> web.Response:
        bodies.append(await request.read())
        return web.json_response([{"text": "ok"}])

    run([handler], lambda rasa, _: rasa.send_message("c1", "hi", metadata={"message_id": "m1"}))
    assert json.loads(bodies[0])["metadata"] == {"message_id": "m1"}
