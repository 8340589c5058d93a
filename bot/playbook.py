"""The coaching playbook: per-type guidance and the general rules, from bot/knowledge/playbook/.

Validated at load. A coach who breaks a file gets the file, the line and the problem, and
the bot refuses to start rather than coach from a broken playbook.
"""

from collections.abc import Mapping as ReadOnlyMap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.coaching_codes import (
    ALL_AVOID_CODES,
    FEEDBACK_STYLES,
    GENERAL_AVOID_CODES,
    RECOMMENDED_FEEDBACK,
    SETTINGS,
    STYLE_MISMATCH_CODES,
)
from bot.customer_reading import TYPES
from bot.knowledge_loader import (
    BILINGUAL,
    KNOWLEDGE_DIR,
    KnowledgeError,
    ListOf,
    MapOf,
    Mapping,
    Number,
    OneOf,
    Text,
    load_knowledge,
    shown_path,
)
from bot.language import Lang

BILINGUAL_LIST = MapOf(("zh", "en"), ListOf(Text()))

TYPE_SCHEMA = Mapping(
    required={
        "type": OneOf(TYPES),
        "recognise": BILINGUAL_LIST,
        "why": BILINGUAL,
        "phrasings": ListOf(
            Mapping(required={"setting": OneOf(SETTINGS), "zh": Text(), "en": Text()}),
            min_items=8,
        ),
        "avoid": ListOf(
            Mapping(
                required={
                    "code": OneOf(ALL_AVOID_CODES),
                    "zh": Text(),
                    "en": Text(),
                    "why": BILINGUAL,
                    "better": BILINGUAL,
                }
            ),
            min_items=3,
        ),
        "feedback": Mapping(
            required={
                "style": OneOf(FEEDBACK_STYLES),
                "zh": Text(),
                "en": Text(),
                "examples": ListOf(BILINGUAL),
            }
        ),
        "questions": ListOf(BILINGUAL, min_items=3),
        "objections": BILINGUAL_LIST,
    }
)

GENERAL_SCHEMA = Mapping(
    required={
        "phrases_to_avoid": ListOf(
            Mapping(
                required={
                    "code": OneOf(GENERAL_AVOID_CODES),
                    "example": BILINGUAL,
                    "why": BILINGUAL,
                    "better": BILINGUAL,
                }
            ),
            min_items=len(GENERAL_AVOID_CODES),
        ),
        "complaint_steps": ListOf(
            Mapping(required={"step": Number(1, 6), "name": BILINGUAL, "how": BILINGUAL}),
            min_items=6,
        ),
        "expectation_management": BILINGUAL_LIST,
    }
)


@dataclass(frozen=True)
class Playbook:
    types: ReadOnlyMap[str, dict[str, Any]]
    general: dict[str, Any]

    def better_alternative(self, code: str, lang: Lang) -> str | None:
        """The playbook's better phrasing for a general phrase-to-avoid code."""
        for entry in self.general["phrases_to_avoid"]:
            if entry["code"] == code:
                return str(entry["better"][lang])
        return None

    def type_card(self, customer_type: str, lang: Lang) -> dict[str, Any]:
        """Everything the playbook says about one type, in one language."""
        entry = self.types[customer_type]
        return {
            "type": customer_type,
            "recognise": entry["recognise"][lang],
            "why": entry["why"][lang],
            "phrasings": [
                {"setting": item["setting"], "text": item[lang]} for item in entry["phrasings"]
            ],
            "avoid": [
                {"code": item["code"], "text": item[lang], "why": item["why"][lang]}
                for item in entry["avoid"]
            ],
            "feedback": {
                "style": entry["feedback"]["style"],
                "how": entry["feedback"][lang],
                "examples": [example[lang] for example in entry["feedback"]["examples"]],
            },
            "questions": [question[lang] for question in entry["questions"]],
            "objections": entry["objections"][lang],
        }


def read_playbook(base_dir: Path = KNOWLEDGE_DIR) -> Playbook:
    """Load and cross-check every playbook file; raises KnowledgeError on the first problem."""
    types: dict[str, dict[str, Any]] = {}
    for customer_type in TYPES:
        relative = f"playbook/{customer_type}.yml"
        shown = shown_path(relative, base_dir)
        entry: dict[str, Any] = load_knowledge(relative, TYPE_SCHEMA, base_dir)
        if entry["type"] != customer_type:
            raise KnowledgeError(
                f"{shown}: 'type' is {entry['type']!r}, expected {customer_type!r}"
            )
        style = entry["feedback"]["style"]
        if style != RECOMMENDED_FEEDBACK[customer_type]:
            raise KnowledgeError(
                f"{shown}: feedback style {style!r} contradicts the coaching model, which "
                f"recommends {RECOMMENDED_FEEDBACK[customer_type]!r} for {customer_type}"
            )
        listed = {item["code"] for item in entry["avoid"]}
        missing = [code for code in STYLE_MISMATCH_CODES[customer_type] if code not in listed]
        if missing:
            raise KnowledgeError(f"{shown}: 'avoid' must include {', '.join(missing)}")
        types[customer_type] = entry
    general: dict[str, Any] = load_knowledge("playbook/general.yml", GENERAL_SCHEMA, base_dir)
    covered = {entry["code"] for entry in general["phrases_to_avoid"]}
    missing = [code for code in GENERAL_AVOID_CODES if code not in covered]
    if missing:
        raise KnowledgeError(
            f"{shown_path('playbook/general.yml', base_dir)}: phrases_to_avoid lacks "
            f"{', '.join(missing)}"
        )
    return Playbook(types=MappingProxyType(types), general=general)


@lru_cache(maxsize=1)
def load_playbook() -> Playbook:
    """The shipped playbook, loaded once per process."""
    return read_playbook()
