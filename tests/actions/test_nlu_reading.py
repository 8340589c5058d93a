"""A simulated customer's line is read by Rasa once; a repeat is answered from memory, and
a failed read is not remembered."""

import asyncio
from typing import Any

import aiohttp

from actions import nlu_reading
from actions.nlu_reading import RasaParser, RasaSettings


class CountingParser(RasaParser):
    def __init__(self, answers: list[list[dict[str, Any]] | None]) -> None:
        super().__init__(RasaSettings(("http://rasa.invalid",), "token"))
        self.answers = answers
        self.calls = 0

    async def _parse(
        self, session: aiohttp.ClientSession, url: str, text: str
    ) -> list[dict[str, Any]] | None:
        self.calls += 1
        return self.answers.pop(0)


RANKING = [{"name": "customer_power", "confidence": 0.9}]


def read(parser: RasaParser, *texts: str) -> list[Any]:
    async def run() -> list[Any]:
        return [await parser.intent_ranking(text) for text in texts]

    return asyncio.run(run())


def test_a_repeated_line_is_parsed_once() -> None:
    parser = CountingParser([RANKING])
    assert read(parser, "今天必须修好", "今天必须修好") == [RANKING, RANKING]
    assert parser.calls == 1


def test_a_failed_read_is_asked_again() -> None:
    parser = CountingParser([None, RANKING])
    assert read(parser, "今天必须修好", "今天必须修好") == [None, RANKING]
    assert parser.calls == 2


def test_memory_is_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(nlu_reading, "KEPT_READINGS", 2)
    parser = CountingParser([RANKING] * 4)
    read(parser, "a", "b", "c", "a")
    assert parser.calls == 4  # "a" was the oldest and made room for "c"
