"""Check the annotated trainee replies in replies/ (format: replies/README.md).

Every record must use the contract's codes, spans must be copied exactly from the reply, ids
must be unique and the reply must be in Chinese or English (bot/reply_corpus.py checks each
record). The training part must reach the counts the reply model needs per language (every
feedback style, avoid code, good move and complaint step), near-duplicates (char 5-gram
Jaccard > 0.8) stay under 3 % as for the customer data, and no held-out reply may be a
near-duplicate of a training reply. Run by `make test`; `--files F …` checks only those files
(counts are printed, not enforced), which is how a writer checks their own part while writing.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

# Corpus writers run this file with a bare `python3` while they write (no project environment).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.coaching_codes import GENERAL_AVOID_CODES, STYLE_MISMATCH_CODES
from bot.reply_corpus import (
    FEEDBACK,
    LISTED_GOOD,
    STEPS,
    CorpusError,
    ReplyRecord,
    load_corpus,
    load_part,
)
from scripts.check_nlu_data import JACCARD_LIMIT, MAX_DUPLICATE_SHARE, near_duplicates

MIN_PER_STYLE = 150  # per feedback style and language, training part
MIN_PER_CODE = 40  # per avoid code, good move and step, per language, training part
ALL_AVOID = GENERAL_AVOID_CODES + tuple(c for cs in STYLE_MISMATCH_CODES.values() for c in cs)


def counts(records: list[ReplyRecord], lang: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for record in records:
        if record.lang != lang:
            continue
        found["replies"] += 1
        found[f"feedback:{record.feedback}"] += 1
        found.update(f"good:{code}" for code in record.good)
        found.update(f"avoid:{code}" for code in record.avoid_codes)
        found.update(f"step:{step}" for step in record.steps)
        found[f"type:{record.customer_type}"] += 1
        found[f"setting:{record.setting}"] += 1
    return found


def shortfalls(found: Counter[str], lang: str) -> list[str]:
    wanted = {f"feedback:{style}": MIN_PER_STYLE for style in FEEDBACK}
    wanted.update({f"avoid:{code}": MIN_PER_CODE for code in ALL_AVOID})
    wanted.update({f"good:{code}": MIN_PER_CODE for code in LISTED_GOOD})
    wanted.update({f"step:{step}": MIN_PER_CODE for step in STEPS})
    return [
        f"{lang}: {key} has {found[key]}, at least {minimum} are required"
        for key, minimum in wanted.items()
        if found[key] < minimum
    ]


def report(records: list[ReplyRecord], enforce: bool) -> list[str]:
    failures: list[str] = []
    for lang in ("zh", "en"):
        found = counts(records, lang)
        print(f"[{lang}] " + ", ".join(f"{key} {value}" for key, value in sorted(found.items())))
        if enforce:
            failures += shortfalls(found, lang)
    texts = [record.reply for record in records]
    pairs = near_duplicates(texts)
    share = len({index for pair in pairs for index in pair}) / max(1, len(texts))
    print(
        f"near-duplicates (char 5-gram Jaccard > {JACCARD_LIMIT}): {len(pairs)} pairs, "
        f"{share:.1%} of replies (limit {MAX_DUPLICATE_SHARE:.0%})"
    )
    for first, second in sorted(pairs)[:15]:
        for index in (first, second):
            print(f"  {records[index].id}: {texts[index]!r}")
    if share > MAX_DUPLICATE_SHARE:
        failures.append(f"{share:.1%} near-duplicates is above {MAX_DUPLICATE_SHARE:.0%}")
    return failures


def leaks(train: list[ReplyRecord], heldout: list[ReplyRecord]) -> list[str]:
    """Held-out replies that (nearly) repeat a training reply."""
    texts = [record.reply for record in train] + [record.reply for record in heldout]
    crossing = [
        (first, second) for first, second in near_duplicates(texts) if first < len(train) <= second
    ]
    return [
        f"held-out {heldout[second - len(train)].id} nearly repeats {train[first].id}"
        for first, second in crossing
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", nargs="+", type=Path, help="check only these files")
    args = parser.parse_args()
    failures: list[str] = []
    try:
        if args.files:
            failures += report(load_part([path.resolve() for path in args.files]), enforce=False)
        else:
            train, heldout = load_corpus("train"), load_corpus("heldout")
            print(f"train: {len(train)} replies")
            failures += report(train, enforce=True)
            print(f"heldout: {len(heldout)} replies")
            failures += report(heldout, enforce=False)
            failures += leaks(train, heldout)
    except CorpusError as exc:
        failures.append(str(exc))
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
