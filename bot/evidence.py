"""Find the cue words of each customer type in a customer's text (bot/knowledge/type_cues.yml)."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.cue_matcher import CueMatcher
from bot.customer_reading import TYPES
from bot.knowledge_loader import ListOf, MapOf, Text, load_knowledge
from bot.language import Lang

CUES_SCHEMA = MapOf(TYPES, MapOf(("zh", "en"), ListOf(Text(max_length=60))))


@dataclass(frozen=True)
class Evidence:
    text: str
    type: str
    start: int  # character offsets in the line
    end: int
    turn: int  # index of the line in the conversation


class EvidenceFinder:
    def __init__(self, cues: dict[str, dict[str, list[str]]]) -> None:
        self._matcher = CueMatcher(cues)

    def find(self, text: str, lang: Lang, turn: int = 0) -> list[Evidence]:
        """Cues in `text`, longest first where they overlap, in reading order."""
        return [
            Evidence(match.text, match.label, match.start, match.end, turn)
            for match in self._matcher.find(text, lang)
        ]


def evidence_for(lines: Sequence[tuple[str, Lang | None]], reading_type: str) -> list[Evidence]:
    """Cues in a conversation's customer lines that point to the reading's type, or every
    cue when the reading is undetermined. Lines without a language (emoji, another script)
    have none."""
    finder = evidence_finder()
    return [
        found
        for turn, (text, lang) in enumerate(lines)
        if lang is not None
        for found in finder.find(text, lang, turn)
        if reading_type in ("undetermined", found.type)
    ]


@lru_cache(maxsize=1)
def evidence_finder() -> EvidenceFinder:
    """The finder for the shipped cue list, built once per process."""
    return EvidenceFinder(load_knowledge("type_cues.yml", CUES_SCHEMA))
