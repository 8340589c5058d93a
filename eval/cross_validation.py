"""K-fold cross-validation of the NLU pipeline that keeps each held-out line's whole intent
ranking (Rasa's own `rasa test nlu --cross-validation` keeps only the top intent), so the
reading's calibration, its `undetermined` verdicts and conversation-level readings can be
measured on the model's real scores.

Each fold trains `rasa train nlu` on the other folds' examples (same config.yml) and parses
its own examples with the trained model, in this process.
"""

import asyncio
import os
import random
import re
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.language import detect_language

ROOT = Path(__file__).resolve().parent.parent
SEED = 7
_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Ranked:
    """One held-out example with the intent ranking the fold's model gave it."""

    text: str
    target: str
    lang: str
    ranking: list[dict[str, Any]]

    @property
    def predicted(self) -> str:
        return str(self.ranking[0]["name"]) if self.ranking else ""

    @property
    def confidence(self) -> float:
        return float(self.ranking[0]["confidence"]) if self.ranking else 0.0


def nlu_examples(nlu_dir: Path = ROOT / "data" / "nlu") -> list[tuple[str, str]]:
    """(intent, text) for every example (texts without entity markup are kept as they are)."""
    examples = []
    for path in sorted(nlu_dir.rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    examples.append((block["intent"], text))
    return examples


def extra_nlu(nlu_dir: Path = ROOT / "data" / "nlu") -> list[dict[str, Any]]:
    """The regexes and lookups every fold trains with (not examples to hold out)."""
    blocks = []
    for path in sorted(nlu_dir.rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in block:
                blocks.append(block)
    return blocks


def folds_of(examples: list[tuple[str, str]], folds: int) -> list[list[int]]:
    """Stratified by intent: each fold holds about 1/k of every intent's examples."""
    by_intent: dict[str, list[int]] = defaultdict(list)
    for index, (intent, _) in enumerate(examples):
        by_intent[intent].append(index)
    rng = random.Random(SEED)
    split: list[list[int]] = [[] for _ in range(folds)]
    for intent in sorted(by_intent):
        members = by_intent[intent]
        rng.shuffle(members)
        for position, index in enumerate(members):
            split[position % folds].append(index)
    return split


def write_nlu(path: Path, examples: list[tuple[str, str]], extra: list[dict[str, Any]]) -> None:
    grouped: dict[str, list[str]] = defaultdict(list)
    for intent, text in examples:
        grouped[intent].append(text)
    blocks: list[dict[str, Any]] = [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
        for intent, texts in grouped.items()
    ]
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": [*blocks, *extra]}, allow_unicode=True),
        encoding="utf-8",
    )


def train_nlu(config: Path, nlu_file: Path, out: Path, name: str) -> Path:
    from rasa.model_training import train_nlu as rasa_train_nlu

    result = rasa_train_nlu(str(config), str(nlu_file), str(out), fixed_model_name=name)
    if not result:
        raise RuntimeError(f"training {name} failed")
    return Path(result)


def parse_all(model: Path, texts: list[str]) -> list[list[dict[str, Any]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse() -> list[list[dict[str, Any]]]:
        rankings = []
        for text in texts:
            parsed = await agent.parse_message(text)
            rankings.append(list(parsed.get("intent_ranking") or []))
        return rankings

    return asyncio.run(parse())


def cross_validate(config: Path, folds: int = 5) -> tuple[list[Ranked], float]:
    """Every example once, ranked by a model that did not see it; and the seconds it took."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    examples = nlu_examples()
    extra = extra_nlu()
    started = time.monotonic()
    ranked: list[Ranked] = []
    with tempfile.TemporaryDirectory(prefix="coach-cv-") as scratch:
        work = Path(scratch)
        for fold, held in enumerate(folds_of(examples, folds)):
            held_set = set(held)
            train = [example for i, example in enumerate(examples) if i not in held_set]
            nlu_file = work / f"fold{fold}.yml"
            write_nlu(nlu_file, train, extra)
            model = train_nlu(config, nlu_file, work, f"fold{fold}")
            texts = [_MARKUP.sub(r"\1", examples[i][1]) for i in held]
            for index, ranking in zip(held, parse_all(model, texts), strict=True):
                intent, text = examples[index]
                text = _MARKUP.sub(r"\1", text)
                ranked.append(Ranked(text, intent, detect_language(text) or "none", ranking))
            print(f"fold {fold + 1}/{folds} done", flush=True)
    return ranked, time.monotonic() - started


def load_model_rankings(model: Path, texts: list[str]) -> list[list[dict[str, Any]]]:
    """Rankings of a trained model (e.g. models/coach-<hash>.tar.gz) for held-out texts."""
    return parse_all(model, texts)
