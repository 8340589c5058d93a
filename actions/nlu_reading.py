"""Ask the running Rasa server how its NLU model reads a simulated customer's line.

The practice customer's lines are bot messages, never parsed by Rasa on their own; sending
them to Rasa's `/model/parse` shows the trainee (and the benchmark) what the trained model
makes of them. Rasa's URL and token file come from the environment scripts/stack.py sets;
with several replicas COACH_RASA_URL lists them all, and the first one that answers reads.
"""

import os
from pathlib import Path
from typing import Any

import aiohttp

PARSE_TIMEOUT_S = 3.0


async def intent_ranking(text: str) -> list[dict[str, Any]] | None:
    """Rasa's intent ranking for `text`, or None when Rasa is not configured or not answering."""
    urls = [url for url in os.environ.get("COACH_RASA_URL", "").split(",") if url.strip()]
    token_file = os.environ.get("COACH_RASA_TOKEN_FILE")
    if not urls or not token_file:
        return None
    token = Path(token_file).read_text(encoding="utf-8").strip()
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=PARSE_TIMEOUT_S)
    ) as session:
        for url in urls:
            ranking = await _parse(session, url.strip().rstrip("/"), token, text)
            if ranking is not None:
                return ranking
    return None


async def _parse(
    session: aiohttp.ClientSession, url: str, token: str, text: str
) -> list[dict[str, Any]] | None:
    try:
        async with session.post(
            f"{url}/model/parse", params={"token": token}, json={"text": text}
        ) as response:
            if response.status != 200:
                return None
            body = await response.json()
    except (aiohttp.ClientError, TimeoutError):
        return None
    ranking = body.get("intent_ranking")
    return ranking if isinstance(ranking, list) else None
