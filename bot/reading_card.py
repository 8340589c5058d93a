"""The reading card: a customer reading and its evidence, as text in one language."""

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bot.customer_reading import UNDETERMINED, CustomerReading
from bot.customer_types import load_customer_types
from bot.evidence import Evidence
from bot.knowledge_loader import BILINGUAL, Mapping, load_knowledge
from bot.language import Lang

CARD_KEYS = (
    "title", "verdict", "undetermined", "axes", "direct", "indirect", "people", "facts",
    "evidence", "lines_read",
)  # fmt: skip
CARD_SCHEMA = Mapping(required={key: BILINGUAL for key in CARD_KEYS})
MAX_CLUES = 6


@lru_cache(maxsize=1)
def reading_card_texts() -> dict[str, Any]:
    texts: dict[str, Any] = load_knowledge("reading_card.yml", CARD_SCHEMA)
    return texts


def reading_card(
    reading: CustomerReading, evidence: Sequence[Evidence], lines_read: int, lang: Lang
) -> str:
    texts = {key: value[lang] for key, value in reading_card_texts().items()}
    lines = [texts["title"]]
    if reading.customer_type == UNDETERMINED:
        lines.append(texts["undetermined"])
    else:
        name = load_customer_types()[reading.customer_type].name[lang]
        confidence = round(reading.confidence * 100)
        lines.append(texts["verdict"].format(type=name, confidence=confidence))
        direct = texts["direct"] if reading.axes.directness >= 0 else texts["indirect"]
        focus = texts["people"] if reading.axes.orientation >= 0 else texts["facts"]
        lines.append(texts["axes"].format(direct=direct, focus=focus))
        clues = list(dict.fromkeys(found.text for found in evidence))[:MAX_CLUES]
        if clues:
            separator = "、" if lang == "zh" else ", "
            lines.append(texts["evidence"].format(words=separator.join(clues)))
    if lines_read > 1:
        lines.append(texts["lines_read"].format(count=lines_read))
    return "\n".join(lines)
