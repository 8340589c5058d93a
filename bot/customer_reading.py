"""Turn the NLU model's intent probabilities into a reading of the customer.

Rasa's trained NLU model classifies each customer line; this module only combines what it
returns: the four type probabilities (renormalised), the position on the two axes, the
`undetermined` verdict, and the conversation-level reading over several lines.

A line carries style evidence in proportion to the probability mass the model puts on the
four type intents. Lines the model reads as `customer_neutral` (a bare problem statement
such as "设备坏了") or as coaching chat carry almost none, so they barely move a
conversation's reading and a neutral first line cannot decide the type.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.coaching_codes import UNDETERMINED, CustomerType, ReadingType

TYPE_BY_INTENT: dict[str, CustomerType] = {
    "customer_power": "power",
    "customer_social": "social",
    "customer_harmonious": "harmonious",
    "customer_thinking": "thinking",
}
TYPES: tuple[CustomerType, ...] = tuple(TYPE_BY_INTENT.values())

# Below this top score the reading is `undetermined`. Chosen from 5-fold cross-validation
# (docs/nlu-report.md, "Choosing the threshold"): at 0.6 about 96 % of customer lines get a
# type and about 92 % of those are right; each further point of accuracy costs 2-3 points
# of lines answered, and an undetermined line costs the trainee two button presses.
UNDETERMINED_BELOW = 0.6
# A reading needs at least this much style evidence (sum of the lines' type mass).
MIN_STYLE_EVIDENCE = 0.5
# Each line's probabilities are floored before taking logs, so one over-confident line
# cannot outvote several others; later lines count a little more (the customer's style
# shows more clearly once the conversation is under way).
PROBABILITY_FLOOR = 0.02
RECENCY_BOOST = 0.5

Ranking = Sequence[Mapping[str, object]]


@dataclass(frozen=True)
class LineScores:
    """One customer line as the model saw it."""

    scores: dict[str, float]  # the four types, summing to 1
    style_mass: float  # probability the model gave to the four types together


@dataclass(frozen=True)
class Axes:
    directness: float  # +1 direct, -1 indirect
    orientation: float  # +1 people, -1 facts


@dataclass(frozen=True)
class CustomerReading:
    customer_type: ReadingType
    confidence: float
    scores: dict[str, float]
    axes: Axes
    style_evidence: float


def line_scores(intent_ranking: Ranking) -> LineScores:
    """Extract the four type probabilities from Rasa's `intent_ranking`."""
    raw = {customer_type: 0.0 for customer_type in TYPES}
    for entry in intent_ranking:
        customer_type = TYPE_BY_INTENT.get(str(entry.get("name")))
        if customer_type is not None:
            confidence = entry.get("confidence")
            raw[customer_type] = float(confidence) if isinstance(confidence, int | float) else 0.0
    mass = sum(raw.values())
    if mass <= 0:
        return LineScores(scores=_uniform(), style_mass=0.0)
    return LineScores({t: value / mass for t, value in raw.items()}, style_mass=min(1.0, mass))


def no_signal() -> LineScores:
    """A line without usable text (only emoji or punctuation, another script)."""
    return LineScores(scores=_uniform(), style_mass=0.0)


def axes_of(scores: Mapping[str, float]) -> Axes:
    """Position on the two axes: each type pulls toward its corner in the contract."""
    directness = scores["power"] + scores["social"] - scores["harmonious"] - scores["thinking"]
    orientation = scores["social"] + scores["harmonious"] - scores["power"] - scores["thinking"]
    return Axes(directness=_clip(directness), orientation=_clip(orientation))


def read_conversation(lines: Sequence[LineScores]) -> CustomerReading:
    """One reading for all customer lines so far (a single line is a conversation of one)."""
    if not lines:
        return _reading(_uniform(), 0.0)
    if len(lines) == 1:  # the model's own scores, as cross-validation measured them
        return _reading(dict(lines[0].scores), lines[0].style_mass)
    count = len(lines)
    log_scores: dict[str, float] = {customer_type: 0.0 for customer_type in TYPES}
    evidence = 0.0
    for index, line in enumerate(lines):
        recency = 1.0 + RECENCY_BOOST * index / (count - 1)
        weight = recency * line.style_mass
        evidence += line.style_mass
        for customer_type in TYPES:
            log_scores[customer_type] += weight * math.log(
                line.scores[customer_type] + PROBABILITY_FLOOR
            )
    return _reading(_softmax(log_scores), evidence)


def reading_trail(lines: Sequence[LineScores]) -> list[CustomerReading]:
    """The conversation's reading after each line, for the coach panel's trail."""
    return [read_conversation(lines[: end + 1]) for end in range(len(lines))]


def _reading(scores: dict[str, float], evidence: float) -> CustomerReading:
    top: CustomerType = max(TYPES, key=lambda customer_type: scores[customer_type])
    confidence = scores[top]
    determined = evidence >= MIN_STYLE_EVIDENCE and confidence >= UNDETERMINED_BELOW
    return CustomerReading(
        customer_type=top if determined else UNDETERMINED,
        confidence=round(confidence, 4),
        scores={t: round(value, 4) for t, value in scores.items()},
        axes=axes_of(scores),
        style_evidence=round(evidence, 4),
    )


def _softmax(log_scores: Mapping[str, float]) -> dict[str, float]:
    peak = max(log_scores.values())
    exponentials = {t: math.exp(value - peak) for t, value in log_scores.items()}
    total = sum(exponentials.values())
    return {t: value / total for t, value in exponentials.items()}


def _uniform() -> dict[str, float]:
    return {customer_type: 1 / len(TYPES) for customer_type in TYPES}


def _clip(value: float) -> float:
    return round(max(-1.0, min(1.0, value)), 4)


def shown_percent(confidence: float) -> int:
    """A confidence as every surface prints it: a whole percentage that never claims 100."""
    return min(99, round(confidence * 100))


def certain_reading(customer_type: CustomerType) -> CustomerReading:
    """A reading fixed by the trainee (the two axis answers), not estimated by the model."""
    scores: dict[str, float] = {t: 1.0 if t == customer_type else 0.0 for t in TYPES}
    return _reading(scores, evidence=1.0)
