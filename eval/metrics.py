"""Per-language and per-type scores from `rasa test nlu` prediction files.

`rasa test nlu --successes` writes intent_successes.json and intent_errors.json: one record
per test example with the target intent and the predicted intent with its confidence. The
language of each example is detected with bot.language, so one Rasa run yields separate
Chinese and English figures.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.language import detect_language

CUSTOMER_INTENTS = ("customer_power", "customer_social", "customer_harmonious", "customer_thinking")


@dataclass(frozen=True)
class Prediction:
    text: str
    target: str
    predicted: str
    confidence: float
    lang: str


def load_predictions(results_dir: Path) -> list[Prediction]:
    records = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = results_dir / name
        if path.exists():
            records.extend(json.loads(path.read_text(encoding="utf-8")))
    return [
        Prediction(
            text=record["text"],
            target=record["intent"],
            predicted=(record.get("intent_prediction") or {}).get("name") or "",
            confidence=float((record.get("intent_prediction") or {}).get("confidence") or 0.0),
            lang=detect_language(record["text"]) or "none",
        )
        for record in records
    ]


def f1_by_intent(predictions: Iterable[Prediction], labels: Iterable[str]) -> dict[str, float]:
    """One-vs-rest F1 for each label, over the given predictions."""
    rows = list(predictions)
    scores = {}
    for label in labels:
        tp = sum(1 for p in rows if p.target == label and p.predicted == label)
        fp = sum(1 for p in rows if p.target != label and p.predicted == label)
        fn = sum(1 for p in rows if p.target == label and p.predicted != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return scores


def customer_rows(predictions: Iterable[Prediction], lang: str | None = None) -> list[Prediction]:
    """Customer-type examples (optionally of one language); any other prediction is an error."""
    return [
        p for p in predictions if p.target in CUSTOMER_INTENTS and (lang is None or p.lang == lang)
    ]


def macro_f1(predictions: Iterable[Prediction], lang: str | None = None) -> float:
    scores = f1_by_intent(customer_rows(predictions, lang), CUSTOMER_INTENTS)
    return sum(scores.values()) / len(scores)


def confusion(
    predictions: Iterable[Prediction], lang: str | None = None
) -> dict[str, dict[str, int]]:
    """target -> predicted -> count, predictions outside the four types grouped as 'other'."""
    table: dict[str, dict[str, int]] = {t: {} for t in CUSTOMER_INTENTS}
    for p in customer_rows(predictions, lang):
        column = p.predicted if p.predicted in CUSTOMER_INTENTS else "other"
        table[p.target][column] = table[p.target].get(column, 0) + 1
    return table
