"""Scripted trainees for role-play tests and benchmarks: one strong and one weak agent per
scenario, type and language (bench/practice_scripts/*.yml, written apart from the product's
rules, voices and training data)."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from bot.coaching_codes import CustomerType
from bot.language import Lang

SCRIPTS = Path(__file__).resolve().parents[1] / "bench" / "practice_scripts"
Strength = Literal["strong", "weak"]


@dataclass(frozen=True)
class ScriptPair:
    id: str
    scenario: str
    customer_type: CustomerType
    lang: Lang
    strong: tuple[str, ...]
    weak: tuple[str, ...]


@lru_cache(maxsize=4)
def script_pairs(folder: Path = SCRIPTS) -> tuple[ScriptPair, ...]:
    pairs = []
    for path in sorted(folder.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]:
            pairs.append(
                ScriptPair(
                    raw["id"],
                    raw["scenario"],
                    raw["customer_type"],
                    raw["lang"],
                    tuple(raw["strong"]),
                    tuple(raw["weak"]),
                )
            )
    return tuple(pairs)


def script(
    scenario: str, customer_type: str, lang: str, strength: Strength = "strong"
) -> tuple[str, ...]:
    """The scripted agent's replies for one case."""
    for pair in script_pairs():
        if (pair.scenario, pair.customer_type, pair.lang) == (scenario, customer_type, lang):
            return pair.strong if strength == "strong" else pair.weak
    raise KeyError(f"no script for {scenario} / {customer_type} / {lang}")
