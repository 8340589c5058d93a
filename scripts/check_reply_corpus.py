"""Check the annotated trainee replies in replies/ (format: replies/README.md).

Every record must use the contract's codes, spans must be copied exactly from the reply, ids
must be unique and the reply must be in the file's language. The training part must reach the
counts the reply model needs per language (every feedback style, avoid code, good move and
complaint step), and near-duplicates (char 5-gram Jaccard > 0.8) stay under 3 %, as for the
customer data. Run by `make test`; `--files F …` checks only those files (counts are printed,
not enforced), which is how a writer checks their own part while writing.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.coaching_codes import (  # noqa: E402
    GENERAL_AVOID_CODES,
    GOOD_MOVE_CODES,
    SETTINGS,
    STYLE_MISMATCH_CODES,
)
from bot.language import detect_language  # noqa: E402
from scripts.check_nlu_data import JACCARD_LIMIT, MAX_DUPLICATE_SHARE, near_duplicates  # noqa: E402

PARTS = ("train", "heldout")
FEEDBACK = ("fact", "feeling", "summary", "none")
FEEDBACK_GOOD = ("fact_feedback", "feeling_feedback", "summary_feedback")
GOOD = tuple(code for code in GOOD_MOVE_CODES if code not in FEEDBACK_GOOD)
STEPS = ("calm", "propose", "agree", "implement", "follow_up", "prevent")
TYPES = tuple(STYLE_MISMATCH_CODES)
KEYS = {"id", "setting", "customer_type", "customer", "reply", "feedback", "good", "avoid", "steps"}
MIN_PER_STYLE = 150  # per feedback style and language, training part
MIN_PER_CODE = 40  # per avoid code, good move and step, per language, training part
MAX_REPLY = 2000


class CorpusError(ValueError):
    pass


def load_part(paths: list[Path]) -> list[dict[str, Any]]:
    """Every record of these files, checked; CorpusError names the file and the record."""
    records: list[dict[str, Any]] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("replies"), list):
            raise CorpusError(f"{path}: expected a mapping with a 'replies' list")
        for index, record in enumerate(data["replies"], start=1):
            where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} #{index}"
            records.append({**check_record(record, where), "source": str(path.name)})
    seen: Counter[str] = Counter(str(record["id"]) for record in records)
    repeated = [record_id for record_id, count in seen.items() if count > 1]
    if repeated:
        raise CorpusError(f"ids used more than once: {', '.join(sorted(repeated)[:10])}")
    return records


def check_record(record: Any, where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise CorpusError(f"{where}: expected a mapping")
    if set(record) != KEYS:
        missing, extra = KEYS - set(record), set(record) - KEYS
        raise CorpusError(f"{where}: missing {sorted(missing)}, unknown {sorted(extra)}")
    reply, customer = record["reply"], record["customer"]
    if not isinstance(reply, str) or not reply.strip() or len(reply) > MAX_REPLY:
        raise CorpusError(f"{where}: reply must be text of 1 to {MAX_REPLY} characters")
    if not isinstance(customer, str) or not customer.strip():
        raise CorpusError(f"{where}: customer must be the customer's line")
    lang = detect_language(reply)
    if lang is None:
        raise CorpusError(f"{where}: the reply is in neither Chinese nor English")
    if record["setting"] not in SETTINGS:
        raise CorpusError(f"{where}: setting must be one of {', '.join(SETTINGS)}")
    customer_type = record["customer_type"]
    if customer_type not in TYPES:
        raise CorpusError(f"{where}: customer_type must be one of {', '.join(TYPES)}")
    if record["feedback"] not in FEEDBACK:
        raise CorpusError(f"{where}: feedback must be one of {', '.join(FEEDBACK)}")
    good = record["good"] or []
    if not isinstance(good, list) or any(code not in GOOD for code in good):
        raise CorpusError(f"{where}: good codes are {', '.join(GOOD)} (feedback goes in feedback)")
    steps = record["steps"] or []
    if not isinstance(steps, list) or any(step not in STEPS for step in steps):
        raise CorpusError(f"{where}: steps are {', '.join(STEPS)}")
    allowed = GENERAL_AVOID_CODES + STYLE_MISMATCH_CODES[customer_type]
    avoid = record["avoid"] or []
    if not isinstance(avoid, list):
        raise CorpusError(f"{where}: avoid must be a list of {{code, span}}")
    for item in avoid:
        if not isinstance(item, dict) or set(item) != {"code", "span"}:
            raise CorpusError(f"{where}: each avoid item is {{code: …, span: …}}")
        if item["code"] not in allowed:
            raise CorpusError(
                f"{where}: avoid code {item['code']!r} is not allowed for a {customer_type} "
                f"customer (allowed: {', '.join(allowed)})"
            )
        span = item["span"]
        if not isinstance(span, str) or not span.strip() or span not in reply:
            raise CorpusError(f"{where}: span {span!r} is not copied exactly from the reply")
    return {
        **record,
        "id": str(record["id"]),
        "lang": lang,
        "good": list(dict.fromkeys(good)),
        "steps": list(dict.fromkeys(steps)),
        "avoid": [{"code": item["code"], "span": item["span"]} for item in avoid],
    }


def counts(records: list[dict[str, Any]], lang: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for record in records:
        if record["lang"] != lang:
            continue
        found["replies"] += 1
        found[f"feedback:{record['feedback']}"] += 1
        found.update(f"good:{code}" for code in record["good"])
        found.update(f"avoid:{code}" for code in {item["code"] for item in record["avoid"]})
        found.update(f"step:{step}" for step in record["steps"])
        found[f"type:{record['customer_type']}"] += 1
        found[f"setting:{record['setting']}"] += 1
    return found


def shortfalls(found: Counter[str], lang: str) -> list[str]:
    wanted = {f"feedback:{style}": MIN_PER_STYLE for style in FEEDBACK}
    all_avoid = GENERAL_AVOID_CODES + tuple(c for cs in STYLE_MISMATCH_CODES.values() for c in cs)
    wanted.update({f"avoid:{code}": MIN_PER_CODE for code in all_avoid})
    wanted.update({f"good:{code}": MIN_PER_CODE for code in GOOD})
    wanted.update({f"step:{step}": MIN_PER_CODE for step in STEPS})
    return [
        f"{lang}: {key} has {found[key]}, at least {minimum} are required"
        for key, minimum in wanted.items()
        if found[key] < minimum
    ]


def part_files(part: str) -> list[Path]:
    return sorted((ROOT / "replies" / part).glob("*.yml"))


def report(records: list[dict[str, Any]], enforce: bool) -> list[str]:
    failures: list[str] = []
    for lang in ("zh", "en"):
        found = counts(records, lang)
        print(f"[{lang}] " + ", ".join(f"{key} {value}" for key, value in sorted(found.items())))
        if enforce:
            failures += shortfalls(found, lang)
    texts = [record["reply"] for record in records]
    pairs = near_duplicates(texts)
    share = len({index for pair in pairs for index in pair}) / max(1, len(texts))
    print(
        f"near-duplicates (char 5-gram Jaccard > {JACCARD_LIMIT}): {len(pairs)} pairs, "
        f"{share:.1%} of replies (limit {MAX_DUPLICATE_SHARE:.0%})"
    )
    for first, second in sorted(pairs)[:15]:
        for index in (first, second):
            print(f"  {records[index]['id']}: {texts[index]!r}")
    if share > MAX_DUPLICATE_SHARE:
        failures.append(f"{share:.1%} near-duplicates is above {MAX_DUPLICATE_SHARE:.0%}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="+", type=Path, help="check only these files")
    args = parser.parse_args()
    failures: list[str] = []
    try:
        if args.files:
            failures += report(load_part([path.resolve() for path in args.files]), enforce=False)
        else:
            train = load_part(part_files("train"))
            heldout = load_part(part_files("heldout"))
            print(f"train: {len(train)} replies")
            failures += report(train, enforce=True)
            print(f"heldout: {len(heldout)} replies")
            failures += report(heldout, enforce=False)
            overlap = {r["reply"] for r in train} & {r["reply"] for r in heldout}
            if overlap:
                failures.append(f"{len(overlap)} replies are in both parts")
    except CorpusError as exc:
        failures.append(str(exc))
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
