"""Find the cue words of each customer type in a customer's text, with spaCy's PhraseMatcher.

The cues come from bot/knowledge/type_cues.yml. Chinese is matched on single characters so a
cue is found whatever the word segmentation; English on lower-cased words.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

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
        self._nlp: dict[str, Any] = {"zh": spacy.blank("zh"), "en": spacy.blank("en")}
        self._matchers: dict[str, Any] = {}
        for lang, nlp in self._nlp.items():
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            for customer_type in TYPES:
                patterns = [nlp.make_doc(cue) for cue in cues[customer_type][lang]]
                matcher.add(customer_type, patterns)
            self._matchers[lang] = matcher

    def find(self, text: str, lang: Lang, turn: int = 0) -> list[Evidence]:
        """Cues in `text`, longest first where they overlap, in reading order."""
        doc = self._nlp[lang](text)
        spans = [
            Span(doc, start, end, label=doc.vocab.strings[match_id])
            for match_id, start, end in self._matchers[lang](doc)
        ]
        return [
            Evidence(span.text, span.label_, span.start_char, span.end_char, turn)
            for span in sorted(filter_spans(spans), key=lambda span: span.start)
        ]


@lru_cache(maxsize=1)
def evidence_finder() -> EvidenceFinder:
    """The finder for the shipped cue list, built once per process."""
    return EvidenceFinder(load_knowledge("type_cues.yml", CUES_SCHEMA))
