"""Check the customer-type training data: enough examples per type and language, and no
template permutations.

Two examples are near-duplicates when the Jaccard similarity of their character 5-gram sets
(lower-cased, whitespace and punctuation removed) is above 0.8. The check fails when more
than 3 % of the customer-type examples have a near-duplicate anywhere in data/nlu/, or when
a type has fewer than 200 examples in a language. Run by `make test`.
"""

import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import yaml

from bot.language import detect_language

ROOT = Path(__file__).resolve().parent.parent

CUSTOMER_TYPES = ("customer_power", "customer_social", "customer_harmonious", "customer_thinking")
MIN_PER_TYPE_AND_LANGUAGE = 200
JACCARD_LIMIT = 0.8
MAX_DUPLICATE_SHARE = 0.03
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def load_examples(nlu_dir: Path) -> list[tuple[str, str]]:
    """(intent, text) for every example in every YAML file under nlu_dir."""
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


def shingles(text: str, size: int = 5) -> frozenset[str]:
    compact = _NOISE.sub("", text.lower())
    if len(compact) <= size:
        return frozenset([compact])
    return frozenset(compact[i : i + size] for i in range(len(compact) - size + 1))


def near_duplicates(texts: list[str]) -> set[tuple[int, int]]:
    """Index pairs above the Jaccard limit; candidates come from shared shingles."""
    sets = [shingles(text) for text in texts]
    by_shingle: dict[str, list[int]] = defaultdict(list)
    for index, grams in enumerate(sets):
        for gram in grams:
            by_shingle[gram].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in by_shingle.values():
        if len(members) < 200:  # very common shingles say nothing about duplication
            candidates.update(combinations(members, 2))
    pairs = set()
    for first, second in candidates:
        a, b = sets[first], sets[second]
        if len(a & b) / len(a | b) > JACCARD_LIMIT:
            pairs.add((first, second))
    return pairs


def main() -> int:
    examples = load_examples(ROOT / "data" / "nlu")
    texts = [text for _, text in examples]
    pairs = near_duplicates(texts)
    flagged = {index for pair in pairs for index in pair}
    customer = [i for i, (intent, _) in enumerate(examples) if intent in CUSTOMER_TYPES]
    share = len(flagged & set(customer)) / max(1, len(customer))
    failures = []

    counts: dict[tuple[str, str], int] = defaultdict(int)
    for intent, text in examples:
        if intent in CUSTOMER_TYPES:
            counts[(intent, detect_language(text) or "none")] += 1
    for intent in CUSTOMER_TYPES:
        row = ", ".join(f"{lang} {counts[(intent, lang)]}" for lang in ("zh", "en"))
        print(f"{intent:22} {row}")
        for lang in ("zh", "en"):
            if counts[(intent, lang)] < MIN_PER_TYPE_AND_LANGUAGE:
                failures.append(
                    f"{intent} has {counts[(intent, lang)]} {lang} examples; "
                    f"at least {MIN_PER_TYPE_AND_LANGUAGE} are required"
                )
    print(
        f"near-duplicates (char 5-gram Jaccard > {JACCARD_LIMIT}): {len(pairs)} pairs, "
        f"{share:.1%} of customer-type examples (limit {MAX_DUPLICATE_SHARE:.0%})"
    )
    for first, second in sorted(pairs)[:20]:
        print(
            f"  {examples[first][0]}: {texts[first]!r}\n  {examples[second][0]}: {texts[second]!r}"
        )
    if share > MAX_DUPLICATE_SHARE:
        failures.append(f"{share:.1%} near-duplicates is above {MAX_DUPLICATE_SHARE:.0%}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
