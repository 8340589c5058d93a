"""Turn the NLU model's intent probabilities into a reading of the customer.

Rasa's trained NLU model classifies each customer line; this module only combines what it
returns: the four type probabilities (renormalised and calibrated), the position on the two
axes, the `undetermined` verdict with its reason, and the conversation-level reading over
several lines.

A line carries style evidence in proportion to the probability mass the model puts on the
four type intents. Lines the model reads as `customer_neutral` (an order number, "好的", a
bare fact) or as coaching chat carry almost none, so they barely move a conversation's
reading: a line weighs as much as its evidence, and "later" means later in the evidence,
so an acknowledgement at the end shifts nothing.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.coaching_codes import UNDETERMINED, CustomerType, ReadingType

TYPE_BY_INTENT: dict[str, CustomerType] = {
    "customer_power": "power",
    "customer_social": "social",
    "customer_harmonious": "harmonious",
    "customer_thinking": "thinking",
}
TYPES: tuple[CustomerType, ...] = tuple(TYPE_BY_INTENT.values())

# The model is over-confident: its type probabilities are softened by this temperature
# (p ** (1 / T), renormalised) so that a reported 80 % is right about 80 % of the time.
# Chosen by `make eval` on cross-validated predictions (docs/nlu-report.md, "Calibration").
TEMPERATURE = 2.0
# Below this top (calibrated) score the reading is `undetermined`; re-chosen on the calibrated
# cross-validated scores (docs/nlu-report.md, "Choosing the threshold").
UNDETERMINED_BELOW = 0.6
# A reading needs at least this much style evidence (sum of the lines' type mass).
MIN_STYLE_EVIDENCE = 0.5
# Two types closer than this make the reading a close call rather than missing evidence.
CLOSE_CALL = 0.15
# Each line's probabilities are floored before taking logs, so one over-confident line
# cannot outvote several others; later evidence counts a little more (the customer's style
# shows more clearly once the conversation is under way).
PROBABILITY_FLOOR = 0.02
RECENCY_BOOST = 0.5

Ranking = Sequence[Mapping[str, object]]
UndeterminedReason = Literal["no_style_yet", "types_close"]
Axis = Literal["directness", "orientation"]
# The type corners (contract): which axis tells two types apart.
_DIRECTNESS = {"power": 1, "social": 1, "harmonious": -1, "thinking": -1}
_ORIENTATION = {"power": -1, "social": 1, "harmonious": 1, "thinking": -1}


@dataclass(frozen=True)
class LineScores:
    """One customer line as the model saw it."""

    scores: dict[str, float]  # the four types, calibrated, summing to 1
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
    # Why the reading is undetermined, and the axis question that would settle it (None
    # when a type is named).
    reason: UndeterminedReason | None = None
    ask: Axis | None = None


def line_scores(intent_ranking: Ranking, temperature: float = TEMPERATURE) -> LineScores:
    """The four type probabilities from Rasa's `intent_ranking`, calibrated."""
    raw: dict[str, float] = {customer_type: 0.0 for customer_type in TYPES}
    for entry in intent_ranking:
        customer_type = TYPE_BY_INTENT.get(str(entry.get("name")))
        if customer_type is not None:
            confidence = entry.get("confidence")
            raw[customer_type] = float(confidence) if isinstance(confidence, int | float) else 0.0
    mass = sum(raw.values())
    if mass <= 0:
        return LineScores(scores=_uniform(), style_mass=0.0)
    return LineScores(calibrated(raw, temperature), style_mass=min(1.0, mass))


def calibrated(raw: Mapping[str, float], temperature: float = TEMPERATURE) -> dict[str, float]:
    """Temperature scaling of the type probabilities (they need not sum to 1)."""
    powered = {t: max(value, 1e-9) ** (1 / temperature) for t, value in raw.items()}
    total = sum(powered.values())
    return {t: value / total for t, value in powered.items()}


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
    if len(lines) == 1:  # the model's own (calibrated) scores
        return _reading(dict(lines[0].scores), lines[0].style_mass)
    evidence = sum(line.style_mass for line in lines)
    log_scores: dict[str, float] = {customer_type: 0.0 for customer_type in TYPES}
    before = 0.0
    for line in lines:
        position = before / evidence if evidence else 0.0  # 0 first … ~1 last, by evidence
        weight = (1.0 + RECENCY_BOOST * position) * line.style_mass
        before += line.style_mass
        for customer_type in TYPES:
            log_scores[customer_type] += weight * math.log(
                line.scores[customer_type] + PROBABILITY_FLOOR
            )
    return _reading(_softmax(log_scores), evidence)


def reading_trail(lines: Sequence[LineScores]) -> list[CustomerReading]:
    """The conversation's reading after each line, for the coach panel's trail."""
    return [read_conversation(lines[: end + 1]) for end in range(len(lines))]


def _reading(scores: dict[str, float], evidence: float) -> CustomerReading:
    ranked = sorted(TYPES, key=lambda customer_type: scores[customer_type], reverse=True)
    top, runner_up = ranked[0], ranked[1]
    confidence = scores[top]
    determined = evidence >= MIN_STYLE_EVIDENCE and confidence >= UNDETERMINED_BELOW
    reason: UndeterminedReason | None = None
    ask: Axis | None = None
    if not determined:
        close = evidence >= MIN_STYLE_EVIDENCE and confidence - scores[runner_up] < CLOSE_CALL
        reason = "types_close" if close else "no_style_yet"
        ask = _settling_axis(top, runner_up) if close else "directness"
    return CustomerReading(
        customer_type=top if determined else UNDETERMINED,
        confidence=round(confidence, 4),
        scores={t: round(value, 4) for t, value in scores.items()},
        axes=axes_of(scores),
        style_evidence=round(evidence, 4),
        reason=reason,
        ask=ask,
    )


def _settling_axis(first: str, second: str) -> Axis:
    """The axis question that tells two close types apart (directness when both differ)."""
    if _DIRECTNESS[first] != _DIRECTNESS[second]:
        return "directness"
    return "orientation"


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
