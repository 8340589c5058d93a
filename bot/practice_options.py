"""Read the options of a practice request typed in words ("开始练习 宽带 困难 考试模式",
"practice the hotel case as a thinking customer, hard"). Buttons send them as entities."""

import re
from dataclasses import dataclass

from bot.coaching_codes import CustomerType
from bot.customer_types import type_named_in
from bot.language import SUPPORTED_LANGS, Lang
from bot.practice_session import practice_knowledge
from bot.scenarios import DIFFICULTIES, Difficulty, load_library

_SEED = re.compile(r"(?:seed|种子)\s*[:=：]?\s*(\d{1,9})", re.IGNORECASE)


@dataclass(frozen=True)
class PracticeOptions:
    scenario: str | None = None
    customer_type: CustomerType | None = None
    difficulty: Difficulty | None = None
    lang: Lang | None = None
    exam: bool = False
    seed: int | None = None


def options_from_text(text: str) -> PracticeOptions:
    lowered = text.lower()
    knowledge = practice_knowledge()
    seed = _SEED.search(text)
    scenarios = {
        code: [*scenario.aliases["zh"], *scenario.aliases["en"]]
        for code, scenario in load_library().scenarios.items()
    }
    difficulties = {
        level: [*words["zh"], *words["en"]]
        for level, words in knowledge["difficulty_words"].items()
    }
    difficulty = _first_named(lowered, difficulties)
    lang = _first_named(lowered, dict(knowledge["language_words"]))
    return PracticeOptions(
        scenario=_first_named(lowered, scenarios),
        customer_type=type_named_in(text),
        difficulty=next((level for level in DIFFICULTIES if level == difficulty), None),
        lang=next((code for code in SUPPORTED_LANGS if code == lang), None),
        exam=exam_requested(text) is True,
        seed=int(seed.group(1)) if seed else None,
    )


def exam_requested(text: str) -> bool | None:
    """True for "exam mode" words, False for "exam off" words, None for neither."""
    lowered = text.lower()
    knowledge = practice_knowledge()
    if any(
        word.lower() in lowered
        for lang in ("zh", "en")
        for word in knowledge["exam_off_words"][lang]
    ):
        return False
    if any(
        word.lower() in lowered for lang in ("zh", "en") for word in knowledge["exam_words"][lang]
    ):
        return True
    return None


def _first_named(lowered: str, words_by_code: dict[str, list[str]]) -> str | None:
    """The code whose word appears earliest in the text (the longest word on a tie)."""
    best: tuple[int, int, str] | None = None
    for code, words in words_by_code.items():
        for word in words:
            position = lowered.find(word.lower())
            if position >= 0:
                candidate = (position, -len(word), code)
                best = candidate if best is None or candidate < best else best
    return best[2] if best else None
