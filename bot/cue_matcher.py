"""Find labelled cue phrases in Chinese or English text with spaCy's PhraseMatcher.

Chinese is matched on single characters (spaCy's default Chinese tokenizer), so a cue is
found whatever the word segmentation; English on lower-cased words. Where cues overlap the
longest wins.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from bot.language import Lang

_MARKUP_TO_SPACE = str.maketrans({char: " " for char in '<>/\\[]{}|*_#~^`="'})


@dataclass(frozen=True)
class CueMatch:
    label: str
    text: str
    start: int  # character offsets
    end: int


class CueMatcher:
    def __init__(self, cues: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
        """`cues`: label -> language -> phrases."""
        self._nlp: dict[str, Any] = {"zh": spacy.blank("zh"), "en": spacy.blank("en")}
        self._matchers: dict[str, Any] = {}
        for lang, nlp in self._nlp.items():
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            for label, phrases in cues.items():
                matcher.add(label, [nlp.make_doc(phrase) for phrase in phrases[lang]])
            self._matchers[lang] = matcher

    def find(self, text: str, lang: Lang) -> list[CueMatch]:
        # Markup characters become spaces (same length, so offsets stay valid) so that
        # "<b>I don't know</b>" still yields the word "know".
        doc = self._nlp[lang](text.translate(_MARKUP_TO_SPACE))
        spans = [
            Span(doc, start, end, label=doc.vocab.strings[match_id])
            for match_id, start, end in self._matchers[lang](doc)
        ]
        return [
            CueMatch(
                span.label_, text[span.start_char : span.end_char], span.start_char, span.end_char
            )
            for span in sorted(filter_spans(spans), key=lambda span: span.start)
        ]
