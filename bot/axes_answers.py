"""Resolve a customer type from the trainee's answers to the two axis questions."""

from bot.coaching_codes import CustomerType
from bot.customer_reading import CustomerReading

_TYPE_BY_ANSWERS: dict[tuple[str, str], CustomerType] = {
    ("direct", "facts"): "power",
    ("direct", "people"): "social",
    ("indirect", "people"): "harmonious",
    ("indirect", "facts"): "thinking",
}


def type_from_answers(directness: str | None, orientation: str | None) -> CustomerType | None:
    """power (direct, facts), social (direct, people), harmonious (indirect, people),
    thinking (indirect, facts), as in the coaching model; None if an answer is missing."""
    if directness is None or orientation is None:
        return None
    return _TYPE_BY_ANSWERS.get((directness, orientation))


# Words a trainee may type instead of pressing a button. "indirect" is checked before
# "direct" because it contains it.
_DIRECTNESS_WORDS = (
    ("indirect", ("间接", "委婉", "含蓄", "indirect", "soft", "polite")),
    ("direct", ("直接", "直白", "直来直去", "direct", "blunt", "straight")),
)
_ORIENTATION_WORDS = (
    ("people", ("人际", "关系", "感情", "感受", "情绪", "people", "feeling", "relationship")),
    ("facts", ("事实", "结果", "数据", "事情", "fact", "result", "data", "task")),
)


def settled_answers(reading: CustomerReading) -> dict[str, str]:
    """The axis answers a close call already implies: two close types on the same side of
    one axis leave only the other question to ask."""
    if reading.reason != "types_close":
        return {}
    if reading.ask == "orientation":
        return {"directness_answer": "direct" if reading.axes.directness >= 0 else "indirect"}
    first, second = sorted(reading.scores, key=reading.scores.__getitem__, reverse=True)[:2]
    people = {"social", "harmonious"}
    if (first in people) == (second in people):
        return {"orientation_answer": "people" if first in people else "facts"}
    return {}


def answers_in_text(text: str) -> tuple[str | None, str | None]:
    """(directness, orientation) named in a typed answer; None where it names neither."""
    lowered = text.lower()
    return _first(lowered, _DIRECTNESS_WORDS), _first(lowered, _ORIENTATION_WORDS)


def _first(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    for value, words in table:
        if any(word in text for word in words):
            return value
    return None
