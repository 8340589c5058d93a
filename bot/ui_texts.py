"""The catalogue of what the web pages and Slack say around the coaching (bot/knowledge/ui.yml).

Names that other knowledge files already define — the four types, the mood levels, the
difficulties, the feedback styles — are taken from there, so the chat bubble, the panel and
Slack can never disagree about them.
"""

from functools import lru_cache
from typing import Any

from bot.coaching_card import coaching_card_texts
from bot.coaching_codes import ALL_AVOID_CODES, FEEDBACK_STYLES, TYPE_CODES
from bot.customer_types import load_customer_types
from bot.knowledge_loader import BILINGUAL, KnowledgeError, Mapping, Table, load_knowledge
from bot.language import Lang
from bot.limits import MAX_MESSAGE_CHARS
from bot.practice_card import practice_text
from bot.practice_session import LEAVES_AT
from bot.scenarios import DIFFICULTIES

SECTIONS = ("web", "slack", "errors", "accounts", "flags", "review")
UI_SCHEMA = Mapping(required={section: Table(BILINGUAL) for section in SECTIONS})


@lru_cache(maxsize=1)
def ui_catalogue() -> dict[str, Any]:
    catalogue: dict[str, Any] = load_knowledge("ui.yml", UI_SCHEMA)
    return catalogue


def ui_text(section: str, key: str, lang: Lang, **values: object) -> str:
    template = str(ui_catalogue()[section][key][lang])
    return template.format(**values) if values else template


def check_flag_names() -> None:
    """Every avoid code of the contract has a short name (charts never show a raw code)."""
    missing = sorted(set(ALL_AVOID_CODES) - set(ui_catalogue()["flags"]))
    if missing:
        raise KnowledgeError(f"ui.yml: flags: no name for {', '.join(missing)}")


def mood_names(lang: Lang) -> list[str]:
    """Escalation levels 0 (calm) to LEAVES_AT (gone), as the practice card names them."""
    return [practice_text(f"mood_{level}", lang) for level in range(LEAVES_AT + 1)]


def web_words(lang: Lang) -> dict[str, str]:
    """Every word a web page shows, by name: the catalogue plus the shared names."""
    words = {key: str(value[lang]) for key, value in ui_catalogue()["web"].items()}
    words["too_long"] = ui_text("web", "too_long", lang, limit=MAX_MESSAGE_CHARS)
    profiles = load_customer_types()
    words.update({code: profiles[code].name[lang] for code in TYPE_CODES})
    words.update({level: practice_text(f"difficulty_{level}", lang) for level in DIFFICULTIES})
    card = coaching_card_texts()
    words.update({f"feedback_{style}": str(card[style][lang]) for style in FEEDBACK_STYLES})
    flags = ui_catalogue()["flags"]
    words.update({f"flag_{code}": str(name[lang]) for code, name in flags.items()})
    return words
