"""What a user may send the bot: typed words, or one of the commands the product's own buttons
send. Rasa reads any message that starts with "/" as a command (`/restart` wipes the
conversation, `/back` undoes a turn, `/guess_type{…}` claims a guess), so every command is
checked against this allow-list, entities and values included, before it reaches Rasa.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.coaching_codes import TYPE_CODES
from bot.limits import MAX_MESSAGE_CHARS
from bot.scenarios import DIFFICULTIES, load_library

_COMMAND = re.compile(r"^/(?P<intent>[A-Za-z_]+)(?P<entities>\{.*\})?\s*$", re.DOTALL)
MAX_SEED = 10**9

Check = Callable[[Any], bool]


def _one_of(*choices: str) -> Check:
    return lambda value: isinstance(value, str) and value in choices


def _scenario(value: Any) -> bool:
    return isinstance(value, str) and value in load_library().scenarios


def _flag(value: Any) -> bool:
    return isinstance(value, bool) or value in ("true", "false", "on", "off")


def _seed(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_SEED


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= MAX_MESSAGE_CHARS


LANGUAGE = _one_of("zh", "en")
CUSTOMER_TYPE = _one_of(*TYPE_CODES)
# The commands the web chat, Slack and the practice buttons send, and the entities each takes.
ALLOWED: Mapping[str, Mapping[str, Check]] = {
    "start_practice": {
        "scenario": _scenario,
        "customer_type": CUSTOMER_TYPE,
        "difficulty": _one_of(*DIFFICULTIES),
        "language": LANGUAGE,
        "exam": _flag,
        "seed": _seed,
    },
    "retake": {},
    "give_up": {},
    "guess_type": {"customer_type": CUSTOMER_TYPE},
    "inform_axis": {
        "directness_answer": _one_of("direct", "indirect"),
        "orientation_answer": _one_of("people", "facts"),
    },
    "ask_type_tips": {"customer_type": CUSTOMER_TYPE, "language": LANGUAGE},
    "submit_reply": {"draft": _text, "customer_type": CUSTOMER_TYPE, "language": LANGUAGE},
    "help": {},
    "start_over": {},
}


@dataclass(frozen=True)
class Refusal:
    """Why a message is not sent to the bot; `problem` names it for the error text."""

    problem: str  # "unknown_command" | "bad_entities"
    command: str


def refusal(message: str) -> Refusal | None:
    """None for typed words and for the product's own commands; else why it is refused."""
    text = message.lstrip()
    if not text.startswith("/"):
        return None
    found = _COMMAND.match(text)
    intent = found.group("intent") if found else text[1:].split("{", 1)[0].strip()
    rules = ALLOWED.get(intent) if found else None
    if rules is None:
        return Refusal("unknown_command", intent[:40])
    raw = found.group("entities") if found else None
    if raw is None:
        return None
    try:
        entities = json.loads(raw)
    except ValueError:
        return Refusal("bad_entities", intent)
    if not isinstance(entities, dict) or any(
        name not in rules or not rules[name](value) for name, value in entities.items()
    ):
        return Refusal("bad_entities", intent)
    return None


def parsed_command(message: str) -> tuple[str, dict[str, Any]] | None:
    """(intent, entities) of a command message ("/…"), None for typed words; what a
    transcript shows instead of the raw text."""
    text = message.strip()
    if not text.startswith("/"):
        return None
    found = _COMMAND.match(text)
    if found is None:
        return text[1:].split("{", 1)[0].strip()[:40] or "unknown", {}
    try:
        entities = json.loads(found.group("entities") or "{}")
    except ValueError:
        entities = {}
    return found.group("intent"), entities if isinstance(entities, dict) else {}
