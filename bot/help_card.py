"""The help card: what the coach does, the four customer types, and what to type next."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.customer_types import TypeProfile, load_customer_types
from bot.knowledge_loader import BILINGUAL, ListOf, Mapping, load_knowledge
from bot.language import Lang

HELP_SCHEMA = Mapping(
    required={
        "title": BILINGUAL,
        "intro": BILINGUAL,
        "axes": BILINGUAL,
        "commands_heading": BILINGUAL,
        "commands": ListOf(BILINGUAL),
    }
)


@dataclass(frozen=True)
class HelpCard:
    """The card in one language, as lines a chat client can show one after another."""

    title: str
    lines: tuple[str, ...]

    def as_text(self) -> str:
        return "\n".join((self.title, *self.lines))


@lru_cache(maxsize=1)
def _help_source() -> dict[str, Any]:
    data: dict[str, Any] = load_knowledge("help.yml", HELP_SCHEMA)
    return data


def build_help_card(lang: Lang) -> HelpCard:
    """Assemble the help card in `lang` from help.yml and customer_types.yml."""
    source = _help_source()
    types = load_customer_types()
    lines = [source["intro"][lang]]
    lines.extend(_type_line(customer_type, lang) for customer_type in types.values())
    lines.append(source["axes"][lang])
    lines.append(source["commands_heading"][lang])
    lines.extend(f"• {command[lang]}" for command in source["commands"])
    return HelpCard(title=source["title"][lang], lines=tuple(lines))


def _type_line(customer_type: TypeProfile, lang: Lang) -> str:
    separator = "\uff1a" if lang == "zh" else ": "  # full-width colon in Chinese
    return f"• {customer_type.name[lang]}{separator}{customer_type.summary[lang]}"
