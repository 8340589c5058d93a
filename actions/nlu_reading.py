"""Ask the running Rasa server how its NLU model reads a simulated customer's line.

The practice customer's lines are bot messages, never parsed by Rasa on their own; sending
them to Rasa's `/model/parse` shows the trainee (and the benchmark) what the trained model
makes of them. One pooled HTTP session serves every call of the action server's lifetime;
with several replicas COACH_RASA_URL lists them all, and the first one that answers reads.
The simulated customer's lines come from a finite set of voice lines and facts, so most
repeat across sessions: a reading is kept by text (the stack starts the action server with
the model Rasa serves, so a kept reading is the model's), which spares Rasa one parse per
practice turn after warm-up.
"""

import os
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import aiohttp

PARSE_TIMEOUT_S = 3.0
KEPT_READINGS = 4096


@dataclass(frozen=True)
class RasaSettings:
    """Where Rasa listens and its API token, from the environment scripts/stack.py sets."""

    urls: tuple[str, ...]
    token: str

    @classmethod
    def from_env(cls) -> "RasaSettings | None":
        urls = tuple(
            url.strip().rstrip("/")
            for url in os.environ.get("COACH_RASA_URL", "").split(",")
            if url.strip()
        )
        token_file = os.environ.get("COACH_RASA_TOKEN_FILE")
        if not urls or not token_file:
            return None
        return cls(urls, Path(token_file).read_text(encoding="utf-8").strip())


class RasaParser:
    """Reads texts with Rasa's NLU model over one pooled HTTP session."""

    def __init__(self, settings: RasaSettings) -> None:
        self._settings = settings
        self._session: aiohttp.ClientSession | None = None
        self._kept: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()

    async def intent_ranking(self, text: str) -> list[dict[str, Any]] | None:
        """Rasa's intent ranking for `text`, or None when no replica answers."""
        if (kept := self._kept.get(text)) is not None:
            self._kept.move_to_end(text)
            return kept
        ranking = await self._ask(text)
        if ranking is not None:
            self._kept[text] = ranking
            if len(self._kept) > KEPT_READINGS:
                self._kept.popitem(last=False)
        return ranking

    async def _ask(self, text: str) -> list[dict[str, Any]] | None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=PARSE_TIMEOUT_S)
            )
        for url in self._settings.urls:
            ranking = await self._parse(self._session, url, text)
            if ranking is not None:
                return ranking
        return None

    async def _parse(
        self, session: aiohttp.ClientSession, url: str, text: str
    ) -> list[dict[str, Any]] | None:
        try:
            async with session.post(
                f"{url}/model/parse", params={"token": self._settings.token}, json={"text": text}
            ) as response:
                if response.status != 200:
                    return None
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError):
            return None
        ranking = body.get("intent_ranking")
        return ranking if isinstance(ranking, list) else None


@lru_cache(maxsize=1)
def rasa_parser() -> RasaParser | None:
    """The action server's one parser; None when Rasa is not configured (unit tests)."""
    settings = RasaSettings.from_env()
    return RasaParser(settings) if settings else None


async def intent_ranking(text: str) -> list[dict[str, Any]] | None:
    parser = rasa_parser()
    return await parser.intent_ranking(text) if parser else None
